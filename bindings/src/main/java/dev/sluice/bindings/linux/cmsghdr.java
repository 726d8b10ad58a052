// jextract-shaped binding. Values and offsets were read from gcc on Debian 12 (glibc 2.36,
// linux-libc-dev 6.1.187, liburing 2.3, x86_64); AbiTest re-checks every one against gcc.
package dev.sluice.bindings.linux;

import java.lang.foreign.*;

import static dev.sluice.bindings.linux.CLayouts.*;

/** Layout of {@code struct cmsghdr} (16 bytes on x86_64). */
public final class cmsghdr {
    private cmsghdr() {}

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
        C_LONG_LONG.withName("cmsg_len"),
        C_INT.withName("cmsg_level"),
        C_INT.withName("cmsg_type")
    ).withName("cmsghdr");

    /** The layout of {@code struct cmsghdr}. */
    public static GroupLayout layout() {
        return $LAYOUT;
    }

    /** {@code sizeof(struct cmsghdr)}. */
    public static long sizeof() {
        return $LAYOUT.byteSize();
    }

    public static final long SIZEOF = 16;

    /** Allocates one zero-filled {@code struct cmsghdr}. */
    public static MemorySegment allocate(SegmentAllocator allocator) {
        return allocator.allocate($LAYOUT);
    }

    /** Allocates {@code count} zero-filled {@code struct cmsghdr}s. */
    public static MemorySegment allocateArray(long count, SegmentAllocator allocator) {
        return allocator.allocate($LAYOUT, count);
    }

    /** Element {@code index} of an array of {@code struct cmsghdr}. */
    public static MemorySegment asSlice(MemorySegment array, long index) {
        return array.asSlice(index * SIZEOF, SIZEOF);
    }

    public static final long OFFSET_cmsg_len = 0;

    public static long cmsg_len$offset() {
        return OFFSET_cmsg_len;
    }

    public static long cmsg_len(MemorySegment struct) {
        return struct.get(C_LONG_LONG, OFFSET_cmsg_len);
    }

    public static void cmsg_len(MemorySegment struct, long fieldValue) {
        struct.set(C_LONG_LONG, OFFSET_cmsg_len, fieldValue);
    }

    public static final long OFFSET_cmsg_level = 8;

    public static long cmsg_level$offset() {
        return OFFSET_cmsg_level;
    }

    public static int cmsg_level(MemorySegment struct) {
        return struct.get(C_INT, OFFSET_cmsg_level);
    }

    public static void cmsg_level(MemorySegment struct, int fieldValue) {
        struct.set(C_INT, OFFSET_cmsg_level, fieldValue);
    }

    public static final long OFFSET_cmsg_type = 12;

    public static long cmsg_type$offset() {
        return OFFSET_cmsg_type;
    }

    public static int cmsg_type(MemorySegment struct) {
        return struct.get(C_INT, OFFSET_cmsg_type);
    }

    public static void cmsg_type(MemorySegment struct, int fieldValue) {
        struct.set(C_INT, OFFSET_cmsg_type, fieldValue);
    }
}
