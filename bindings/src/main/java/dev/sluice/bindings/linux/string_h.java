// jextract-shaped binding. Values and offsets were read from gcc on Debian 12 (glibc 2.36,
// linux-libc-dev 6.1.187, liburing 2.3, x86_64); AbiTest re-checks every one against gcc.
package dev.sluice.bindings.linux;

import java.lang.foreign.*;
import java.lang.invoke.MethodHandle;

import static dev.sluice.bindings.linux.CLayouts.*;

/**
 * {@code <string.h>}: only {@code strerror}, which returns a zero-length segment over a C string
 * (reinterpret before reading; not thread-safe for unknown errnos, fine for messages).
 */
@SuppressWarnings("unused")
public final class string_h {
    private string_h() {}


    private static final class strerror {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_POINTER, C_INT);
        static final MethodHandle HANDLE = Native.downcall("strerror", DESC);
    }

    /**
     * {@code strerror}.
     */
    public static MemorySegment strerror(int errnum) {
        var mh$ = strerror.HANDLE;
        try {
            return (MemorySegment) mh$.invokeExact(errnum);
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }
}
