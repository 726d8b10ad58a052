// jextract-shaped binding. Values and offsets were read from gcc on Debian 12 (glibc 2.36,
// linux-libc-dev 6.1.187, liburing 2.3, x86_64); AbiTest re-checks every one against gcc.
package dev.sluice.bindings.linux;

import java.lang.foreign.*;

import static dev.sluice.bindings.linux.CLayouts.*;

/** Layout of {@code struct sock_filter} (8 bytes on x86_64). */
public final class sock_filter {
    private sock_filter() {}

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
        C_SHORT.withName("code"),
        C_CHAR.withName("jt"),
        C_CHAR.withName("jf"),
        C_INT.withName("k")
    ).withName("sock_filter");

    /** The layout of {@code struct sock_filter}. */
    public static GroupLayout layout() {
        return $LAYOUT;
    }

    /** {@code sizeof(struct sock_filter)}. */
    public static long sizeof() {
        return $LAYOUT.byteSize();
    }

    public static final long SIZEOF = 8;

    /** Allocates one zero-filled {@code struct sock_filter}. */
    public static MemorySegment allocate(SegmentAllocator allocator) {
        return allocator.allocate($LAYOUT);
    }

    /** Allocates {@code count} zero-filled {@code struct sock_filter}s. */
    public static MemorySegment allocateArray(long count, SegmentAllocator allocator) {
        return allocator.allocate($LAYOUT, count);
    }

    /** Element {@code index} of an array of {@code struct sock_filter}. */
    public static MemorySegment asSlice(MemorySegment array, long index) {
        return array.asSlice(index * SIZEOF, SIZEOF);
    }

    public static final long OFFSET_code = 0;

    public static long code$offset() {
        return OFFSET_code;
    }

    public static short code(MemorySegment struct) {
        return struct.get(C_SHORT, OFFSET_code);
    }

    public static void code(MemorySegment struct, short fieldValue) {
        struct.set(C_SHORT, OFFSET_code, fieldValue);
    }

    public static final long OFFSET_jt = 2;

    public static long jt$offset() {
        return OFFSET_jt;
    }

    public static byte jt(MemorySegment struct) {
        return struct.get(C_CHAR, OFFSET_jt);
    }

    public static void jt(MemorySegment struct, byte fieldValue) {
        struct.set(C_CHAR, OFFSET_jt, fieldValue);
    }

    public static final long OFFSET_jf = 3;

    public static long jf$offset() {
        return OFFSET_jf;
    }

    public static byte jf(MemorySegment struct) {
        return struct.get(C_CHAR, OFFSET_jf);
    }

    public static void jf(MemorySegment struct, byte fieldValue) {
        struct.set(C_CHAR, OFFSET_jf, fieldValue);
    }

    public static final long OFFSET_k = 4;

    public static long k$offset() {
        return OFFSET_k;
    }

    public static int k(MemorySegment struct) {
        return struct.get(C_INT, OFFSET_k);
    }

    public static void k(MemorySegment struct, int fieldValue) {
        struct.set(C_INT, OFFSET_k, fieldValue);
    }
}
