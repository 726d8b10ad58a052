// jextract-shaped binding. Values and offsets were read from gcc on Debian 12 (glibc 2.36,
// linux-libc-dev 6.1.187, liburing 2.3, x86_64); AbiTest re-checks every one against gcc.
package dev.sluice.bindings.linux;

import java.lang.foreign.*;
import java.lang.invoke.MethodHandle;

import static dev.sluice.bindings.linux.CLayouts.*;

/** Constants and functions of {@code <unistd.h>} on Linux (glibc, x86_64/aarch64). */
@SuppressWarnings("unused")
public final class unistd_h {
    private unistd_h() {}

    public static final int STDIN_FILENO = 0;
    public static final int STDOUT_FILENO = 1;
    public static final int STDERR_FILENO = 2;

    private static final class close {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_INT, C_INT);
        static final MethodHandle HANDLE = Native.downcall("close", DESC, Native.ERRNO);
    }

    /**
     * {@code close}; sets errno, captured into {@code errnoState} (see {@link CapturedErrno}).
     */
    public static int close(MemorySegment errnoState, int fd) {
        var mh$ = close.HANDLE;
        try {
            return (int) mh$.invokeExact(errnoState, fd);
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class read {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_LONG, C_INT, C_POINTER, C_LONG);
        static final MethodHandle HANDLE = Native.downcall("read", DESC, Native.ERRNO);
    }

    /**
     * {@code read}; sets errno, captured into {@code errnoState} (see {@link CapturedErrno}).
     */
    public static long read(MemorySegment errnoState, int fd, MemorySegment buf, long count) {
        var mh$ = read.HANDLE;
        try {
            return (long) mh$.invokeExact(errnoState, fd, buf, count);
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class write {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_LONG, C_INT, C_POINTER, C_LONG);
        static final MethodHandle HANDLE = Native.downcall("write", DESC, Native.ERRNO);
    }

    /**
     * {@code write}; sets errno, captured into {@code errnoState} (see {@link CapturedErrno}).
     */
    public static long write(MemorySegment errnoState, int fd, MemorySegment buf, long count) {
        var mh$ = write.HANDLE;
        try {
            return (long) mh$.invokeExact(errnoState, fd, buf, count);
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class pipe2 {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_INT, C_POINTER, C_INT);
        static final MethodHandle HANDLE = Native.downcall("pipe2", DESC, Native.ERRNO);
    }

    /**
     * {@code pipe2}; sets errno, captured into {@code errnoState} (see {@link CapturedErrno}).
     */
    public static int pipe2(MemorySegment errnoState, MemorySegment pipefd, int flags) {
        var mh$ = pipe2.HANDLE;
        try {
            return (int) mh$.invokeExact(errnoState, pipefd, flags);
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class dup {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_INT, C_INT);
        static final MethodHandle HANDLE = Native.downcall("dup", DESC, Native.ERRNO);
    }

    /**
     * {@code dup}; sets errno, captured into {@code errnoState} (see {@link CapturedErrno}).
     */
    public static int dup(MemorySegment errnoState, int oldfd) {
        var mh$ = dup.HANDLE;
        try {
            return (int) mh$.invokeExact(errnoState, oldfd);
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class gethostname {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_INT, C_POINTER, C_LONG);
        static final MethodHandle HANDLE = Native.downcall("gethostname", DESC, Native.ERRNO);
    }

    /**
     * {@code gethostname}; sets errno, captured into {@code errnoState} (see {@link CapturedErrno}).
     */
    public static int gethostname(MemorySegment errnoState, MemorySegment name, long len) {
        var mh$ = gethostname.HANDLE;
        try {
            return (int) mh$.invokeExact(errnoState, name, len);
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class getpid {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_INT);
        static final MethodHandle HANDLE = Native.downcall("getpid", DESC);
    }

    /**
     * {@code getpid}.
     */
    public static int getpid() {
        var mh$ = getpid.HANDLE;
        try {
            return (int) mh$.invokeExact();
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }
}
