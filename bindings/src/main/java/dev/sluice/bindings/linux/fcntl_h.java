// jextract-shaped binding. Values and offsets were read from gcc on Debian 12 (glibc 2.36,
// linux-libc-dev 6.1.187, liburing 2.3, x86_64); AbiTest re-checks every one against gcc.
package dev.sluice.bindings.linux;

import java.lang.foreign.*;
import java.lang.invoke.MethodHandle;

import static dev.sluice.bindings.linux.CLayouts.*;

/**
 * Constants and functions of {@code <fcntl.h>} on Linux (glibc). {@code splice} and the
 * {@code SPLICE_F_*} and {@code F_*PIPE_SZ} names need {@code _GNU_SOURCE}.
 */
@SuppressWarnings("unused")
public final class fcntl_h {
    private fcntl_h() {}

    public static final int F_DUPFD = 0;
    public static final int F_DUPFD_CLOEXEC = 1030;
    public static final int F_GETFD = 1;
    public static final int F_SETFD = 2;
    public static final int F_GETFL = 3;
    public static final int F_SETFL = 4;
    public static final int FD_CLOEXEC = 1;
    public static final int F_SETPIPE_SZ = 1031;
    public static final int F_GETPIPE_SZ = 1032;
    public static final int O_RDONLY = 0;
    public static final int O_WRONLY = 1;
    public static final int O_RDWR = 2;
    public static final int O_NONBLOCK = 0x800;
    public static final int O_CLOEXEC = 0x80000;
    public static final int O_APPEND = 0x400;
    public static final int SPLICE_F_MOVE = 1;
    public static final int SPLICE_F_NONBLOCK = 2;
    public static final int SPLICE_F_MORE = 4;
    public static final int SPLICE_F_GIFT = 8;

    private static final class splice {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_LONG, C_INT, C_POINTER, C_INT, C_POINTER, C_LONG, C_INT);
        static final MethodHandle HANDLE = Native.downcall("splice", DESC, Native.ERRNO);
    }

    /**
     * {@code splice}; sets errno, captured into {@code errnoState} (see {@link CapturedErrno}).
     */
    public static long splice(MemorySegment errnoState, int fd_in, MemorySegment off_in, int fd_out, MemorySegment off_out, long len, int flags) {
        var mh$ = splice.HANDLE;
        try {
            return (long) mh$.invokeExact(errnoState, fd_in, off_in, fd_out, off_out, len, flags);
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    // fcntl is variadic: `int fcntl(int fd, int cmd, ...)`. jextract would emit an invoker factory;
    // we bind the two shapes we use: no third argument (F_GETFL, F_GETFD, F_GETPIPE_SZ) and an int.

    private static final class fcntl$noarg {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_INT, C_INT, C_INT);
        static final MethodHandle HANDLE = Native.downcall("fcntl", DESC, Native.ERRNO, Linker.Option.firstVariadicArg(2));
    }

    /** {@code fcntl(fd, cmd)}; sets errno, captured into {@code errnoState}. */
    public static int fcntl(MemorySegment errnoState, int fd, int cmd) {
        var mh$ = fcntl$noarg.HANDLE;
        try {
            return (int) mh$.invokeExact(errnoState, fd, cmd);
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class fcntl$int {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_INT, C_INT, C_INT, C_INT);
        static final MethodHandle HANDLE = Native.downcall("fcntl", DESC, Native.ERRNO, Linker.Option.firstVariadicArg(2));
    }

    /** {@code fcntl(fd, cmd, arg)} with an int argument; sets errno, captured into {@code errnoState}. */
    public static int fcntl(MemorySegment errnoState, int fd, int cmd, int arg) {
        var mh$ = fcntl$int.HANDLE;
        try {
            return (int) mh$.invokeExact(errnoState, fd, cmd, arg);
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }
}
