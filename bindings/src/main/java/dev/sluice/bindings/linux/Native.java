package dev.sluice.bindings.linux;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;

/** Linking shared by the holder classes (jextract puts the same in each header class). */
final class Native {
    private Native() {}

    static final Linker LINKER = Linker.nativeLinker();

    /** libc symbols; glibc is what the JDK's default lookup resolves on Linux. */
    static final SymbolLookup LOOKUP = LINKER.defaultLookup();

    /** Functions that set errno are linked with this, and take a {@link CapturedErrno} segment first. */
    static final Linker.Option ERRNO = Linker.Option.captureCallState("errno");

    static MethodHandle downcall(String name, FunctionDescriptor desc, Linker.Option... options) {
        MemorySegment symbol = LOOKUP.find(name)
                .orElseThrow(() -> new UnsatisfiedLinkError("unresolved symbol: " + name));
        return LINKER.downcallHandle(symbol, desc, options);
    }
}
