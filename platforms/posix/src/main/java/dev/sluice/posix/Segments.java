package dev.sluice.posix;

import java.lang.foreign.MemorySegment;

/** Views of native memory for the hot path. */
public final class Segments {
    private Segments() {
    }

    /**
     * The same bytes as {@code owned}, seen through a segment of the global scope. A downcall keeps
     * each segment argument's arena alive for the call; for a shared arena that is an atomic
     * acquire and release around every call (jdk.internal.foreign.SharedSession), which shows in
     * profiles of the event loop. Memory that only the loop thread passes to the kernel, and that
     * lives exactly as long as the loop (errno capture, the event array), can skip it through this
     * view. The caller must stop using the view before it closes {@code owned}'s arena.
     */
    public static MemorySegment unscoped(MemorySegment owned) {
        return MemorySegment.ofAddress(owned.address()).reinterpret(owned.byteSize());
    }
}
