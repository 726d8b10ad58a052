// jextract-shaped binding. Values and offsets were read from gcc on Debian 12 (glibc 2.36,
// linux-libc-dev 6.1.187, liburing 2.3, x86_64); AbiTest re-checks every one against gcc.
package dev.sluice.bindings.linux;

import java.lang.foreign.*;

import static dev.sluice.bindings.linux.CLayouts.*;

/** Layout of {@code struct io_cqring_offsets} (40 bytes on x86_64). */
public final class io_cqring_offsets {
    private io_cqring_offsets() {}

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
        C_INT.withName("head"),
        C_INT.withName("tail"),
        C_INT.withName("ring_mask"),
        C_INT.withName("ring_entries"),
        C_INT.withName("overflow"),
        C_INT.withName("cqes"),
        C_INT.withName("flags"),
        C_INT.withName("resv1"),
        C_LONG_LONG.withName("resv2")
    ).withName("io_cqring_offsets");

    /** The layout of {@code struct io_cqring_offsets}. */
    public static GroupLayout layout() {
        return $LAYOUT;
    }

    /** {@code sizeof(struct io_cqring_offsets)}. */
    public static long sizeof() {
        return $LAYOUT.byteSize();
    }

    public static final long SIZEOF = 40;

    /** Allocates one zero-filled {@code struct io_cqring_offsets}. */
    public static MemorySegment allocate(SegmentAllocator allocator) {
        return allocator.allocate($LAYOUT);
    }

    /** Allocates {@code count} zero-filled {@code struct io_cqring_offsets}s. */
    public static MemorySegment allocateArray(long count, SegmentAllocator allocator) {
        return allocator.allocate($LAYOUT, count);
    }

    /** Element {@code index} of an array of {@code struct io_cqring_offsets}. */
    public static MemorySegment asSlice(MemorySegment array, long index) {
        return array.asSlice(index * SIZEOF, SIZEOF);
    }

    public static final long OFFSET_head = 0;

    public static long head$offset() {
        return OFFSET_head;
    }

    public static int head(MemorySegment struct) {
        return struct.get(C_INT, OFFSET_head);
    }

    public static void head(MemorySegment struct, int fieldValue) {
        struct.set(C_INT, OFFSET_head, fieldValue);
    }

    public static final long OFFSET_tail = 4;

    public static long tail$offset() {
        return OFFSET_tail;
    }

    public static int tail(MemorySegment struct) {
        return struct.get(C_INT, OFFSET_tail);
    }

    public static void tail(MemorySegment struct, int fieldValue) {
        struct.set(C_INT, OFFSET_tail, fieldValue);
    }

    public static final long OFFSET_ring_mask = 8;

    public static long ring_mask$offset() {
        return OFFSET_ring_mask;
    }

    public static int ring_mask(MemorySegment struct) {
        return struct.get(C_INT, OFFSET_ring_mask);
    }

    public static void ring_mask(MemorySegment struct, int fieldValue) {
        struct.set(C_INT, OFFSET_ring_mask, fieldValue);
    }

    public static final long OFFSET_ring_entries = 12;

    public static long ring_entries$offset() {
        return OFFSET_ring_entries;
    }

    public static int ring_entries(MemorySegment struct) {
        return struct.get(C_INT, OFFSET_ring_entries);
    }

    public static void ring_entries(MemorySegment struct, int fieldValue) {
        struct.set(C_INT, OFFSET_ring_entries, fieldValue);
    }

    public static final long OFFSET_overflow = 16;

    public static long overflow$offset() {
        return OFFSET_overflow;
    }

    public static int overflow(MemorySegment struct) {
        return struct.get(C_INT, OFFSET_overflow);
    }

    public static void overflow(MemorySegment struct, int fieldValue) {
        struct.set(C_INT, OFFSET_overflow, fieldValue);
    }

    public static final long OFFSET_cqes = 20;

    public static long cqes$offset() {
        return OFFSET_cqes;
    }

    public static int cqes(MemorySegment struct) {
        return struct.get(C_INT, OFFSET_cqes);
    }

    public static void cqes(MemorySegment struct, int fieldValue) {
        struct.set(C_INT, OFFSET_cqes, fieldValue);
    }

    public static final long OFFSET_flags = 24;

    public static long flags$offset() {
        return OFFSET_flags;
    }

    public static int flags(MemorySegment struct) {
        return struct.get(C_INT, OFFSET_flags);
    }

    public static void flags(MemorySegment struct, int fieldValue) {
        struct.set(C_INT, OFFSET_flags, fieldValue);
    }

    public static final long OFFSET_resv1 = 28;

    public static long resv1$offset() {
        return OFFSET_resv1;
    }

    public static int resv1(MemorySegment struct) {
        return struct.get(C_INT, OFFSET_resv1);
    }

    public static void resv1(MemorySegment struct, int fieldValue) {
        struct.set(C_INT, OFFSET_resv1, fieldValue);
    }

    public static final long OFFSET_resv2 = 32;

    public static long resv2$offset() {
        return OFFSET_resv2;
    }

    public static long resv2(MemorySegment struct) {
        return struct.get(C_LONG_LONG, OFFSET_resv2);
    }

    public static void resv2(MemorySegment struct, long fieldValue) {
        struct.set(C_LONG_LONG, OFFSET_resv2, fieldValue);
    }
}
