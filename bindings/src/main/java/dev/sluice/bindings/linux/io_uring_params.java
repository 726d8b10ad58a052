// jextract-shaped binding. Values and offsets were read from gcc on Debian 12 (glibc 2.36,
// linux-libc-dev 6.1.187, liburing 2.3, x86_64); AbiTest re-checks every one against gcc.
package dev.sluice.bindings.linux;

import java.lang.foreign.*;

import static dev.sluice.bindings.linux.CLayouts.*;

/** Layout of {@code struct io_uring_params} (120 bytes on x86_64). */
public final class io_uring_params {
    private io_uring_params() {}

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
        C_INT.withName("sq_entries"),
        C_INT.withName("cq_entries"),
        C_INT.withName("flags"),
        C_INT.withName("sq_thread_cpu"),
        C_INT.withName("sq_thread_idle"),
        C_INT.withName("features"),
        C_INT.withName("wq_fd"),
        MemoryLayout.sequenceLayout(3, C_INT).withName("resv"),
        io_sqring_offsets.layout().withName("sq_off"),
        io_cqring_offsets.layout().withName("cq_off")
    ).withName("io_uring_params");

    /** The layout of {@code struct io_uring_params}. */
    public static GroupLayout layout() {
        return $LAYOUT;
    }

    /** {@code sizeof(struct io_uring_params)}. */
    public static long sizeof() {
        return $LAYOUT.byteSize();
    }

    public static final long SIZEOF = 120;

    /** Allocates one zero-filled {@code struct io_uring_params}. */
    public static MemorySegment allocate(SegmentAllocator allocator) {
        return allocator.allocate($LAYOUT);
    }

    /** Allocates {@code count} zero-filled {@code struct io_uring_params}s. */
    public static MemorySegment allocateArray(long count, SegmentAllocator allocator) {
        return allocator.allocate($LAYOUT, count);
    }

    /** Element {@code index} of an array of {@code struct io_uring_params}. */
    public static MemorySegment asSlice(MemorySegment array, long index) {
        return array.asSlice(index * SIZEOF, SIZEOF);
    }

    public static final long OFFSET_sq_entries = 0;

    public static long sq_entries$offset() {
        return OFFSET_sq_entries;
    }

    public static int sq_entries(MemorySegment struct) {
        return struct.get(C_INT, OFFSET_sq_entries);
    }

    public static void sq_entries(MemorySegment struct, int fieldValue) {
        struct.set(C_INT, OFFSET_sq_entries, fieldValue);
    }

    public static final long OFFSET_cq_entries = 4;

    public static long cq_entries$offset() {
        return OFFSET_cq_entries;
    }

    public static int cq_entries(MemorySegment struct) {
        return struct.get(C_INT, OFFSET_cq_entries);
    }

    public static void cq_entries(MemorySegment struct, int fieldValue) {
        struct.set(C_INT, OFFSET_cq_entries, fieldValue);
    }

    public static final long OFFSET_flags = 8;

    public static long flags$offset() {
        return OFFSET_flags;
    }

    public static int flags(MemorySegment struct) {
        return struct.get(C_INT, OFFSET_flags);
    }

    public static void flags(MemorySegment struct, int fieldValue) {
        struct.set(C_INT, OFFSET_flags, fieldValue);
    }

    public static final long OFFSET_sq_thread_cpu = 12;

    public static long sq_thread_cpu$offset() {
        return OFFSET_sq_thread_cpu;
    }

    public static int sq_thread_cpu(MemorySegment struct) {
        return struct.get(C_INT, OFFSET_sq_thread_cpu);
    }

    public static void sq_thread_cpu(MemorySegment struct, int fieldValue) {
        struct.set(C_INT, OFFSET_sq_thread_cpu, fieldValue);
    }

    public static final long OFFSET_sq_thread_idle = 16;

    public static long sq_thread_idle$offset() {
        return OFFSET_sq_thread_idle;
    }

    public static int sq_thread_idle(MemorySegment struct) {
        return struct.get(C_INT, OFFSET_sq_thread_idle);
    }

    public static void sq_thread_idle(MemorySegment struct, int fieldValue) {
        struct.set(C_INT, OFFSET_sq_thread_idle, fieldValue);
    }

    public static final long OFFSET_features = 20;

    public static long features$offset() {
        return OFFSET_features;
    }

    public static int features(MemorySegment struct) {
        return struct.get(C_INT, OFFSET_features);
    }

    public static void features(MemorySegment struct, int fieldValue) {
        struct.set(C_INT, OFFSET_features, fieldValue);
    }

    public static final long OFFSET_wq_fd = 24;

    public static long wq_fd$offset() {
        return OFFSET_wq_fd;
    }

    public static int wq_fd(MemorySegment struct) {
        return struct.get(C_INT, OFFSET_wq_fd);
    }

    public static void wq_fd(MemorySegment struct, int fieldValue) {
        struct.set(C_INT, OFFSET_wq_fd, fieldValue);
    }

    public static final long OFFSET_resv = 28;

    public static long resv$offset() {
        return OFFSET_resv;
    }

    public static MemorySegment resv(MemorySegment struct) {
        return struct.asSlice(OFFSET_resv, 12);
    }

    public static void resv(MemorySegment struct, MemorySegment fieldValue) {
        MemorySegment.copy(fieldValue, 0L, struct, OFFSET_resv, 12);
    }

    public static final long OFFSET_sq_off = 40;

    public static long sq_off$offset() {
        return OFFSET_sq_off;
    }

    public static MemorySegment sq_off(MemorySegment struct) {
        return struct.asSlice(OFFSET_sq_off, 40);
    }

    public static void sq_off(MemorySegment struct, MemorySegment fieldValue) {
        MemorySegment.copy(fieldValue, 0L, struct, OFFSET_sq_off, 40);
    }

    public static final long OFFSET_cq_off = 80;

    public static long cq_off$offset() {
        return OFFSET_cq_off;
    }

    public static MemorySegment cq_off(MemorySegment struct) {
        return struct.asSlice(OFFSET_cq_off, 40);
    }

    public static void cq_off(MemorySegment struct, MemorySegment fieldValue) {
        MemorySegment.copy(fieldValue, 0L, struct, OFFSET_cq_off, 40);
    }
}
