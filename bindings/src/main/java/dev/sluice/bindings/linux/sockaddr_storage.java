// jextract-shaped binding. Values and offsets were read from gcc on Debian 12 (glibc 2.36,
// linux-libc-dev 6.1.187, liburing 2.3, x86_64); AbiTest re-checks every one against gcc.
package dev.sluice.bindings.linux;

import java.lang.foreign.*;

import static dev.sluice.bindings.linux.CLayouts.*;

/** Layout of {@code struct sockaddr_storage} (128 bytes on x86_64). */
public final class sockaddr_storage {
    private sockaddr_storage() {}

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
        C_SHORT.withName("ss_family"),
        MemoryLayout.sequenceLayout(118, C_CHAR).withName("__ss_padding"),
        C_LONG_LONG.withName("__ss_align")
    ).withName("sockaddr_storage");

    /** The layout of {@code struct sockaddr_storage}. */
    public static GroupLayout layout() {
        return $LAYOUT;
    }

    /** {@code sizeof(struct sockaddr_storage)}. */
    public static long sizeof() {
        return $LAYOUT.byteSize();
    }

    public static final long SIZEOF = 128;

    /** Allocates one zero-filled {@code struct sockaddr_storage}. */
    public static MemorySegment allocate(SegmentAllocator allocator) {
        return allocator.allocate($LAYOUT);
    }

    /** Allocates {@code count} zero-filled {@code struct sockaddr_storage}s. */
    public static MemorySegment allocateArray(long count, SegmentAllocator allocator) {
        return allocator.allocate($LAYOUT, count);
    }

    /** Element {@code index} of an array of {@code struct sockaddr_storage}. */
    public static MemorySegment asSlice(MemorySegment array, long index) {
        return array.asSlice(index * SIZEOF, SIZEOF);
    }

    public static final long OFFSET_ss_family = 0;

    public static long ss_family$offset() {
        return OFFSET_ss_family;
    }

    public static short ss_family(MemorySegment struct) {
        return struct.get(C_SHORT, OFFSET_ss_family);
    }

    public static void ss_family(MemorySegment struct, short fieldValue) {
        struct.set(C_SHORT, OFFSET_ss_family, fieldValue);
    }

    public static final long OFFSET___ss_padding = 2;

    public static long __ss_padding$offset() {
        return OFFSET___ss_padding;
    }

    public static MemorySegment __ss_padding(MemorySegment struct) {
        return struct.asSlice(OFFSET___ss_padding, 118);
    }

    public static void __ss_padding(MemorySegment struct, MemorySegment fieldValue) {
        MemorySegment.copy(fieldValue, 0L, struct, OFFSET___ss_padding, 118);
    }

    public static final long OFFSET___ss_align = 120;

    public static long __ss_align$offset() {
        return OFFSET___ss_align;
    }

    public static long __ss_align(MemorySegment struct) {
        return struct.get(C_LONG_LONG, OFFSET___ss_align);
    }

    public static void __ss_align(MemorySegment struct, long fieldValue) {
        struct.set(C_LONG_LONG, OFFSET___ss_align, fieldValue);
    }
}
