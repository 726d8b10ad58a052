// jextract-shaped binding. Values and offsets were read from gcc on Debian 12 (glibc 2.36,
// linux-libc-dev 6.1.187, liburing 2.3, x86_64); AbiTest re-checks every one against gcc.
package dev.sluice.bindings.linux;

import java.lang.foreign.*;

import static dev.sluice.bindings.linux.CLayouts.*;

/** Layout of {@code struct in_addr}. {@code s_addr} is raw, in network byte order (big-endian). */
public final class in_addr {
    private in_addr() {}

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
        C_INT.withName("s_addr")
    ).withName("in_addr");

    /** The layout of {@code struct in_addr}. */
    public static GroupLayout layout() {
        return $LAYOUT;
    }

    /** {@code sizeof(struct in_addr)}. */
    public static long sizeof() {
        return $LAYOUT.byteSize();
    }

    public static final long SIZEOF = 4;

    /** Allocates one zero-filled {@code struct in_addr}. */
    public static MemorySegment allocate(SegmentAllocator allocator) {
        return allocator.allocate($LAYOUT);
    }

    /** Allocates {@code count} zero-filled {@code struct in_addr}s. */
    public static MemorySegment allocateArray(long count, SegmentAllocator allocator) {
        return allocator.allocate($LAYOUT, count);
    }

    /** Element {@code index} of an array of {@code struct in_addr}. */
    public static MemorySegment asSlice(MemorySegment array, long index) {
        return array.asSlice(index * SIZEOF, SIZEOF);
    }

    public static final long OFFSET_s_addr = 0;

    public static long s_addr$offset() {
        return OFFSET_s_addr;
    }

    public static int s_addr(MemorySegment struct) {
        return struct.get(C_INT, OFFSET_s_addr);
    }

    public static void s_addr(MemorySegment struct, int fieldValue) {
        struct.set(C_INT, OFFSET_s_addr, fieldValue);
    }
}
