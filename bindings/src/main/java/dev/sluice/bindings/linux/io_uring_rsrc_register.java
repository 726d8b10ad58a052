// jextract-shaped binding. Values and offsets were read from gcc on Debian 12 (glibc 2.36,
// linux-libc-dev 6.1.187, liburing 2.3, x86_64); AbiTest re-checks every one against gcc.
package dev.sluice.bindings.linux;

import java.lang.foreign.*;

import static dev.sluice.bindings.linux.CLayouts.*;

/** Layout of {@code struct io_uring_rsrc_update} (16 bytes on x86_64). */
/** Layout of {@code struct io_uring_rsrc_register} (32 bytes on x86_64): IORING_REGISTER_FILES2 / BUFFERS2 (5.13). */
public final class io_uring_rsrc_register {
    private io_uring_rsrc_register() {}

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
        C_INT.withName("nr"),
        C_INT.withName("flags"),
        C_LONG_LONG.withName("resv2"),
        C_LONG_LONG.withName("data"),
        C_LONG_LONG.withName("tags")
    ).withName("io_uring_rsrc_register");

    /** The layout of {@code struct io_uring_rsrc_register}. */
    public static GroupLayout layout() {
        return $LAYOUT;
    }

    /** {@code sizeof(struct io_uring_rsrc_register)}. */
    public static long sizeof() {
        return $LAYOUT.byteSize();
    }

    public static final long SIZEOF = 32;

    /** Allocates one zero-filled {@code struct io_uring_rsrc_register}. */
    public static MemorySegment allocate(SegmentAllocator allocator) {
        return allocator.allocate($LAYOUT);
    }

    /** Allocates {@code count} zero-filled {@code struct io_uring_rsrc_register}s. */
    public static MemorySegment allocateArray(long count, SegmentAllocator allocator) {
        return allocator.allocate($LAYOUT, count);
    }

    /** Element {@code index} of an array of {@code struct io_uring_rsrc_register}. */
    public static MemorySegment asSlice(MemorySegment array, long index) {
        return array.asSlice(index * SIZEOF, SIZEOF);
    }

    public static final long OFFSET_nr = 0;

    public static long nr$offset() {
        return OFFSET_nr;
    }

    public static int nr(MemorySegment struct) {
        return struct.get(C_INT, OFFSET_nr);
    }

    public static void nr(MemorySegment struct, int fieldValue) {
        struct.set(C_INT, OFFSET_nr, fieldValue);
    }

    public static final long OFFSET_flags = 4;

    public static long flags$offset() {
        return OFFSET_flags;
    }

    public static int flags(MemorySegment struct) {
        return struct.get(C_INT, OFFSET_flags);
    }

    public static void flags(MemorySegment struct, int fieldValue) {
        struct.set(C_INT, OFFSET_flags, fieldValue);
    }

    public static final long OFFSET_resv2 = 8;

    public static long resv2$offset() {
        return OFFSET_resv2;
    }

    public static long resv2(MemorySegment struct) {
        return struct.get(C_LONG_LONG, OFFSET_resv2);
    }

    public static void resv2(MemorySegment struct, long fieldValue) {
        struct.set(C_LONG_LONG, OFFSET_resv2, fieldValue);
    }

    public static final long OFFSET_data = 16;

    public static long data$offset() {
        return OFFSET_data;
    }

    public static long data(MemorySegment struct) {
        return struct.get(C_LONG_LONG, OFFSET_data);
    }

    public static void data(MemorySegment struct, long fieldValue) {
        struct.set(C_LONG_LONG, OFFSET_data, fieldValue);
    }

    public static final long OFFSET_tags = 24;

    public static long tags$offset() {
        return OFFSET_tags;
    }

    public static long tags(MemorySegment struct) {
        return struct.get(C_LONG_LONG, OFFSET_tags);
    }

    public static void tags(MemorySegment struct, long fieldValue) {
        struct.set(C_LONG_LONG, OFFSET_tags, fieldValue);
    }
}
