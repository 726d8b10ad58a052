// jextract-shaped binding. Values and offsets were read from gcc on Debian 12 (glibc 2.36,
// linux-libc-dev 6.1.187, liburing 2.3, x86_64); AbiTest re-checks every one against gcc.
package dev.sluice.bindings.linux;

import java.lang.foreign.*;
import java.lang.invoke.MethodHandle;

import static dev.sluice.bindings.linux.CLayouts.*;

/**
 * Syscall numbers from {@code <sys/syscall.h>} and typed invokers over the variadic
 * {@code long syscall(long number, ...)} of {@code <unistd.h>}; glibc has no io_uring wrappers.
 * The io_uring syscalls are 425-427 on every architecture (they were added after the syscall
 * tables were unified in Linux 5.1), so these numbers hold on x86_64 and aarch64 alike.
 */
@SuppressWarnings("unused")
public final class syscall_h {
    private syscall_h() {}

    /**
     * sendto(2) and recvfrom(2) by number, for callers that want the bare syscall. They differ per
     * architecture: x86_64 44 and 45 ({@code asm/unistd_64.h}), aarch64 206 and 207 (the generic
     * table, {@code asm-generic/unistd.h}); -1 on others, where callers must use libc's send/recv.
     */
    public static final int SYS_sendto = byArch(44, 206);
    public static final int SYS_recvfrom = byArch(45, 207);
    /**
     * epoll_pwait(2) by number: x86_64 281, aarch64 22 (aarch64 has no plain epoll_wait; with a
     * NULL sigmask epoll_pwait is epoll_wait); -1 on others.
     */
    public static final int SYS_epoll_pwait = byArch(281, 22);

    public static final int SYS_io_uring_setup = 425;
    public static final int SYS_io_uring_enter = 426;
    public static final int SYS_io_uring_register = 427;

    // syscall(2) is variadic: `long syscall(long number, ...)`. Every argument after the number is
    // passed as a 64-bit value (C_LONG or a pointer), which is what glibc's syscall() moves into the
    // syscall registers; the kernel's SYSCALL_DEFINE wrappers then truncate each to the declared
    // u32, so 32-bit arguments are widened with Integer.toUnsignedLong to match the kernel's view.

    private static int byArch(int x86_64, int aarch64) {
        return switch (System.getProperty("os.arch")) {
            case "amd64", "x86_64" -> x86_64;
            case "aarch64" -> aarch64;
            default -> -1;
        };
    }

    // sendto/recvfrom through syscall(2) rather than glibc's send()/recv(): those are pthread
    // cancellation points and bracket every call with __pthread_enable/disable_asynccancel, which
    // profiles of the epoll event loop put at about a sixth of its user time (the JVM never
    // cancels threads, so the bracket buys nothing). Linked "critical" (no Java thread-state
    // transition around the call): only for non-blocking use, MSG_DONTWAIT or an O_NONBLOCK fd,
    // where the call returns within microseconds; a blocking call would hold up every safepoint.

    private static final class sendto$syscall {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_LONG, C_LONG, C_LONG, C_LONG, C_LONG, C_LONG, C_LONG, C_LONG);
        static final MethodHandle HANDLE = Native.downcall("syscall", DESC, Native.ERRNO, Linker.Option.firstVariadicArg(1),
                Linker.Option.critical(false));
    }

    /**
     * {@code syscall(SYS_sendto, fd, buf, len, flags, NULL, 0)}: a send on a connected socket that
     * must not block (see above). Returns the bytes sent, or -1 with errno captured. Only where
     * {@link #SYS_sendto} is not -1.
     */
    public static long sendto(MemorySegment errnoState, int sockfd, long buf, long len, int flags) {
        var mh$ = sendto$syscall.HANDLE;
        try {
            return (long) mh$.invokeExact(errnoState, (long) SYS_sendto, (long) sockfd, buf, len, Integer.toUnsignedLong(flags), 0L, 0L);
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class epoll_pwait$syscall {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_LONG, C_LONG, C_LONG, C_LONG, C_LONG, C_LONG, C_LONG, C_LONG);
        static final MethodHandle HANDLE = Native.downcall("syscall", DESC, Native.ERRNO, Linker.Option.firstVariadicArg(1),
                Linker.Option.critical(false));
    }

    /**
     * {@code syscall(SYS_epoll_pwait, epfd, events, maxevents, 0, NULL, 8)}: a harvest of the ready
     * list that never waits (timeout 0), so it may be linked critical like sendto/recvfrom above;
     * glibc's epoll_wait is a cancellation point with the same bracket. Returns the number of
     * events, or -1 with errno captured. Only where {@link #SYS_epoll_pwait} is not -1; never
     * with a timeout other than 0.
     */
    public static int epoll_pwait_nowait(MemorySegment errnoState, int epfd, long events, int maxevents) {
        var mh$ = epoll_pwait$syscall.HANDLE;
        try {
            return (int) (long) mh$.invokeExact(errnoState, (long) SYS_epoll_pwait, (long) epfd, events,
                    Integer.toUnsignedLong(maxevents), 0L, 0L, 8L);
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class recvfrom$syscall {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_LONG, C_LONG, C_LONG, C_LONG, C_LONG, C_LONG, C_LONG, C_LONG);
        static final MethodHandle HANDLE = Native.downcall("syscall", DESC, Native.ERRNO, Linker.Option.firstVariadicArg(1),
                Linker.Option.critical(false));
    }

    /**
     * {@code syscall(SYS_recvfrom, fd, buf, len, flags, NULL, NULL)}: a receive that must not block
     * (see above). Returns the bytes received (0 at end of stream), or -1 with errno captured.
     * Only where {@link #SYS_recvfrom} is not -1.
     */
    public static long recvfrom(MemorySegment errnoState, int sockfd, long buf, long len, int flags) {
        var mh$ = recvfrom$syscall.HANDLE;
        try {
            return (long) mh$.invokeExact(errnoState, (long) SYS_recvfrom, (long) sockfd, buf, len, Integer.toUnsignedLong(flags), 0L, 0L);
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class io_uring_setup {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_LONG, C_LONG, C_LONG, C_POINTER);
        static final MethodHandle HANDLE = Native.downcall("syscall", DESC, Native.ERRNO, Linker.Option.firstVariadicArg(1));
    }

    /**
     * {@code syscall(SYS_io_uring_setup, entries, params)}: io_uring_setup(2). Returns the ring fd,
     * or -1 with errno captured into {@code errnoState}.
     */
    public static int io_uring_setup(MemorySegment errnoState, int entries, MemorySegment params) {
        var mh$ = io_uring_setup.HANDLE;
        try {
            return (int) (long) mh$.invokeExact(errnoState, (long) SYS_io_uring_setup, Integer.toUnsignedLong(entries), params);
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class io_uring_enter {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_LONG, C_LONG, C_LONG, C_LONG, C_LONG, C_LONG, C_POINTER, C_LONG);
        static final MethodHandle HANDLE = Native.downcall("syscall", DESC, Native.ERRNO, Linker.Option.firstVariadicArg(1));
    }

    /**
     * {@code syscall(SYS_io_uring_enter, fd, toSubmit, minComplete, flags, arg, argSize)}:
     * io_uring_enter2 in liburing terms ({@code arg} is a sigset or, with IORING_ENTER_EXT_ARG, an
     * io_uring_getevents_arg). Returns the number of SQEs consumed, or -1 with errno captured.
     */
    public static int io_uring_enter(MemorySegment errnoState, int fd, int toSubmit, int minComplete, int flags,
                                     MemorySegment arg, long argSize) {
        var mh$ = io_uring_enter.HANDLE;
        try {
            return (int) (long) mh$.invokeExact(errnoState, (long) SYS_io_uring_enter, Integer.toUnsignedLong(fd),
                    Integer.toUnsignedLong(toSubmit), Integer.toUnsignedLong(minComplete), Integer.toUnsignedLong(flags),
                    arg, argSize);
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class io_uring_register {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_LONG, C_LONG, C_LONG, C_LONG, C_POINTER, C_LONG);
        static final MethodHandle HANDLE = Native.downcall("syscall", DESC, Native.ERRNO, Linker.Option.firstVariadicArg(1));
    }

    /**
     * {@code syscall(SYS_io_uring_register, fd, opcode, arg, nrArgs)}: io_uring_register(2).
     * Returns an opcode-specific value ≥ 0, or -1 with errno captured into {@code errnoState}.
     */
    public static int io_uring_register(MemorySegment errnoState, int fd, int opcode, MemorySegment arg, int nrArgs) {
        var mh$ = io_uring_register.HANDLE;
        try {
            return (int) (long) mh$.invokeExact(errnoState, (long) SYS_io_uring_register, Integer.toUnsignedLong(fd),
                    Integer.toUnsignedLong(opcode), arg, Integer.toUnsignedLong(nrArgs));
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }
}
