// jextract-shaped binding. Values and offsets were read from gcc on Debian 12 (glibc 2.36,
// linux-libc-dev 6.1.187, liburing 2.3, x86_64); AbiTest re-checks every one against gcc.
package dev.sluice.bindings.linux;

import java.lang.foreign.*;

import static dev.sluice.bindings.linux.CLayouts.*;

/** Layout of {@code struct addrinfo} (48 bytes on x86_64). */
public final class addrinfo {
    private addrinfo() {}

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
        C_INT.withName("ai_flags"),
        C_INT.withName("ai_family"),
        C_INT.withName("ai_socktype"),
        C_INT.withName("ai_protocol"),
        C_INT.withName("ai_addrlen"),
        MemoryLayout.paddingLayout(4),
        C_POINTER.withName("ai_addr"),
        C_POINTER.withName("ai_canonname"),
        C_POINTER.withName("ai_next")
    ).withName("addrinfo");

    /** The layout of {@code struct addrinfo}. */
    public static GroupLayout layout() {
        return $LAYOUT;
    }

    /** {@code sizeof(struct addrinfo)}. */
    public static long sizeof() {
        return $LAYOUT.byteSize();
    }

    public static final long SIZEOF = 48;

    /** Allocates one zero-filled {@code struct addrinfo}. */
    public static MemorySegment allocate(SegmentAllocator allocator) {
        return allocator.allocate($LAYOUT);
    }

    /** Allocates {@code count} zero-filled {@code struct addrinfo}s. */
    public static MemorySegment allocateArray(long count, SegmentAllocator allocator) {
        return allocator.allocate($LAYOUT, count);
    }

    /** Element {@code index} of an array of {@code struct addrinfo}. */
    public static MemorySegment asSlice(MemorySegment array, long index) {
        return array.asSlice(index * SIZEOF, SIZEOF);
    }

    public static final long OFFSET_ai_flags = 0;

    public static long ai_flags$offset() {
        return OFFSET_ai_flags;
    }

    public static int ai_flags(MemorySegment struct) {
        return struct.get(C_INT, OFFSET_ai_flags);
    }

    public static void ai_flags(MemorySegment struct, int fieldValue) {
        struct.set(C_INT, OFFSET_ai_flags, fieldValue);
    }

    public static final long OFFSET_ai_family = 4;

    public static long ai_family$offset() {
        return OFFSET_ai_family;
    }

    public static int ai_family(MemorySegment struct) {
        return struct.get(C_INT, OFFSET_ai_family);
    }

    public static void ai_family(MemorySegment struct, int fieldValue) {
        struct.set(C_INT, OFFSET_ai_family, fieldValue);
    }

    public static final long OFFSET_ai_socktype = 8;

    public static long ai_socktype$offset() {
        return OFFSET_ai_socktype;
    }

    public static int ai_socktype(MemorySegment struct) {
        return struct.get(C_INT, OFFSET_ai_socktype);
    }

    public static void ai_socktype(MemorySegment struct, int fieldValue) {
        struct.set(C_INT, OFFSET_ai_socktype, fieldValue);
    }

    public static final long OFFSET_ai_protocol = 12;

    public static long ai_protocol$offset() {
        return OFFSET_ai_protocol;
    }

    public static int ai_protocol(MemorySegment struct) {
        return struct.get(C_INT, OFFSET_ai_protocol);
    }

    public static void ai_protocol(MemorySegment struct, int fieldValue) {
        struct.set(C_INT, OFFSET_ai_protocol, fieldValue);
    }

    public static final long OFFSET_ai_addrlen = 16;

    public static long ai_addrlen$offset() {
        return OFFSET_ai_addrlen;
    }

    public static int ai_addrlen(MemorySegment struct) {
        return struct.get(C_INT, OFFSET_ai_addrlen);
    }

    public static void ai_addrlen(MemorySegment struct, int fieldValue) {
        struct.set(C_INT, OFFSET_ai_addrlen, fieldValue);
    }

    public static final long OFFSET_ai_addr = 24;

    public static long ai_addr$offset() {
        return OFFSET_ai_addr;
    }

    public static MemorySegment ai_addr(MemorySegment struct) {
        return struct.get(C_POINTER, OFFSET_ai_addr);
    }

    public static void ai_addr(MemorySegment struct, MemorySegment fieldValue) {
        struct.set(C_POINTER, OFFSET_ai_addr, fieldValue);
    }

    public static final long OFFSET_ai_canonname = 32;

    public static long ai_canonname$offset() {
        return OFFSET_ai_canonname;
    }

    public static MemorySegment ai_canonname(MemorySegment struct) {
        return struct.get(C_POINTER, OFFSET_ai_canonname);
    }

    public static void ai_canonname(MemorySegment struct, MemorySegment fieldValue) {
        struct.set(C_POINTER, OFFSET_ai_canonname, fieldValue);
    }

    public static final long OFFSET_ai_next = 40;

    public static long ai_next$offset() {
        return OFFSET_ai_next;
    }

    public static MemorySegment ai_next(MemorySegment struct) {
        return struct.get(C_POINTER, OFFSET_ai_next);
    }

    public static void ai_next(MemorySegment struct, MemorySegment fieldValue) {
        struct.set(C_POINTER, OFFSET_ai_next, fieldValue);
    }
}
