// jextract-shaped binding. Values and offsets were read from gcc on Debian 12 (glibc 2.36,
// linux-libc-dev 6.1.187, liburing 2.3, x86_64); AbiTest re-checks every one against gcc.
package dev.sluice.bindings.linux;

import java.lang.foreign.*;

import static dev.sluice.bindings.linux.CLayouts.*;

/** Layout of {@code struct sockaddr_un} (110 bytes on x86_64). */
public final class sockaddr_un {
    private sockaddr_un() {}

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
        C_SHORT.withName("sun_family"),
        MemoryLayout.sequenceLayout(108, C_CHAR).withName("sun_path")
    ).withName("sockaddr_un");

    /** The layout of {@code struct sockaddr_un}. */
    public static GroupLayout layout() {
        return $LAYOUT;
    }

    /** {@code sizeof(struct sockaddr_un)}. */
    public static long sizeof() {
        return $LAYOUT.byteSize();
    }

    public static final long SIZEOF = 110;

    /** Allocates one zero-filled {@code struct sockaddr_un}. */
    public static MemorySegment allocate(SegmentAllocator allocator) {
        return allocator.allocate($LAYOUT);
    }

    /** Allocates {@code count} zero-filled {@code struct sockaddr_un}s. */
    public static MemorySegment allocateArray(long count, SegmentAllocator allocator) {
        return allocator.allocate($LAYOUT, count);
    }

    /** Element {@code index} of an array of {@code struct sockaddr_un}. */
    public static MemorySegment asSlice(MemorySegment array, long index) {
        return array.asSlice(index * SIZEOF, SIZEOF);
    }

    public static final long OFFSET_sun_family = 0;

    public static long sun_family$offset() {
        return OFFSET_sun_family;
    }

    public static short sun_family(MemorySegment struct) {
        return struct.get(C_SHORT, OFFSET_sun_family);
    }

    public static void sun_family(MemorySegment struct, short fieldValue) {
        struct.set(C_SHORT, OFFSET_sun_family, fieldValue);
    }

    public static final long OFFSET_sun_path = 2;

    public static long sun_path$offset() {
        return OFFSET_sun_path;
    }

    public static MemorySegment sun_path(MemorySegment struct) {
        return struct.asSlice(OFFSET_sun_path, 108);
    }

    public static void sun_path(MemorySegment struct, MemorySegment fieldValue) {
        MemorySegment.copy(fieldValue, 0L, struct, OFFSET_sun_path, 108);
    }
}
