// jextract-shaped binding. Values and offsets were read from gcc on Debian 12 (glibc 2.36,
// linux-libc-dev 6.1.187, liburing 2.3, x86_64); AbiTest re-checks every one against gcc.
package dev.sluice.bindings.linux;

import java.lang.foreign.*;

import static dev.sluice.bindings.linux.CLayouts.*;

/** Layout of {@code struct sock_fprog} (16 bytes on x86_64). */
public final class sock_fprog {
    private sock_fprog() {}

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
        C_SHORT.withName("len"),
        MemoryLayout.paddingLayout(6),
        C_POINTER.withName("filter")
    ).withName("sock_fprog");

    /** The layout of {@code struct sock_fprog}. */
    public static GroupLayout layout() {
        return $LAYOUT;
    }

    /** {@code sizeof(struct sock_fprog)}. */
    public static long sizeof() {
        return $LAYOUT.byteSize();
    }

    public static final long SIZEOF = 16;

    /** Allocates one zero-filled {@code struct sock_fprog}. */
    public static MemorySegment allocate(SegmentAllocator allocator) {
        return allocator.allocate($LAYOUT);
    }

    /** Allocates {@code count} zero-filled {@code struct sock_fprog}s. */
    public static MemorySegment allocateArray(long count, SegmentAllocator allocator) {
        return allocator.allocate($LAYOUT, count);
    }

    /** Element {@code index} of an array of {@code struct sock_fprog}. */
    public static MemorySegment asSlice(MemorySegment array, long index) {
        return array.asSlice(index * SIZEOF, SIZEOF);
    }

    public static final long OFFSET_len = 0;

    public static long len$offset() {
        return OFFSET_len;
    }

    public static short len(MemorySegment struct) {
        return struct.get(C_SHORT, OFFSET_len);
    }

    public static void len(MemorySegment struct, short fieldValue) {
        struct.set(C_SHORT, OFFSET_len, fieldValue);
    }

    public static final long OFFSET_filter = 8;

    public static long filter$offset() {
        return OFFSET_filter;
    }

    public static MemorySegment filter(MemorySegment struct) {
        return struct.get(C_POINTER, OFFSET_filter);
    }

    public static void filter(MemorySegment struct, MemorySegment fieldValue) {
        struct.set(C_POINTER, OFFSET_filter, fieldValue);
    }
}
