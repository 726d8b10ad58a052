// jextract-shaped binding. Values and offsets were read from gcc on Debian 12 (glibc 2.36,
// linux-libc-dev 6.1.187, liburing 2.3, x86_64); AbiTest re-checks every one against gcc.
package dev.sluice.bindings.linux;

import java.lang.foreign.*;

import static dev.sluice.bindings.linux.CLayouts.*;

/**
 * Layout of {@code struct io_uring_cqe} (16 bytes). The flexible {@code big_cqe[]} that follows with
 * IORING_SETUP_CQE32 is not modelled.
 */
public final class io_uring_cqe {
    private io_uring_cqe() {}

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
        C_LONG_LONG.withName("user_data"),
        C_INT.withName("res"),
        C_INT.withName("flags")
    ).withName("io_uring_cqe");

    /** The layout of {@code struct io_uring_cqe}. */
    public static GroupLayout layout() {
        return $LAYOUT;
    }

    /** {@code sizeof(struct io_uring_cqe)}. */
    public static long sizeof() {
        return $LAYOUT.byteSize();
    }

    public static final long SIZEOF = 16;

    /** Allocates one zero-filled {@code struct io_uring_cqe}. */
    public static MemorySegment allocate(SegmentAllocator allocator) {
        return allocator.allocate($LAYOUT);
    }

    /** Allocates {@code count} zero-filled {@code struct io_uring_cqe}s. */
    public static MemorySegment allocateArray(long count, SegmentAllocator allocator) {
        return allocator.allocate($LAYOUT, count);
    }

    /** Element {@code index} of an array of {@code struct io_uring_cqe}. */
    public static MemorySegment asSlice(MemorySegment array, long index) {
        return array.asSlice(index * SIZEOF, SIZEOF);
    }

    public static final long OFFSET_user_data = 0;

    public static long user_data$offset() {
        return OFFSET_user_data;
    }

    public static long user_data(MemorySegment struct) {
        return struct.get(C_LONG_LONG, OFFSET_user_data);
    }

    public static void user_data(MemorySegment struct, long fieldValue) {
        struct.set(C_LONG_LONG, OFFSET_user_data, fieldValue);
    }

    public static final long OFFSET_res = 8;

    public static long res$offset() {
        return OFFSET_res;
    }

    public static int res(MemorySegment struct) {
        return struct.get(C_INT, OFFSET_res);
    }

    public static void res(MemorySegment struct, int fieldValue) {
        struct.set(C_INT, OFFSET_res, fieldValue);
    }

    public static final long OFFSET_flags = 12;

    public static long flags$offset() {
        return OFFSET_flags;
    }

    public static int flags(MemorySegment struct) {
        return struct.get(C_INT, OFFSET_flags);
    }

    public static void flags(MemorySegment struct, int fieldValue) {
        struct.set(C_INT, OFFSET_flags, fieldValue);
    }
}
