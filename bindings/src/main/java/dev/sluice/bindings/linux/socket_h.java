// jextract-shaped binding. Values and offsets were read from gcc on Debian 12 (glibc 2.36,
// linux-libc-dev 6.1.187, liburing 2.3, x86_64); AbiTest re-checks every one against gcc.
package dev.sluice.bindings.linux;

import java.lang.foreign.*;
import java.lang.invoke.MethodHandle;

import static dev.sluice.bindings.linux.CLayouts.*;

/**
 * Constants and functions of {@code <sys/socket.h>} on Linux (glibc, x86_64/aarch64).
 * Functions that may fail take a leading {@code errnoState} (see {@link CapturedErrno}) and return
 * the raw C result: -1 on error with errno captured. {@code socklen_t} is passed as {@code int}.
 */
@SuppressWarnings("unused")
public final class socket_h {
    private socket_h() {}

    public static final int AF_UNSPEC = 0;
    public static final int AF_UNIX = 1;
    public static final int AF_LOCAL = 1;
    public static final int AF_INET = 2;
    public static final int AF_INET6 = 10;
    public static final int PF_UNSPEC = 0;
    public static final int PF_UNIX = 1;
    public static final int PF_INET = 2;
    public static final int PF_INET6 = 10;
    public static final int SOCK_STREAM = 1;
    public static final int SOCK_DGRAM = 2;
    public static final int SOCK_SEQPACKET = 5;
    public static final int SOCK_RAW = 3;
    public static final int SOCK_NONBLOCK = 0x800;
    public static final int SOCK_CLOEXEC = 0x80000;
    public static final int SOL_SOCKET = 1;
    public static final int SO_DEBUG = 1;
    public static final int SO_REUSEADDR = 2;
    public static final int SO_REUSEPORT = 15;
    public static final int SO_TYPE = 3;
    public static final int SO_ERROR = 4;
    public static final int SO_DONTROUTE = 5;
    public static final int SO_BROADCAST = 6;
    public static final int SO_RCVBUF = 8;
    public static final int SO_SNDBUF = 7;
    public static final int SO_KEEPALIVE = 9;
    public static final int SO_OOBINLINE = 10;
    public static final int SO_LINGER = 13;
    public static final int SO_RCVLOWAT = 18;
    public static final int SO_SNDLOWAT = 19;
    public static final int SO_DOMAIN = 39;
    public static final int SO_PROTOCOL = 38;
    public static final int SO_ACCEPTCONN = 30;
    public static final int SO_PEERCRED = 17;
    public static final int SO_PASSCRED = 16;
    public static final int SO_INCOMING_CPU = 49;
    public static final int SO_ZEROCOPY = 60;
    public static final int SO_BUSY_POLL = 46;
    public static final int SHUT_RD = 0;
    public static final int SHUT_WR = 1;
    public static final int SHUT_RDWR = 2;
    public static final int MSG_OOB = 1;
    public static final int MSG_PEEK = 2;
    public static final int MSG_DONTROUTE = 4;
    public static final int MSG_CTRUNC = 8;
    public static final int MSG_TRUNC = 32;
    public static final int MSG_DONTWAIT = 64;
    public static final int MSG_EOR = 128;
    public static final int MSG_WAITALL = 0x100;
    public static final int MSG_NOSIGNAL = 0x4000;
    public static final int MSG_MORE = 0x8000;
    public static final int MSG_WAITFORONE = 0x10000;
    public static final int MSG_ZEROCOPY = 0x4000000;
    public static final int MSG_CMSG_CLOEXEC = 0x40000000;
    public static final int MSG_ERRQUEUE = 0x2000;
    public static final int SCM_RIGHTS = 1;
    public static final int SCM_CREDENTIALS = 2;
    public static final int SOMAXCONN = 0x1000;

    private static final class socket {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_INT, C_INT, C_INT, C_INT);
        static final MethodHandle HANDLE = Native.downcall("socket", DESC, Native.ERRNO);
    }

    /**
     * {@code socket}; sets errno, captured into {@code errnoState} (see {@link CapturedErrno}).
     */
    public static int socket(MemorySegment errnoState, int domain, int type, int protocol) {
        var mh$ = socket.HANDLE;
        try {
            return (int) mh$.invokeExact(errnoState, domain, type, protocol);
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class bind {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_INT, C_INT, C_POINTER, C_INT);
        static final MethodHandle HANDLE = Native.downcall("bind", DESC, Native.ERRNO);
    }

    /**
     * {@code bind}; sets errno, captured into {@code errnoState} (see {@link CapturedErrno}).
     */
    public static int bind(MemorySegment errnoState, int sockfd, MemorySegment addr, int addrlen) {
        var mh$ = bind.HANDLE;
        try {
            return (int) mh$.invokeExact(errnoState, sockfd, addr, addrlen);
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class listen {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_INT, C_INT, C_INT);
        static final MethodHandle HANDLE = Native.downcall("listen", DESC, Native.ERRNO);
    }

    /**
     * {@code listen}; sets errno, captured into {@code errnoState} (see {@link CapturedErrno}).
     */
    public static int listen(MemorySegment errnoState, int sockfd, int backlog) {
        var mh$ = listen.HANDLE;
        try {
            return (int) mh$.invokeExact(errnoState, sockfd, backlog);
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class accept4 {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_INT, C_INT, C_POINTER, C_POINTER, C_INT);
        static final MethodHandle HANDLE = Native.downcall("accept4", DESC, Native.ERRNO);
    }

    /**
     * {@code accept4}; sets errno, captured into {@code errnoState} (see {@link CapturedErrno}).
     */
    public static int accept4(MemorySegment errnoState, int sockfd, MemorySegment addr, MemorySegment addrlen, int flags) {
        var mh$ = accept4.HANDLE;
        try {
            return (int) mh$.invokeExact(errnoState, sockfd, addr, addrlen, flags);
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class connect {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_INT, C_INT, C_POINTER, C_INT);
        static final MethodHandle HANDLE = Native.downcall("connect", DESC, Native.ERRNO);
    }

    /**
     * {@code connect}; sets errno, captured into {@code errnoState} (see {@link CapturedErrno}).
     */
    public static int connect(MemorySegment errnoState, int sockfd, MemorySegment addr, int addrlen) {
        var mh$ = connect.HANDLE;
        try {
            return (int) mh$.invokeExact(errnoState, sockfd, addr, addrlen);
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class getsockname {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_INT, C_INT, C_POINTER, C_POINTER);
        static final MethodHandle HANDLE = Native.downcall("getsockname", DESC, Native.ERRNO);
    }

    /**
     * {@code getsockname}; sets errno, captured into {@code errnoState} (see {@link CapturedErrno}).
     */
    public static int getsockname(MemorySegment errnoState, int sockfd, MemorySegment addr, MemorySegment addrlen) {
        var mh$ = getsockname.HANDLE;
        try {
            return (int) mh$.invokeExact(errnoState, sockfd, addr, addrlen);
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class getpeername {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_INT, C_INT, C_POINTER, C_POINTER);
        static final MethodHandle HANDLE = Native.downcall("getpeername", DESC, Native.ERRNO);
    }

    /**
     * {@code getpeername}; sets errno, captured into {@code errnoState} (see {@link CapturedErrno}).
     */
    public static int getpeername(MemorySegment errnoState, int sockfd, MemorySegment addr, MemorySegment addrlen) {
        var mh$ = getpeername.HANDLE;
        try {
            return (int) mh$.invokeExact(errnoState, sockfd, addr, addrlen);
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class setsockopt {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_INT, C_INT, C_INT, C_INT, C_POINTER, C_INT);
        static final MethodHandle HANDLE = Native.downcall("setsockopt", DESC, Native.ERRNO);
    }

    /**
     * {@code setsockopt}; sets errno, captured into {@code errnoState} (see {@link CapturedErrno}).
     */
    public static int setsockopt(MemorySegment errnoState, int sockfd, int level, int optname, MemorySegment optval, int optlen) {
        var mh$ = setsockopt.HANDLE;
        try {
            return (int) mh$.invokeExact(errnoState, sockfd, level, optname, optval, optlen);
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class getsockopt {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_INT, C_INT, C_INT, C_INT, C_POINTER, C_POINTER);
        static final MethodHandle HANDLE = Native.downcall("getsockopt", DESC, Native.ERRNO);
    }

    /**
     * {@code getsockopt}; sets errno, captured into {@code errnoState} (see {@link CapturedErrno}).
     */
    public static int getsockopt(MemorySegment errnoState, int sockfd, int level, int optname, MemorySegment optval, MemorySegment optlen) {
        var mh$ = getsockopt.HANDLE;
        try {
            return (int) mh$.invokeExact(errnoState, sockfd, level, optname, optval, optlen);
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class shutdown {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_INT, C_INT, C_INT);
        static final MethodHandle HANDLE = Native.downcall("shutdown", DESC, Native.ERRNO);
    }

    /**
     * {@code shutdown}; sets errno, captured into {@code errnoState} (see {@link CapturedErrno}).
     */
    public static int shutdown(MemorySegment errnoState, int sockfd, int how) {
        var mh$ = shutdown.HANDLE;
        try {
            return (int) mh$.invokeExact(errnoState, sockfd, how);
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class socketpair {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_INT, C_INT, C_INT, C_INT, C_POINTER);
        static final MethodHandle HANDLE = Native.downcall("socketpair", DESC, Native.ERRNO);
    }

    /**
     * {@code socketpair}; sets errno, captured into {@code errnoState} (see {@link CapturedErrno}).
     */
    public static int socketpair(MemorySegment errnoState, int domain, int type, int protocol, MemorySegment sv) {
        var mh$ = socketpair.HANDLE;
        try {
            return (int) mh$.invokeExact(errnoState, domain, type, protocol, sv);
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class sendmsg {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_LONG, C_INT, C_POINTER, C_INT);
        static final MethodHandle HANDLE = Native.downcall("sendmsg", DESC, Native.ERRNO);
    }

    /**
     * {@code sendmsg}; sets errno, captured into {@code errnoState} (see {@link CapturedErrno}).
     */
    public static long sendmsg(MemorySegment errnoState, int sockfd, MemorySegment msg, int flags) {
        var mh$ = sendmsg.HANDLE;
        try {
            return (long) mh$.invokeExact(errnoState, sockfd, msg, flags);
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class recvmsg {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_LONG, C_INT, C_POINTER, C_INT);
        static final MethodHandle HANDLE = Native.downcall("recvmsg", DESC, Native.ERRNO);
    }

    /**
     * {@code recvmsg}; sets errno, captured into {@code errnoState} (see {@link CapturedErrno}).
     */
    public static long recvmsg(MemorySegment errnoState, int sockfd, MemorySegment msg, int flags) {
        var mh$ = recvmsg.HANDLE;
        try {
            return (long) mh$.invokeExact(errnoState, sockfd, msg, flags);
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class send {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_LONG, C_INT, C_POINTER, C_LONG, C_INT);
        static final MethodHandle HANDLE = Native.downcall("send", DESC, Native.ERRNO);
    }

    /**
     * {@code send}; sets errno, captured into {@code errnoState} (see {@link CapturedErrno}).
     */
    public static long send(MemorySegment errnoState, int sockfd, MemorySegment buf, long len, int flags) {
        var mh$ = send.HANDLE;
        try {
            return (long) mh$.invokeExact(errnoState, sockfd, buf, len, flags);
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class recv {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_LONG, C_INT, C_POINTER, C_LONG, C_INT);
        static final MethodHandle HANDLE = Native.downcall("recv", DESC, Native.ERRNO);
    }

    /**
     * {@code recv}; sets errno, captured into {@code errnoState} (see {@link CapturedErrno}).
     */
    public static long recv(MemorySegment errnoState, int sockfd, MemorySegment buf, long len, int flags) {
        var mh$ = recv.HANDLE;
        try {
            return (long) mh$.invokeExact(errnoState, sockfd, buf, len, flags);
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    // send and recv once more with the buffer pointer as its integer value: the same C functions,
    // so a window into a larger segment needs no slice object on the data path. Not jextract
    // output; pointers and longs travel alike in the C calling conventions of x86_64 and aarch64.
    private static final class send$address {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_LONG, C_INT, C_LONG, C_LONG, C_INT);
        static final MethodHandle HANDLE = Native.downcall("send", DESC, Native.ERRNO);
    }

    /** {@code send} with {@code buf} given as an address; sets errno like {@link #send}. */
    public static long send(MemorySegment errnoState, int sockfd, long buf, long len, int flags) {
        var mh$ = send$address.HANDLE;
        try {
            return (long) mh$.invokeExact(errnoState, sockfd, buf, len, flags);
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class recv$address {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_LONG, C_INT, C_LONG, C_LONG, C_INT);
        static final MethodHandle HANDLE = Native.downcall("recv", DESC, Native.ERRNO);
    }

    /** {@code recv} with {@code buf} given as an address; sets errno like {@link #recv}. */
    public static long recv(MemorySegment errnoState, int sockfd, long buf, long len, int flags) {
        var mh$ = recv$address.HANDLE;
        try {
            return (long) mh$.invokeExact(errnoState, sockfd, buf, len, flags);
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class sendto {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_LONG, C_INT, C_POINTER, C_LONG, C_INT, C_POINTER, C_INT);
        static final MethodHandle HANDLE = Native.downcall("sendto", DESC, Native.ERRNO);
    }

    /**
     * {@code sendto}; sets errno, captured into {@code errnoState} (see {@link CapturedErrno}).
     */
    public static long sendto(MemorySegment errnoState, int sockfd, MemorySegment buf, long len, int flags, MemorySegment dest_addr, int addrlen) {
        var mh$ = sendto.HANDLE;
        try {
            return (long) mh$.invokeExact(errnoState, sockfd, buf, len, flags, dest_addr, addrlen);
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class recvfrom {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_LONG, C_INT, C_POINTER, C_LONG, C_INT, C_POINTER, C_POINTER);
        static final MethodHandle HANDLE = Native.downcall("recvfrom", DESC, Native.ERRNO);
    }

    /**
     * {@code recvfrom}; sets errno, captured into {@code errnoState} (see {@link CapturedErrno}).
     */
    public static long recvfrom(MemorySegment errnoState, int sockfd, MemorySegment buf, long len, int flags, MemorySegment src_addr, MemorySegment addrlen) {
        var mh$ = recvfrom.HANDLE;
        try {
            return (long) mh$.invokeExact(errnoState, sockfd, buf, len, flags, src_addr, addrlen);
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    // CMSG_ALIGN, CMSG_SPACE, CMSG_LEN and CMSG_DATA are macros in <bits/socket.h>; jextract cannot
    // bind macros with arguments, so they are mirrored here as arithmetic (AbiTest compares them
    // with the C macros). Alignment is sizeof(size_t) on glibc.

    /** {@code CMSG_ALIGN(len)}: rounds up to a multiple of {@code sizeof(size_t)}. */
    public static long CMSG_ALIGN(long len) {
        return (len + C_LONG.byteSize() - 1) & ~(C_LONG.byteSize() - 1);
    }

    /** {@code CMSG_SPACE(len)}: bytes of control buffer one message with {@code len} data bytes takes. */
    public static long CMSG_SPACE(long len) {
        return CMSG_ALIGN(len) + CMSG_ALIGN(cmsghdr.sizeof());
    }

    /** {@code CMSG_LEN(len)}: the value for {@code cmsg_len} of a message with {@code len} data bytes. */
    public static long CMSG_LEN(long len) {
        return CMSG_ALIGN(cmsghdr.sizeof()) + len;
    }

    /** {@code CMSG_DATA(cmsg)}: the data that follows the header {@code cmsg}. */
    public static MemorySegment CMSG_DATA(MemorySegment cmsg) {
        return cmsg.asSlice(CMSG_ALIGN(cmsghdr.sizeof()));
    }
}
