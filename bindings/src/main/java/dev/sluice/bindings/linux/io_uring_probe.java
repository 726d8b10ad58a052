// jextract-shaped binding. Values and offsets were read from gcc on Debian 12 (glibc 2.36,
// linux-libc-dev 6.1.187, liburing 2.3, x86_64); AbiTest re-checks every one against gcc.
package dev.sluice.bindings.linux;

import java.lang.foreign.*;

import static dev.sluice.bindings.linux.CLayouts.*;

/** Layout of {@code struct io_uring_probe} (16 bytes on x86_64). */
public final class io_uring_probe {
    private io_uring_probe() {}

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
        C_CHAR.withName("last_op"),
        C_CHAR.withName("ops_len"),
        C_SHORT.withName("resv"),
        MemoryLayout.sequenceLayout(3, C_INT).withName("resv2")
    ).withName("io_uring_probe");

    /** The layout of {@code struct io_uring_probe}. */
    public static GroupLayout layout() {
        return $LAYOUT;
    }

    /** {@code sizeof(struct io_uring_probe)}. */
    public static long sizeof() {
        return $LAYOUT.byteSize();
    }

    public static final long SIZEOF = 16;

    /** Allocates one zero-filled {@code struct io_uring_probe}. */
    public static MemorySegment allocate(SegmentAllocator allocator) {
        return allocator.allocate($LAYOUT);
    }

    /** Allocates {@code count} zero-filled {@code struct io_uring_probe}s. */
    public static MemorySegment allocateArray(long count, SegmentAllocator allocator) {
        return allocator.allocate($LAYOUT, count);
    }

    /** Element {@code index} of an array of {@code struct io_uring_probe}. */
    public static MemorySegment asSlice(MemorySegment array, long index) {
        return array.asSlice(index * SIZEOF, SIZEOF);
    }

    public static final long OFFSET_last_op = 0;

    public static long last_op$offset() {
        return OFFSET_last_op;
    }

    public static byte last_op(MemorySegment struct) {
        return struct.get(C_CHAR, OFFSET_last_op);
    }

    public static void last_op(MemorySegment struct, byte fieldValue) {
        struct.set(C_CHAR, OFFSET_last_op, fieldValue);
    }

    public static final long OFFSET_ops_len = 1;

    public static long ops_len$offset() {
        return OFFSET_ops_len;
    }

    public static byte ops_len(MemorySegment struct) {
        return struct.get(C_CHAR, OFFSET_ops_len);
    }

    public static void ops_len(MemorySegment struct, byte fieldValue) {
        struct.set(C_CHAR, OFFSET_ops_len, fieldValue);
    }

    public static final long OFFSET_resv = 2;

    public static long resv$offset() {
        return OFFSET_resv;
    }

    public static short resv(MemorySegment struct) {
        return struct.get(C_SHORT, OFFSET_resv);
    }

    public static void resv(MemorySegment struct, short fieldValue) {
        struct.set(C_SHORT, OFFSET_resv, fieldValue);
    }

    public static final long OFFSET_resv2 = 4;

    public static long resv2$offset() {
        return OFFSET_resv2;
    }

    public static MemorySegment resv2(MemorySegment struct) {
        return struct.asSlice(OFFSET_resv2, 12);
    }

    public static void resv2(MemorySegment struct, MemorySegment fieldValue) {
        MemorySegment.copy(fieldValue, 0L, struct, OFFSET_resv2, 12);
    }

    public static final long OFFSET_ops = 16;

    public static long ops$offset() {
        return OFFSET_ops;
    }

    /** Flexible array member {@code ops[]}: a slice of {@code struct} from its offset to its end (reinterpret as needed). */
    public static MemorySegment ops(MemorySegment struct) {
        return struct.asSlice(OFFSET_ops);
    }
}
