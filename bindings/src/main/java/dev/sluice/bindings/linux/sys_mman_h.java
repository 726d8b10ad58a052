// jextract-shaped binding. Values and offsets were read from gcc on Debian 12 (glibc 2.36,
// linux-libc-dev 6.1.187, liburing 2.3, x86_64); AbiTest re-checks every one against gcc.
package dev.sluice.bindings.linux;

import java.lang.foreign.*;
import java.lang.invoke.MethodHandle;

import static dev.sluice.bindings.linux.CLayouts.*;

/**
 * Constants and functions of {@code <sys/mman.h>}. {@code MAP_FAILED} is {@code (void *) -1} in C; it
 * is exposed as the long -1 so callers compare {@code mmap(...).address() == MAP_FAILED}. mmap
 * returns a zero-length segment: reinterpret it to the mapped length.
 */
@SuppressWarnings("unused")
public final class sys_mman_h {
    private sys_mman_h() {}

    public static final int PROT_NONE = 0;
    public static final int PROT_READ = 1;
    public static final int PROT_WRITE = 2;
    public static final int MAP_SHARED = 1;
    public static final int MAP_PRIVATE = 2;
    public static final int MAP_ANONYMOUS = 32;
    public static final int MAP_POPULATE = 0x8000;
    public static final long MAP_FAILED = -1L;

    private static final class mmap {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_POINTER, C_POINTER, C_LONG, C_INT, C_INT, C_INT, C_LONG);
        static final MethodHandle HANDLE = Native.downcall("mmap", DESC, Native.ERRNO);
    }

    /**
     * {@code mmap}; sets errno, captured into {@code errnoState} (see {@link CapturedErrno}).
     */
    public static MemorySegment mmap(MemorySegment errnoState, MemorySegment addr, long length, int prot, int flags, int fd, long offset) {
        var mh$ = mmap.HANDLE;
        try {
            return (MemorySegment) mh$.invokeExact(errnoState, addr, length, prot, flags, fd, offset);
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class munmap {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_INT, C_POINTER, C_LONG);
        static final MethodHandle HANDLE = Native.downcall("munmap", DESC, Native.ERRNO);
    }

    /**
     * {@code munmap}; sets errno, captured into {@code errnoState} (see {@link CapturedErrno}).
     */
    public static int munmap(MemorySegment errnoState, MemorySegment addr, long length) {
        var mh$ = munmap.HANDLE;
        try {
            return (int) mh$.invokeExact(errnoState, addr, length);
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }
}
