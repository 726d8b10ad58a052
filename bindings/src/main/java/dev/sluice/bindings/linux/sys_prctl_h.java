// jextract-shaped binding. Values and offsets were read from gcc on Debian 12 (glibc 2.36,
// linux-libc-dev 6.1.187, liburing 2.3, x86_64); AbiTest re-checks every one against gcc.
package dev.sluice.bindings.linux;

import java.lang.foreign.*;
import java.lang.invoke.MethodHandle;

import static dev.sluice.bindings.linux.CLayouts.*;

/** Constants and functions of {@code <sys/prctl.h>} on Linux (glibc, x86_64/aarch64). */
@SuppressWarnings("unused")
public final class sys_prctl_h {
    private sys_prctl_h() {}

    public static final int PR_SET_NO_NEW_PRIVS = 38;
    public static final int PR_GET_NO_NEW_PRIVS = 39;
    public static final int PR_SET_SECCOMP = 22;
    public static final int PR_GET_SECCOMP = 21;
    public static final int PR_SET_NAME = 15;
    public static final int PR_GET_NAME = 16;

    private static final class prctl {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_INT, C_INT, C_LONG, C_LONG, C_LONG, C_LONG);
        static final MethodHandle HANDLE = Native.downcall("prctl", DESC, Native.ERRNO, Linker.Option.firstVariadicArg(1));
    }

    /**
     * {@code prctl(option, arg2, arg3, arg4, arg5)}: the variadic prctl(2) bound in its five-argument
     * form (glibc reads all four as unsigned long; pass 0 for the ones an option ignores).
     * Sets errno, captured into {@code errnoState}.
     */
    public static int prctl(MemorySegment errnoState, int option, long arg2, long arg3, long arg4, long arg5) {
        var mh$ = prctl.HANDLE;
        try {
            return (int) mh$.invokeExact(errnoState, option, arg2, arg3, arg4, arg5);
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }
}
