// jextract-shaped binding. Values and offsets were read from gcc on Debian 12 (glibc 2.36,
// linux-libc-dev 6.1.187, liburing 2.3, x86_64); AbiTest re-checks every one against gcc.
package dev.sluice.bindings.linux;

import java.lang.foreign.*;

import static dev.sluice.bindings.linux.CLayouts.*;

/** Layout of {@code struct sockaddr} (16 bytes on x86_64). */
public final class sockaddr {
    private sockaddr() {}

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
        C_SHORT.withName("sa_family"),
        MemoryLayout.sequenceLayout(14, C_CHAR).withName("sa_data")
    ).withName("sockaddr");

    /** The layout of {@code struct sockaddr}. */
    public static GroupLayout layout() {
        return $LAYOUT;
    }

    /** {@code sizeof(struct sockaddr)}. */
    public static long sizeof() {
        return $LAYOUT.byteSize();
    }

    public static final long SIZEOF = 16;

    /** Allocates one zero-filled {@code struct sockaddr}. */
    public static MemorySegment allocate(SegmentAllocator allocator) {
        return allocator.allocate($LAYOUT);
    }

    /** Allocates {@code count} zero-filled {@code struct sockaddr}s. */
    public static MemorySegment allocateArray(long count, SegmentAllocator allocator) {
        return allocator.allocate($LAYOUT, count);
    }

    /** Element {@code index} of an array of {@code struct sockaddr}. */
    public static MemorySegment asSlice(MemorySegment array, long index) {
        return array.asSlice(index * SIZEOF, SIZEOF);
    }

    public static final long OFFSET_sa_family = 0;

    public static long sa_family$offset() {
        return OFFSET_sa_family;
    }

    public static short sa_family(MemorySegment struct) {
        return struct.get(C_SHORT, OFFSET_sa_family);
    }

    public static void sa_family(MemorySegment struct, short fieldValue) {
        struct.set(C_SHORT, OFFSET_sa_family, fieldValue);
    }

    public static final long OFFSET_sa_data = 2;

    public static long sa_data$offset() {
        return OFFSET_sa_data;
    }

    public static MemorySegment sa_data(MemorySegment struct) {
        return struct.asSlice(OFFSET_sa_data, 14);
    }

    public static void sa_data(MemorySegment struct, MemorySegment fieldValue) {
        MemorySegment.copy(fieldValue, 0L, struct, OFFSET_sa_data, 14);
    }
}
