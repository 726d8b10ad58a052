// jextract-shaped binding. Values and offsets were read from gcc on Debian 12 (glibc 2.36,
// linux-libc-dev 6.1.187, liburing 2.3, x86_64); AbiTest re-checks every one against gcc.
package dev.sluice.bindings.linux;

import java.lang.foreign.*;

import static dev.sluice.bindings.linux.CLayouts.*;

/**
 * Layout of {@code struct sockaddr_in6} (28 bytes). {@code sin6_port} and {@code sin6_flowinfo} are
 * raw, in network byte order; {@code sin6_addr} (a union in C, {@code struct in6_addr}) is modelled
 * as 16 bytes aligned to 4; {@code sin6_scope_id} is in host byte order.
 */
public final class sockaddr_in6 {
    private sockaddr_in6() {}

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
        C_SHORT.withName("sin6_family"),
        C_SHORT.withName("sin6_port"),
        C_INT.withName("sin6_flowinfo"),
        MemoryLayout.sequenceLayout(16, C_CHAR).withByteAlignment(4).withName("sin6_addr"),
        C_INT.withName("sin6_scope_id")
    ).withName("sockaddr_in6");

    /** The layout of {@code struct sockaddr_in6}. */
    public static GroupLayout layout() {
        return $LAYOUT;
    }

    /** {@code sizeof(struct sockaddr_in6)}. */
    public static long sizeof() {
        return $LAYOUT.byteSize();
    }

    public static final long SIZEOF = 28;

    /** Allocates one zero-filled {@code struct sockaddr_in6}. */
    public static MemorySegment allocate(SegmentAllocator allocator) {
        return allocator.allocate($LAYOUT);
    }

    /** Allocates {@code count} zero-filled {@code struct sockaddr_in6}s. */
    public static MemorySegment allocateArray(long count, SegmentAllocator allocator) {
        return allocator.allocate($LAYOUT, count);
    }

    /** Element {@code index} of an array of {@code struct sockaddr_in6}. */
    public static MemorySegment asSlice(MemorySegment array, long index) {
        return array.asSlice(index * SIZEOF, SIZEOF);
    }

    public static final long OFFSET_sin6_family = 0;

    public static long sin6_family$offset() {
        return OFFSET_sin6_family;
    }

    public static short sin6_family(MemorySegment struct) {
        return struct.get(C_SHORT, OFFSET_sin6_family);
    }

    public static void sin6_family(MemorySegment struct, short fieldValue) {
        struct.set(C_SHORT, OFFSET_sin6_family, fieldValue);
    }

    public static final long OFFSET_sin6_port = 2;

    public static long sin6_port$offset() {
        return OFFSET_sin6_port;
    }

    public static short sin6_port(MemorySegment struct) {
        return struct.get(C_SHORT, OFFSET_sin6_port);
    }

    public static void sin6_port(MemorySegment struct, short fieldValue) {
        struct.set(C_SHORT, OFFSET_sin6_port, fieldValue);
    }

    public static final long OFFSET_sin6_flowinfo = 4;

    public static long sin6_flowinfo$offset() {
        return OFFSET_sin6_flowinfo;
    }

    public static int sin6_flowinfo(MemorySegment struct) {
        return struct.get(C_INT, OFFSET_sin6_flowinfo);
    }

    public static void sin6_flowinfo(MemorySegment struct, int fieldValue) {
        struct.set(C_INT, OFFSET_sin6_flowinfo, fieldValue);
    }

    public static final long OFFSET_sin6_addr = 8;

    public static long sin6_addr$offset() {
        return OFFSET_sin6_addr;
    }

    public static MemorySegment sin6_addr(MemorySegment struct) {
        return struct.asSlice(OFFSET_sin6_addr, 16);
    }

    public static void sin6_addr(MemorySegment struct, MemorySegment fieldValue) {
        MemorySegment.copy(fieldValue, 0L, struct, OFFSET_sin6_addr, 16);
    }

    public static final long OFFSET_sin6_scope_id = 24;

    public static long sin6_scope_id$offset() {
        return OFFSET_sin6_scope_id;
    }

    public static int sin6_scope_id(MemorySegment struct) {
        return struct.get(C_INT, OFFSET_sin6_scope_id);
    }

    public static void sin6_scope_id(MemorySegment struct, int fieldValue) {
        struct.set(C_INT, OFFSET_sin6_scope_id, fieldValue);
    }
}
