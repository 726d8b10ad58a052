// jextract-shaped binding. Values and offsets were read from gcc on Debian 12 (glibc 2.36,
// linux-libc-dev 6.1.187, liburing 2.3, x86_64); AbiTest re-checks every one against gcc.
package dev.sluice.bindings.linux;

import java.lang.foreign.*;

import static dev.sluice.bindings.linux.CLayouts.*;

/** Layout of {@code struct io_uring_rsrc_update} (16 bytes on x86_64). */
public final class io_uring_rsrc_update {
    private io_uring_rsrc_update() {}

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
        C_INT.withName("offset"),
        C_INT.withName("resv"),
        C_LONG_LONG.withName("data")
    ).withName("io_uring_rsrc_update");

    /** The layout of {@code struct io_uring_rsrc_update}. */
    public static GroupLayout layout() {
        return $LAYOUT;
    }

    /** {@code sizeof(struct io_uring_rsrc_update)}. */
    public static long sizeof() {
        return $LAYOUT.byteSize();
    }

    public static final long SIZEOF = 16;

    /** Allocates one zero-filled {@code struct io_uring_rsrc_update}. */
    public static MemorySegment allocate(SegmentAllocator allocator) {
        return allocator.allocate($LAYOUT);
    }

    /** Allocates {@code count} zero-filled {@code struct io_uring_rsrc_update}s. */
    public static MemorySegment allocateArray(long count, SegmentAllocator allocator) {
        return allocator.allocate($LAYOUT, count);
    }

    /** Element {@code index} of an array of {@code struct io_uring_rsrc_update}. */
    public static MemorySegment asSlice(MemorySegment array, long index) {
        return array.asSlice(index * SIZEOF, SIZEOF);
    }

    public static final long OFFSET_offset = 0;

    public static long offset$offset() {
        return OFFSET_offset;
    }

    public static int offset(MemorySegment struct) {
        return struct.get(C_INT, OFFSET_offset);
    }

    public static void offset(MemorySegment struct, int fieldValue) {
        struct.set(C_INT, OFFSET_offset, fieldValue);
    }

    public static final long OFFSET_resv = 4;

    public static long resv$offset() {
        return OFFSET_resv;
    }

    public static int resv(MemorySegment struct) {
        return struct.get(C_INT, OFFSET_resv);
    }

    public static void resv(MemorySegment struct, int fieldValue) {
        struct.set(C_INT, OFFSET_resv, fieldValue);
    }

    public static final long OFFSET_data = 8;

    public static long data$offset() {
        return OFFSET_data;
    }

    public static long data(MemorySegment struct) {
        return struct.get(C_LONG_LONG, OFFSET_data);
    }

    public static void data(MemorySegment struct, long fieldValue) {
        struct.set(C_LONG_LONG, OFFSET_data, fieldValue);
    }
}
