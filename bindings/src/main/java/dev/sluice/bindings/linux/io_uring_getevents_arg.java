// jextract-shaped binding. Values and offsets were read from gcc on Debian 12 (glibc 2.36,
// linux-libc-dev 6.1.187, liburing 2.3, x86_64); AbiTest re-checks every one against gcc.
package dev.sluice.bindings.linux;

import java.lang.foreign.*;

import static dev.sluice.bindings.linux.CLayouts.*;

/** Layout of {@code struct io_uring_getevents_arg} (24 bytes on x86_64). */
public final class io_uring_getevents_arg {
    private io_uring_getevents_arg() {}

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
        C_LONG_LONG.withName("sigmask"),
        C_INT.withName("sigmask_sz"),
        C_INT.withName("pad"),
        C_LONG_LONG.withName("ts")
    ).withName("io_uring_getevents_arg");

    /** The layout of {@code struct io_uring_getevents_arg}. */
    public static GroupLayout layout() {
        return $LAYOUT;
    }

    /** {@code sizeof(struct io_uring_getevents_arg)}. */
    public static long sizeof() {
        return $LAYOUT.byteSize();
    }

    public static final long SIZEOF = 24;

    /** Allocates one zero-filled {@code struct io_uring_getevents_arg}. */
    public static MemorySegment allocate(SegmentAllocator allocator) {
        return allocator.allocate($LAYOUT);
    }

    /** Allocates {@code count} zero-filled {@code struct io_uring_getevents_arg}s. */
    public static MemorySegment allocateArray(long count, SegmentAllocator allocator) {
        return allocator.allocate($LAYOUT, count);
    }

    /** Element {@code index} of an array of {@code struct io_uring_getevents_arg}. */
    public static MemorySegment asSlice(MemorySegment array, long index) {
        return array.asSlice(index * SIZEOF, SIZEOF);
    }

    public static final long OFFSET_sigmask = 0;

    public static long sigmask$offset() {
        return OFFSET_sigmask;
    }

    public static long sigmask(MemorySegment struct) {
        return struct.get(C_LONG_LONG, OFFSET_sigmask);
    }

    public static void sigmask(MemorySegment struct, long fieldValue) {
        struct.set(C_LONG_LONG, OFFSET_sigmask, fieldValue);
    }

    public static final long OFFSET_sigmask_sz = 8;

    public static long sigmask_sz$offset() {
        return OFFSET_sigmask_sz;
    }

    public static int sigmask_sz(MemorySegment struct) {
        return struct.get(C_INT, OFFSET_sigmask_sz);
    }

    public static void sigmask_sz(MemorySegment struct, int fieldValue) {
        struct.set(C_INT, OFFSET_sigmask_sz, fieldValue);
    }

    public static final long OFFSET_pad = 12;

    public static long pad$offset() {
        return OFFSET_pad;
    }

    public static int pad(MemorySegment struct) {
        return struct.get(C_INT, OFFSET_pad);
    }

    public static void pad(MemorySegment struct, int fieldValue) {
        struct.set(C_INT, OFFSET_pad, fieldValue);
    }

    public static final long OFFSET_ts = 16;

    public static long ts$offset() {
        return OFFSET_ts;
    }

    public static long ts(MemorySegment struct) {
        return struct.get(C_LONG_LONG, OFFSET_ts);
    }

    public static void ts(MemorySegment struct, long fieldValue) {
        struct.set(C_LONG_LONG, OFFSET_ts, fieldValue);
    }
}
