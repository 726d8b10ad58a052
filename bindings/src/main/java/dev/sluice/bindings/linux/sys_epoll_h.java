// jextract-shaped binding. Values and offsets were read from gcc on Debian 12 (glibc 2.36,
// linux-libc-dev 6.1.187, liburing 2.3, x86_64); AbiTest re-checks every one against gcc.
package dev.sluice.bindings.linux;

import java.lang.foreign.*;
import java.lang.invoke.MethodHandle;

import static dev.sluice.bindings.linux.CLayouts.*;

/** Constants and functions of {@code <sys/epoll.h>} on Linux (glibc, x86_64/aarch64). */
@SuppressWarnings("unused")
public final class sys_epoll_h {
    private sys_epoll_h() {}

    public static final int EPOLL_CLOEXEC = 0x80000;
    public static final int EPOLL_CTL_ADD = 1;
    public static final int EPOLL_CTL_DEL = 2;
    public static final int EPOLL_CTL_MOD = 3;
    public static final int EPOLLIN = 1;
    public static final int EPOLLPRI = 2;
    public static final int EPOLLOUT = 4;
    public static final int EPOLLRDNORM = 64;
    public static final int EPOLLRDBAND = 128;
    public static final int EPOLLWRNORM = 0x100;
    public static final int EPOLLWRBAND = 0x200;
    public static final int EPOLLMSG = 0x400;
    public static final int EPOLLERR = 8;
    public static final int EPOLLHUP = 16;
    public static final int EPOLLRDHUP = 0x2000;
    public static final int EPOLLEXCLUSIVE = 0x10000000;
    public static final int EPOLLWAKEUP = 0x20000000;
    public static final int EPOLLONESHOT = 0x40000000;
    public static final int EPOLLET = 0x80000000;

    private static final class epoll_create1 {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_INT, C_INT);
        static final MethodHandle HANDLE = Native.downcall("epoll_create1", DESC, Native.ERRNO);
    }

    /**
     * {@code epoll_create1}; sets errno, captured into {@code errnoState} (see {@link CapturedErrno}).
     */
    public static int epoll_create1(MemorySegment errnoState, int flags) {
        var mh$ = epoll_create1.HANDLE;
        try {
            return (int) mh$.invokeExact(errnoState, flags);
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class epoll_ctl {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_INT, C_INT, C_INT, C_INT, C_POINTER);
        static final MethodHandle HANDLE = Native.downcall("epoll_ctl", DESC, Native.ERRNO);
    }

    /**
     * {@code epoll_ctl}; sets errno, captured into {@code errnoState} (see {@link CapturedErrno}).
     */
    public static int epoll_ctl(MemorySegment errnoState, int epfd, int op, int fd, MemorySegment event) {
        var mh$ = epoll_ctl.HANDLE;
        try {
            return (int) mh$.invokeExact(errnoState, epfd, op, fd, event);
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class epoll_wait {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_INT, C_INT, C_POINTER, C_INT, C_INT);
        static final MethodHandle HANDLE = Native.downcall("epoll_wait", DESC, Native.ERRNO);
    }

    /**
     * {@code epoll_wait}; sets errno, captured into {@code errnoState} (see {@link CapturedErrno}).
     */
    public static int epoll_wait(MemorySegment errnoState, int epfd, MemorySegment events, int maxevents, int timeout) {
        var mh$ = epoll_wait.HANDLE;
        try {
            return (int) mh$.invokeExact(errnoState, epfd, events, maxevents, timeout);
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }
}
