// jextract-shaped binding. Values and offsets were read from gcc on Debian 12 (glibc 2.36,
// linux-libc-dev 6.1.187, liburing 2.3, x86_64); AbiTest re-checks every one against gcc.
package dev.sluice.bindings.linux;

import java.lang.foreign.*;

import static dev.sluice.bindings.linux.CLayouts.*;

/** Layout of {@code struct __kernel_timespec} (16 bytes on x86_64). */
public final class __kernel_timespec {
    private __kernel_timespec() {}

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
        C_LONG_LONG.withName("tv_sec"),
        C_LONG_LONG.withName("tv_nsec")
    ).withName("__kernel_timespec");

    /** The layout of {@code struct __kernel_timespec}. */
    public static GroupLayout layout() {
        return $LAYOUT;
    }

    /** {@code sizeof(struct __kernel_timespec)}. */
    public static long sizeof() {
        return $LAYOUT.byteSize();
    }

    public static final long SIZEOF = 16;

    /** Allocates one zero-filled {@code struct __kernel_timespec}. */
    public static MemorySegment allocate(SegmentAllocator allocator) {
        return allocator.allocate($LAYOUT);
    }

    /** Allocates {@code count} zero-filled {@code struct __kernel_timespec}s. */
    public static MemorySegment allocateArray(long count, SegmentAllocator allocator) {
        return allocator.allocate($LAYOUT, count);
    }

    /** Element {@code index} of an array of {@code struct __kernel_timespec}. */
    public static MemorySegment asSlice(MemorySegment array, long index) {
        return array.asSlice(index * SIZEOF, SIZEOF);
    }

    public static final long OFFSET_tv_sec = 0;

    public static long tv_sec$offset() {
        return OFFSET_tv_sec;
    }

    public static long tv_sec(MemorySegment struct) {
        return struct.get(C_LONG_LONG, OFFSET_tv_sec);
    }

    public static void tv_sec(MemorySegment struct, long fieldValue) {
        struct.set(C_LONG_LONG, OFFSET_tv_sec, fieldValue);
    }

    public static final long OFFSET_tv_nsec = 8;

    public static long tv_nsec$offset() {
        return OFFSET_tv_nsec;
    }

    public static long tv_nsec(MemorySegment struct) {
        return struct.get(C_LONG_LONG, OFFSET_tv_nsec);
    }

    public static void tv_nsec(MemorySegment struct, long fieldValue) {
        struct.set(C_LONG_LONG, OFFSET_tv_nsec, fieldValue);
    }
}
