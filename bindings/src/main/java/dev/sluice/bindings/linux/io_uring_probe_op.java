// jextract-shaped binding. Values and offsets were read from gcc on Debian 12 (glibc 2.36,
// linux-libc-dev 6.1.187, liburing 2.3, x86_64); AbiTest re-checks every one against gcc.
package dev.sluice.bindings.linux;

import java.lang.foreign.*;

import static dev.sluice.bindings.linux.CLayouts.*;

/** Layout of {@code struct io_uring_probe_op} (8 bytes on x86_64). */
public final class io_uring_probe_op {
    private io_uring_probe_op() {}

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
        C_CHAR.withName("op"),
        C_CHAR.withName("resv"),
        C_SHORT.withName("flags"),
        C_INT.withName("resv2")
    ).withName("io_uring_probe_op");

    /** The layout of {@code struct io_uring_probe_op}. */
    public static GroupLayout layout() {
        return $LAYOUT;
    }

    /** {@code sizeof(struct io_uring_probe_op)}. */
    public static long sizeof() {
        return $LAYOUT.byteSize();
    }

    public static final long SIZEOF = 8;

    /** Allocates one zero-filled {@code struct io_uring_probe_op}. */
    public static MemorySegment allocate(SegmentAllocator allocator) {
        return allocator.allocate($LAYOUT);
    }

    /** Allocates {@code count} zero-filled {@code struct io_uring_probe_op}s. */
    public static MemorySegment allocateArray(long count, SegmentAllocator allocator) {
        return allocator.allocate($LAYOUT, count);
    }

    /** Element {@code index} of an array of {@code struct io_uring_probe_op}. */
    public static MemorySegment asSlice(MemorySegment array, long index) {
        return array.asSlice(index * SIZEOF, SIZEOF);
    }

    public static final long OFFSET_op = 0;

    public static long op$offset() {
        return OFFSET_op;
    }

    public static byte op(MemorySegment struct) {
        return struct.get(C_CHAR, OFFSET_op);
    }

    public static void op(MemorySegment struct, byte fieldValue) {
        struct.set(C_CHAR, OFFSET_op, fieldValue);
    }

    public static final long OFFSET_resv = 1;

    public static long resv$offset() {
        return OFFSET_resv;
    }

    public static byte resv(MemorySegment struct) {
        return struct.get(C_CHAR, OFFSET_resv);
    }

    public static void resv(MemorySegment struct, byte fieldValue) {
        struct.set(C_CHAR, OFFSET_resv, fieldValue);
    }

    public static final long OFFSET_flags = 2;

    public static long flags$offset() {
        return OFFSET_flags;
    }

    public static short flags(MemorySegment struct) {
        return struct.get(C_SHORT, OFFSET_flags);
    }

    public static void flags(MemorySegment struct, short fieldValue) {
        struct.set(C_SHORT, OFFSET_flags, fieldValue);
    }

    public static final long OFFSET_resv2 = 4;

    public static long resv2$offset() {
        return OFFSET_resv2;
    }

    public static int resv2(MemorySegment struct) {
        return struct.get(C_INT, OFFSET_resv2);
    }

    public static void resv2(MemorySegment struct, int fieldValue) {
        struct.set(C_INT, OFFSET_resv2, fieldValue);
    }
}
