package dev.sluice.bindings.linux;

import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.foreign.StructLayout;
import java.lang.invoke.VarHandle;

/**
 * The state buffer that downcalls linked with {@code Linker.Option.captureCallState("errno")} write
 * errno into. Allocate one per thread (or per event loop) at start and pass it to every call; the
 * bindings never allocate. Read it only after a call returned -1 (or an EAI_SYSTEM): on success the
 * captured value is whatever errno held, as in C.
 */
public final class CapturedErrno {
    private CapturedErrno() {}

    public static final StructLayout LAYOUT = Linker.Option.captureStateLayout();

    /** Coordinates {@code (MemorySegment state, long offset)}; the offset is 0. */
    public static final VarHandle ERRNO = LAYOUT.varHandle(MemoryLayout.PathElement.groupElement("errno"));

    /** Allocates a state buffer; do this once per thread, not per call. */
    public static MemorySegment allocate(SegmentAllocator allocator) {
        return allocator.allocate(LAYOUT);
    }

    /** The errno captured by the last call that was given {@code state}. */
    public static int errno(MemorySegment state) {
        return (int) ERRNO.get(state, 0L);
    }
}
