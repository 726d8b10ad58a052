// jextract-shaped binding. Values and offsets were read from gcc on Debian 12 (glibc 2.36,
// linux-libc-dev 6.1.187, liburing 2.3, x86_64); AbiTest re-checks every one against gcc.
package dev.sluice.bindings.linux;

import java.lang.foreign.*;
import java.lang.invoke.MethodHandle;

import static dev.sluice.bindings.linux.CLayouts.*;

/** Constants and functions of {@code <sys/eventfd.h>} on Linux (glibc, x86_64/aarch64). */
@SuppressWarnings("unused")
public final class sys_eventfd_h {
    private sys_eventfd_h() {}

    public static final int EFD_CLOEXEC = 0x80000;
    public static final int EFD_NONBLOCK = 0x800;
    public static final int EFD_SEMAPHORE = 1;

    private static final class eventfd {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_INT, C_INT, C_INT);
        static final MethodHandle HANDLE = Native.downcall("eventfd", DESC, Native.ERRNO);
    }

    /**
     * {@code eventfd}; sets errno, captured into {@code errnoState} (see {@link CapturedErrno}).
     */
    public static int eventfd(MemorySegment errnoState, int initval, int flags) {
        var mh$ = eventfd.HANDLE;
        try {
            return (int) mh$.invokeExact(errnoState, initval, flags);
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }
}
