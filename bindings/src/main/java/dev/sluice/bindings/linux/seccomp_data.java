// jextract-shaped binding. Values and offsets were read from gcc on Debian 12 (glibc 2.36,
// linux-libc-dev 6.1.187, liburing 2.3, x86_64); AbiTest re-checks every one against gcc.
package dev.sluice.bindings.linux;

import java.lang.foreign.*;

import static dev.sluice.bindings.linux.CLayouts.*;

/** Layout of {@code struct seccomp_data} (64 bytes on x86_64). */
public final class seccomp_data {
    private seccomp_data() {}

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
        C_INT.withName("nr"),
        C_INT.withName("arch"),
        C_LONG_LONG.withName("instruction_pointer"),
        MemoryLayout.sequenceLayout(6, C_LONG_LONG).withName("args")
    ).withName("seccomp_data");

    /** The layout of {@code struct seccomp_data}. */
    public static GroupLayout layout() {
        return $LAYOUT;
    }

    /** {@code sizeof(struct seccomp_data)}. */
    public static long sizeof() {
        return $LAYOUT.byteSize();
    }

    public static final long SIZEOF = 64;

    /** Allocates one zero-filled {@code struct seccomp_data}. */
    public static MemorySegment allocate(SegmentAllocator allocator) {
        return allocator.allocate($LAYOUT);
    }

    /** Allocates {@code count} zero-filled {@code struct seccomp_data}s. */
    public static MemorySegment allocateArray(long count, SegmentAllocator allocator) {
        return allocator.allocate($LAYOUT, count);
    }

    /** Element {@code index} of an array of {@code struct seccomp_data}. */
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

    public static final long OFFSET_arch = 4;

    public static long arch$offset() {
        return OFFSET_arch;
    }

    public static int arch(MemorySegment struct) {
        return struct.get(C_INT, OFFSET_arch);
    }

    public static void arch(MemorySegment struct, int fieldValue) {
        struct.set(C_INT, OFFSET_arch, fieldValue);
    }

    public static final long OFFSET_instruction_pointer = 8;

    public static long instruction_pointer$offset() {
        return OFFSET_instruction_pointer;
    }

    public static long instruction_pointer(MemorySegment struct) {
        return struct.get(C_LONG_LONG, OFFSET_instruction_pointer);
    }

    public static void instruction_pointer(MemorySegment struct, long fieldValue) {
        struct.set(C_LONG_LONG, OFFSET_instruction_pointer, fieldValue);
    }

    public static final long OFFSET_args = 16;

    public static long args$offset() {
        return OFFSET_args;
    }

    public static MemorySegment args(MemorySegment struct) {
        return struct.asSlice(OFFSET_args, 48);
    }

    public static void args(MemorySegment struct, MemorySegment fieldValue) {
        MemorySegment.copy(fieldValue, 0L, struct, OFFSET_args, 48);
    }
}
