// jextract-shaped binding. Values and offsets were read from gcc on Debian 12 (glibc 2.36,
// linux-libc-dev 6.1.187, liburing 2.3, x86_64); AbiTest re-checks every one against gcc.
package dev.sluice.bindings.linux;

import java.lang.foreign.*;

import static dev.sluice.bindings.linux.CLayouts.*;

/**
 * Layout of {@code struct sockaddr_in}. {@code sin_port} and {@code sin_addr.s_addr} are in network
 * byte order (big-endian): the accessors read and write raw values, so callers convert, e.g.
 * {@code Short.reverseBytes((short) port)} on a little-endian host, or use a big-endian ValueLayout.
 */
public final class sockaddr_in {
    private sockaddr_in() {}

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
        C_SHORT.withName("sin_family"),
        C_SHORT.withName("sin_port"),
        in_addr.layout().withName("sin_addr"),
        MemoryLayout.sequenceLayout(8, C_CHAR).withName("sin_zero")
    ).withName("sockaddr_in");

    /** The layout of {@code struct sockaddr_in}. */
    public static GroupLayout layout() {
        return $LAYOUT;
    }

    /** {@code sizeof(struct sockaddr_in)}. */
    public static long sizeof() {
        return $LAYOUT.byteSize();
    }

    public static final long SIZEOF = 16;

    /** Allocates one zero-filled {@code struct sockaddr_in}. */
    public static MemorySegment allocate(SegmentAllocator allocator) {
        return allocator.allocate($LAYOUT);
    }

    /** Allocates {@code count} zero-filled {@code struct sockaddr_in}s. */
    public static MemorySegment allocateArray(long count, SegmentAllocator allocator) {
        return allocator.allocate($LAYOUT, count);
    }

    /** Element {@code index} of an array of {@code struct sockaddr_in}. */
    public static MemorySegment asSlice(MemorySegment array, long index) {
        return array.asSlice(index * SIZEOF, SIZEOF);
    }

    public static final long OFFSET_sin_family = 0;

    public static long sin_family$offset() {
        return OFFSET_sin_family;
    }

    public static short sin_family(MemorySegment struct) {
        return struct.get(C_SHORT, OFFSET_sin_family);
    }

    public static void sin_family(MemorySegment struct, short fieldValue) {
        struct.set(C_SHORT, OFFSET_sin_family, fieldValue);
    }

    public static final long OFFSET_sin_port = 2;

    public static long sin_port$offset() {
        return OFFSET_sin_port;
    }

    public static short sin_port(MemorySegment struct) {
        return struct.get(C_SHORT, OFFSET_sin_port);
    }

    public static void sin_port(MemorySegment struct, short fieldValue) {
        struct.set(C_SHORT, OFFSET_sin_port, fieldValue);
    }

    public static final long OFFSET_sin_addr = 4;

    public static long sin_addr$offset() {
        return OFFSET_sin_addr;
    }

    public static MemorySegment sin_addr(MemorySegment struct) {
        return struct.asSlice(OFFSET_sin_addr, 4);
    }

    public static void sin_addr(MemorySegment struct, MemorySegment fieldValue) {
        MemorySegment.copy(fieldValue, 0L, struct, OFFSET_sin_addr, 4);
    }

    public static final long OFFSET_sin_zero = 8;

    public static long sin_zero$offset() {
        return OFFSET_sin_zero;
    }

    public static MemorySegment sin_zero(MemorySegment struct) {
        return struct.asSlice(OFFSET_sin_zero, 8);
    }

    public static void sin_zero(MemorySegment struct, MemorySegment fieldValue) {
        MemorySegment.copy(fieldValue, 0L, struct, OFFSET_sin_zero, 8);
    }
}
