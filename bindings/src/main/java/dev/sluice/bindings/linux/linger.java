// jextract-shaped binding. Values and offsets were read from gcc on Debian 12 (glibc 2.36,
// linux-libc-dev 6.1.187, liburing 2.3, x86_64); AbiTest re-checks every one against gcc.
package dev.sluice.bindings.linux;

import java.lang.foreign.*;

import static dev.sluice.bindings.linux.CLayouts.*;

/** Layout of {@code struct linger} (8 bytes on x86_64). */
public final class linger {
    private linger() {}

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
        C_INT.withName("l_onoff"),
        C_INT.withName("l_linger")
    ).withName("linger");

    /** The layout of {@code struct linger}. */
    public static GroupLayout layout() {
        return $LAYOUT;
    }

    /** {@code sizeof(struct linger)}. */
    public static long sizeof() {
        return $LAYOUT.byteSize();
    }

    public static final long SIZEOF = 8;

    /** Allocates one zero-filled {@code struct linger}. */
    public static MemorySegment allocate(SegmentAllocator allocator) {
        return allocator.allocate($LAYOUT);
    }

    /** Allocates {@code count} zero-filled {@code struct linger}s. */
    public static MemorySegment allocateArray(long count, SegmentAllocator allocator) {
        return allocator.allocate($LAYOUT, count);
    }

    /** Element {@code index} of an array of {@code struct linger}. */
    public static MemorySegment asSlice(MemorySegment array, long index) {
        return array.asSlice(index * SIZEOF, SIZEOF);
    }

    public static final long OFFSET_l_onoff = 0;

    public static long l_onoff$offset() {
        return OFFSET_l_onoff;
    }

    public static int l_onoff(MemorySegment struct) {
        return struct.get(C_INT, OFFSET_l_onoff);
    }

    public static void l_onoff(MemorySegment struct, int fieldValue) {
        struct.set(C_INT, OFFSET_l_onoff, fieldValue);
    }

    public static final long OFFSET_l_linger = 4;

    public static long l_linger$offset() {
        return OFFSET_l_linger;
    }

    public static int l_linger(MemorySegment struct) {
        return struct.get(C_INT, OFFSET_l_linger);
    }

    public static void l_linger(MemorySegment struct, int fieldValue) {
        struct.set(C_INT, OFFSET_l_linger, fieldValue);
    }
}
