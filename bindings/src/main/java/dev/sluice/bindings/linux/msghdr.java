// jextract-shaped binding. Values and offsets were read from gcc on Debian 12 (glibc 2.36,
// linux-libc-dev 6.1.187, liburing 2.3, x86_64); AbiTest re-checks every one against gcc.
package dev.sluice.bindings.linux;

import java.lang.foreign.*;

import static dev.sluice.bindings.linux.CLayouts.*;

/** Layout of {@code struct msghdr} (56 bytes on x86_64). */
public final class msghdr {
    private msghdr() {}

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
        C_POINTER.withName("msg_name"),
        C_INT.withName("msg_namelen"),
        MemoryLayout.paddingLayout(4),
        C_POINTER.withName("msg_iov"),
        C_LONG_LONG.withName("msg_iovlen"),
        C_POINTER.withName("msg_control"),
        C_LONG_LONG.withName("msg_controllen"),
        C_INT.withName("msg_flags"),
        MemoryLayout.paddingLayout(4)
    ).withName("msghdr");

    /** The layout of {@code struct msghdr}. */
    public static GroupLayout layout() {
        return $LAYOUT;
    }

    /** {@code sizeof(struct msghdr)}. */
    public static long sizeof() {
        return $LAYOUT.byteSize();
    }

    public static final long SIZEOF = 56;

    /** Allocates one zero-filled {@code struct msghdr}. */
    public static MemorySegment allocate(SegmentAllocator allocator) {
        return allocator.allocate($LAYOUT);
    }

    /** Allocates {@code count} zero-filled {@code struct msghdr}s. */
    public static MemorySegment allocateArray(long count, SegmentAllocator allocator) {
        return allocator.allocate($LAYOUT, count);
    }

    /** Element {@code index} of an array of {@code struct msghdr}. */
    public static MemorySegment asSlice(MemorySegment array, long index) {
        return array.asSlice(index * SIZEOF, SIZEOF);
    }

    public static final long OFFSET_msg_name = 0;

    public static long msg_name$offset() {
        return OFFSET_msg_name;
    }

    public static MemorySegment msg_name(MemorySegment struct) {
        return struct.get(C_POINTER, OFFSET_msg_name);
    }

    public static void msg_name(MemorySegment struct, MemorySegment fieldValue) {
        struct.set(C_POINTER, OFFSET_msg_name, fieldValue);
    }

    public static final long OFFSET_msg_namelen = 8;

    public static long msg_namelen$offset() {
        return OFFSET_msg_namelen;
    }

    public static int msg_namelen(MemorySegment struct) {
        return struct.get(C_INT, OFFSET_msg_namelen);
    }

    public static void msg_namelen(MemorySegment struct, int fieldValue) {
        struct.set(C_INT, OFFSET_msg_namelen, fieldValue);
    }

    public static final long OFFSET_msg_iov = 16;

    public static long msg_iov$offset() {
        return OFFSET_msg_iov;
    }

    public static MemorySegment msg_iov(MemorySegment struct) {
        return struct.get(C_POINTER, OFFSET_msg_iov);
    }

    public static void msg_iov(MemorySegment struct, MemorySegment fieldValue) {
        struct.set(C_POINTER, OFFSET_msg_iov, fieldValue);
    }

    public static final long OFFSET_msg_iovlen = 24;

    public static long msg_iovlen$offset() {
        return OFFSET_msg_iovlen;
    }

    public static long msg_iovlen(MemorySegment struct) {
        return struct.get(C_LONG_LONG, OFFSET_msg_iovlen);
    }

    public static void msg_iovlen(MemorySegment struct, long fieldValue) {
        struct.set(C_LONG_LONG, OFFSET_msg_iovlen, fieldValue);
    }

    public static final long OFFSET_msg_control = 32;

    public static long msg_control$offset() {
        return OFFSET_msg_control;
    }

    public static MemorySegment msg_control(MemorySegment struct) {
        return struct.get(C_POINTER, OFFSET_msg_control);
    }

    public static void msg_control(MemorySegment struct, MemorySegment fieldValue) {
        struct.set(C_POINTER, OFFSET_msg_control, fieldValue);
    }

    public static final long OFFSET_msg_controllen = 40;

    public static long msg_controllen$offset() {
        return OFFSET_msg_controllen;
    }

    public static long msg_controllen(MemorySegment struct) {
        return struct.get(C_LONG_LONG, OFFSET_msg_controllen);
    }

    public static void msg_controllen(MemorySegment struct, long fieldValue) {
        struct.set(C_LONG_LONG, OFFSET_msg_controllen, fieldValue);
    }

    public static final long OFFSET_msg_flags = 48;

    public static long msg_flags$offset() {
        return OFFSET_msg_flags;
    }

    public static int msg_flags(MemorySegment struct) {
        return struct.get(C_INT, OFFSET_msg_flags);
    }

    public static void msg_flags(MemorySegment struct, int fieldValue) {
        struct.set(C_INT, OFFSET_msg_flags, fieldValue);
    }
}
