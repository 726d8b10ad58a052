// jextract-shaped binding. Values and offsets were read from gcc on Debian 12 (glibc 2.36,
// linux-libc-dev 6.1.187, liburing 2.3, x86_64); AbiTest re-checks every one against gcc.
package dev.sluice.bindings.linux;

import java.lang.foreign.*;

import static dev.sluice.bindings.linux.CLayouts.*;

/**
 * Header view of {@code struct io_uring_buf_ring} (a union in C): the ring {@code tail} overlays
 * {@code bufs[0].resv}, at offset 14. Entries are {@link io_uring_buf}s starting at offset 0.
 */
public final class io_uring_buf_ring {
    private io_uring_buf_ring() {}

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
        C_LONG_LONG.withName("resv1"),
        C_INT.withName("resv2"),
        C_SHORT.withName("resv3"),
        C_SHORT.withName("tail")
    ).withName("io_uring_buf_ring");

    /** The layout of {@code struct io_uring_buf_ring}. */
    public static GroupLayout layout() {
        return $LAYOUT;
    }

    /** {@code sizeof(struct io_uring_buf_ring)}. */
    public static long sizeof() {
        return $LAYOUT.byteSize();
    }

    public static final long SIZEOF = 16;

    /** Allocates one zero-filled {@code struct io_uring_buf_ring}. */
    public static MemorySegment allocate(SegmentAllocator allocator) {
        return allocator.allocate($LAYOUT);
    }

    /** Allocates {@code count} zero-filled {@code struct io_uring_buf_ring}s. */
    public static MemorySegment allocateArray(long count, SegmentAllocator allocator) {
        return allocator.allocate($LAYOUT, count);
    }

    /** Element {@code index} of an array of {@code struct io_uring_buf_ring}. */
    public static MemorySegment asSlice(MemorySegment array, long index) {
        return array.asSlice(index * SIZEOF, SIZEOF);
    }

    public static final long OFFSET_resv1 = 0;

    public static long resv1$offset() {
        return OFFSET_resv1;
    }

    public static long resv1(MemorySegment struct) {
        return struct.get(C_LONG_LONG, OFFSET_resv1);
    }

    public static void resv1(MemorySegment struct, long fieldValue) {
        struct.set(C_LONG_LONG, OFFSET_resv1, fieldValue);
    }

    public static final long OFFSET_resv2 = 8;

    public static long resv2$offset() {
        return OFFSET_resv2;
    }

    public static int resv2(MemorySegment struct) {
        return struct.get(C_INT, OFFSET_resv2);
    }

    public static void resv2(MemorySegment struct, int fieldValue) {
        struct.set(C_INT, OFFSET_resv2, fieldValue);
    }

    public static final long OFFSET_resv3 = 12;

    public static long resv3$offset() {
        return OFFSET_resv3;
    }

    public static short resv3(MemorySegment struct) {
        return struct.get(C_SHORT, OFFSET_resv3);
    }

    public static void resv3(MemorySegment struct, short fieldValue) {
        struct.set(C_SHORT, OFFSET_resv3, fieldValue);
    }

    public static final long OFFSET_tail = 14;

    public static long tail$offset() {
        return OFFSET_tail;
    }

    public static short tail(MemorySegment struct) {
        return struct.get(C_SHORT, OFFSET_tail);
    }

    public static void tail(MemorySegment struct, short fieldValue) {
        struct.set(C_SHORT, OFFSET_tail, fieldValue);
    }

    public static final long OFFSET_bufs = 0;

    public static long bufs$offset() {
        return OFFSET_bufs;
    }

    /** Flexible array member {@code bufs[]}: a slice of {@code struct} from its offset to its end (reinterpret as needed). */
    public static MemorySegment bufs(MemorySegment struct) {
        return struct.asSlice(OFFSET_bufs);
    }
}
