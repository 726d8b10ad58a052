// jextract-shaped binding. Values and offsets were read from gcc on Debian 12 (glibc 2.36,
// linux-libc-dev 6.1.187, liburing 2.3, x86_64); AbiTest re-checks every one against gcc.
package dev.sluice.bindings.linux;

import java.lang.foreign.*;

import static dev.sluice.bindings.linux.CLayouts.*;

/** Layout of {@code struct iovec} (16 bytes on x86_64). */
public final class iovec {
    private iovec() {}

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
        C_POINTER.withName("iov_base"),
        C_LONG_LONG.withName("iov_len")
    ).withName("iovec");

    /** The layout of {@code struct iovec}. */
    public static GroupLayout layout() {
        return $LAYOUT;
    }

    /** {@code sizeof(struct iovec)}. */
    public static long sizeof() {
        return $LAYOUT.byteSize();
    }

    public static final long SIZEOF = 16;

    /** Allocates one zero-filled {@code struct iovec}. */
    public static MemorySegment allocate(SegmentAllocator allocator) {
        return allocator.allocate($LAYOUT);
    }

    /** Allocates {@code count} zero-filled {@code struct iovec}s. */
    public static MemorySegment allocateArray(long count, SegmentAllocator allocator) {
        return allocator.allocate($LAYOUT, count);
    }

    /** Element {@code index} of an array of {@code struct iovec}. */
    public static MemorySegment asSlice(MemorySegment array, long index) {
        return array.asSlice(index * SIZEOF, SIZEOF);
    }

    public static final long OFFSET_iov_base = 0;

    public static long iov_base$offset() {
        return OFFSET_iov_base;
    }

    public static MemorySegment iov_base(MemorySegment struct) {
        return struct.get(C_POINTER, OFFSET_iov_base);
    }

    public static void iov_base(MemorySegment struct, MemorySegment fieldValue) {
        struct.set(C_POINTER, OFFSET_iov_base, fieldValue);
    }

    public static final long OFFSET_iov_len = 8;

    public static long iov_len$offset() {
        return OFFSET_iov_len;
    }

    public static long iov_len(MemorySegment struct) {
        return struct.get(C_LONG_LONG, OFFSET_iov_len);
    }

    public static void iov_len(MemorySegment struct, long fieldValue) {
        struct.set(C_LONG_LONG, OFFSET_iov_len, fieldValue);
    }
}
