// jextract-shaped binding. Values and offsets were read from gcc on Debian 12 (glibc 2.36,
// linux-libc-dev 6.1.187, liburing 2.3, x86_64); AbiTest re-checks every one against gcc.
package dev.sluice.bindings.linux;

import java.lang.foreign.*;
import java.lang.invoke.MethodHandle;

import static dev.sluice.bindings.linux.CLayouts.*;

/**
 * Constants and functions of {@code <netdb.h>}. getaddrinfo/getnameinfo return an {@code EAI_*}
 * code, not -1; errno (captured into {@code errnoState}) is meaningful only for {@code EAI_SYSTEM}.
 * {@code EAI_NODATA}, {@code EAI_ADDRFAMILY}, {@code NI_MAXHOST} and {@code NI_MAXSERV} need
 * {@code _GNU_SOURCE}.
 */
@SuppressWarnings("unused")
public final class netdb_h {
    private netdb_h() {}

    public static final int AI_PASSIVE = 1;
    public static final int AI_CANONNAME = 2;
    public static final int AI_NUMERICHOST = 4;
    public static final int AI_V4MAPPED = 8;
    public static final int AI_ALL = 16;
    public static final int AI_ADDRCONFIG = 32;
    public static final int AI_NUMERICSERV = 0x400;
    public static final int NI_NUMERICHOST = 1;
    public static final int NI_NUMERICSERV = 2;
    public static final int NI_NOFQDN = 4;
    public static final int NI_NAMEREQD = 8;
    public static final int NI_DGRAM = 16;
    public static final int NI_MAXHOST = 1025;
    public static final int NI_MAXSERV = 32;
    public static final int EAI_BADFLAGS = -1;
    public static final int EAI_NONAME = -2;
    public static final int EAI_AGAIN = -3;
    public static final int EAI_FAIL = -4;
    public static final int EAI_FAMILY = -6;
    public static final int EAI_SOCKTYPE = -7;
    public static final int EAI_SERVICE = -8;
    public static final int EAI_MEMORY = -10;
    public static final int EAI_SYSTEM = -11;
    public static final int EAI_OVERFLOW = -12;
    public static final int EAI_NODATA = -5;
    public static final int EAI_ADDRFAMILY = -9;

    private static final class getaddrinfo {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_INT, C_POINTER, C_POINTER, C_POINTER, C_POINTER);
        static final MethodHandle HANDLE = Native.downcall("getaddrinfo", DESC, Native.ERRNO);
    }

    /**
     * {@code getaddrinfo}; sets errno, captured into {@code errnoState} (see {@link CapturedErrno}).
     */
    public static int getaddrinfo(MemorySegment errnoState, MemorySegment node, MemorySegment service, MemorySegment hints, MemorySegment res) {
        var mh$ = getaddrinfo.HANDLE;
        try {
            return (int) mh$.invokeExact(errnoState, node, service, hints, res);
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class freeaddrinfo {
        static final FunctionDescriptor DESC = FunctionDescriptor.ofVoid(C_POINTER);
        static final MethodHandle HANDLE = Native.downcall("freeaddrinfo", DESC);
    }

    /**
     * {@code freeaddrinfo}.
     */
    public static void freeaddrinfo(MemorySegment res) {
        var mh$ = freeaddrinfo.HANDLE;
        try {
            mh$.invokeExact(res);
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class gai_strerror {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_POINTER, C_INT);
        static final MethodHandle HANDLE = Native.downcall("gai_strerror", DESC);
    }

    /**
     * {@code gai_strerror}.
     */
    public static MemorySegment gai_strerror(int errcode) {
        var mh$ = gai_strerror.HANDLE;
        try {
            return (MemorySegment) mh$.invokeExact(errcode);
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class getnameinfo {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_INT, C_POINTER, C_INT, C_POINTER, C_INT, C_POINTER, C_INT, C_INT);
        static final MethodHandle HANDLE = Native.downcall("getnameinfo", DESC, Native.ERRNO);
    }

    /**
     * {@code getnameinfo}; sets errno, captured into {@code errnoState} (see {@link CapturedErrno}).
     */
    public static int getnameinfo(MemorySegment errnoState, MemorySegment addr, int addrlen, MemorySegment host, int hostlen, MemorySegment serv, int servlen, int flags) {
        var mh$ = getnameinfo.HANDLE;
        try {
            return (int) mh$.invokeExact(errnoState, addr, addrlen, host, hostlen, serv, servlen, flags);
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }
}
