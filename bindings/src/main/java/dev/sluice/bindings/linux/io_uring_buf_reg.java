// jextract-shaped binding. Values and offsets were read from gcc on Debian 12 (glibc 2.36,
// linux-libc-dev 6.1.187, liburing 2.3, x86_64); AbiTest re-checks every one against gcc.
package dev.sluice.bindings.linux;

import java.lang.foreign.*;

import static dev.sluice.bindings.linux.CLayouts.*;

/** Layout of {@code struct io_uring_buf_reg} (40 bytes on x86_64). */
public final class io_uring_buf_reg {
    private io_uring_buf_reg() {}

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
        C_LONG_LONG.withName("ring_addr"),
        C_INT.withName("ring_entries"),
        C_SHORT.withName("bgid"),
        C_SHORT.withName("pad"),
        MemoryLayout.sequenceLayout(3, C_LONG_LONG).withName("resv")
    ).withName("io_uring_buf_reg");

    /** The layout of {@code struct io_uring_buf_reg}. */
    public static GroupLayout layout() {
        return $LAYOUT;
    }

    /** {@code sizeof(struct io_uring_buf_reg)}. */
    public static long sizeof() {
        return $LAYOUT.byteSize();
    }

    public static final long SIZEOF = 40;

    /** Allocates one zero-filled {@code struct io_uring_buf_reg}. */
    public static MemorySegment allocate(SegmentAllocator allocator) {
        return allocator.allocate($LAYOUT);
    }

    /** Allocates {@code count} zero-filled {@code struct io_uring_buf_reg}s. */
    public static MemorySegment allocateArray(long count, SegmentAllocator allocator) {
        return allocator.allocate($LAYOUT, count);
    }

    /** Element {@code index} of an array of {@code struct io_uring_buf_reg}. */
    public static MemorySegment asSlice(MemorySegment array, long index) {
        return array.asSlice(index * SIZEOF, SIZEOF);
    }

    public static final long OFFSET_ring_addr = 0;

    public static long ring_addr$offset() {
        return OFFSET_ring_addr;
    }

    public static long ring_addr(MemorySegment struct) {
        return struct.get(C_LONG_LONG, OFFSET_ring_addr);
    }

    public static void ring_addr(MemorySegment struct, long fieldValue) {
        struct.set(C_LONG_LONG, OFFSET_ring_addr, fieldValue);
    }

    public static final long OFFSET_ring_entries = 8;

    public static long ring_entries$offset() {
        return OFFSET_ring_entries;
    }

    public static int ring_entries(MemorySegment struct) {
        return struct.get(C_INT, OFFSET_ring_entries);
    }

    public static void ring_entries(MemorySegment struct, int fieldValue) {
        struct.set(C_INT, OFFSET_ring_entries, fieldValue);
    }

    public static final long OFFSET_bgid = 12;

    public static long bgid$offset() {
        return OFFSET_bgid;
    }

    public static short bgid(MemorySegment struct) {
        return struct.get(C_SHORT, OFFSET_bgid);
    }

    public static void bgid(MemorySegment struct, short fieldValue) {
        struct.set(C_SHORT, OFFSET_bgid, fieldValue);
    }

    public static final long OFFSET_pad = 14;

    public static long pad$offset() {
        return OFFSET_pad;
    }

    public static short pad(MemorySegment struct) {
        return struct.get(C_SHORT, OFFSET_pad);
    }

    public static void pad(MemorySegment struct, short fieldValue) {
        struct.set(C_SHORT, OFFSET_pad, fieldValue);
    }

    public static final long OFFSET_resv = 16;

    public static long resv$offset() {
        return OFFSET_resv;
    }

    public static MemorySegment resv(MemorySegment struct) {
        return struct.asSlice(OFFSET_resv, 24);
    }

    public static void resv(MemorySegment struct, MemorySegment fieldValue) {
        MemorySegment.copy(fieldValue, 0L, struct, OFFSET_resv, 24);
    }
}
