package dev.sluice.posix;

import dev.sluice.Errno;
import dev.sluice.SluiceException;
import dev.sluice.bindings.linux.CapturedErrno;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * Per-thread errno capture buffers for synchronous calls. Loops allocate their own once and pass
 * it on the data path; this is for calls made from arbitrary threads.
 */
public final class ErrnoState {
    private static final ThreadLocal<MemorySegment> STATE = ThreadLocal.withInitial(() -> CapturedErrno.allocate(Arena.ofAuto()));

    private ErrnoState() {
    }

    /** This thread's capture buffer. */
    public static MemorySegment current() {
        return STATE.get();
    }

    /** The errno last captured into this thread's buffer. */
    public static int errno() {
        return CapturedErrno.errno(STATE.get());
    }

    /** An exception for a failed call, e.g. {@code failure("bind fd 5 to 127.0.0.1:80", errno)}. */
    public static SluiceException failure(String what, int linuxErrno) {
        return new SluiceException(what, LinuxErrno.of(linuxErrno), linuxErrno);
    }

    /** Fails with the thread's errno when {@code result} is negative. */
    public static int check(int result, String what) throws SluiceException {
        if (result < 0) throw failure(what, errno());
        return result;
    }

    /** The portable error for a number. */
    public static Errno portable(int linuxErrno) {
        return LinuxErrno.of(linuxErrno);
    }
}
