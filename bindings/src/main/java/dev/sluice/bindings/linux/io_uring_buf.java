// jextract-shaped binding. Values and offsets were read from gcc on Debian 12 (glibc 2.36,
// linux-libc-dev 6.1.187, liburing 2.3, x86_64); AbiTest re-checks every one against gcc.
package dev.sluice.bindings.linux;

import java.lang.foreign.*;

import static dev.sluice.bindings.linux.CLayouts.*;

/** Layout of {@code struct io_uring_buf} (16 bytes on x86_64). */
public final class io_uring_buf {
    private io_uring_buf() {}

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
        C_LONG_LONG.withName("addr"),
        C_INT.withName("len"),
        C_SHORT.withName("bid"),
        C_SHORT.withName("resv")
    ).withName("io_uring_buf");

    /** The layout of {@code struct io_uring_buf}. */
    public static GroupLayout layout() {
        return $LAYOUT;
    }

    /** {@code sizeof(struct io_uring_buf)}. */
    public static long sizeof() {
        return $LAYOUT.byteSize();
    }

    public static final long SIZEOF = 16;

    /** Allocates one zero-filled {@code struct io_uring_buf}. */
    public static MemorySegment allocate(SegmentAllocator allocator) {
        return allocator.allocate($LAYOUT);
    }

    /** Allocates {@code count} zero-filled {@code struct io_uring_buf}s. */
    public static MemorySegment allocateArray(long count, SegmentAllocator allocator) {
        return allocator.allocate($LAYOUT, count);
    }

    /** Element {@code index} of an array of {@code struct io_uring_buf}. */
    public static MemorySegment asSlice(MemorySegment array, long index) {
        return array.asSlice(index * SIZEOF, SIZEOF);
    }

    public static final long OFFSET_addr = 0;

    public static long addr$offset() {
        return OFFSET_addr;
    }

    public static long addr(MemorySegment struct) {
        return struct.get(C_LONG_LONG, OFFSET_addr);
    }

    public static void addr(MemorySegment struct, long fieldValue) {
        struct.set(C_LONG_LONG, OFFSET_addr, fieldValue);
    }

    public static final long OFFSET_len = 8;

    public static long len$offset() {
        return OFFSET_len;
    }

    public static int len(MemorySegment struct) {
        return struct.get(C_INT, OFFSET_len);
    }

    public static void len(MemorySegment struct, int fieldValue) {
        struct.set(C_INT, OFFSET_len, fieldValue);
    }

    public static final long OFFSET_bid = 12;

    public static long bid$offset() {
        return OFFSET_bid;
    }

    public static short bid(MemorySegment struct) {
        return struct.get(C_SHORT, OFFSET_bid);
    }

    public static void bid(MemorySegment struct, short fieldValue) {
        struct.set(C_SHORT, OFFSET_bid, fieldValue);
    }

    public static final long OFFSET_resv = 14;

    public static long resv$offset() {
        return OFFSET_resv;
    }

    public static short resv(MemorySegment struct) {
        return struct.get(C_SHORT, OFFSET_resv);
    }

    public static void resv(MemorySegment struct, short fieldValue) {
        struct.set(C_SHORT, OFFSET_resv, fieldValue);
    }
}
