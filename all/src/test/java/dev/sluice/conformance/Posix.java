package dev.sluice.conformance;

import dev.sluice.bindings.linux.CapturedErrno;
import dev.sluice.bindings.linux.fcntl_h;
import dev.sluice.bindings.linux.unistd_h;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The few raw fd calls the fd-passing tests need and Sluice's API rightly does not offer (pipes,
 * read/write on a passed fd, its close-on-exec flag). Test scaffolding over the Linux bindings,
 * not part of what is under test.
 */
final class Posix {
    private Posix() {
    }

    /** A pipe with close-on-exec set: {read end, write end}. */
    static int[] pipe() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment errno = CapturedErrno.allocate(arena);
            MemorySegment fds = arena.allocate(ValueLayout.JAVA_INT, 2);
            check(unistd_h.pipe2(errno, fds, fcntl_h.O_CLOEXEC), errno, "pipe2");
            return new int[] {fds.getAtIndex(ValueLayout.JAVA_INT, 0), fds.getAtIndex(ValueLayout.JAVA_INT, 1)};
        }
    }

    /** Writes all of {@code data} (small: a pipe takes it in one write). */
    static void write(int fd, byte[] data) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment errno = CapturedErrno.allocate(arena);
            MemorySegment buf = arena.allocate(data.length);
            MemorySegment.copy(data, 0, buf, ValueLayout.JAVA_BYTE, 0, data.length);
            long n = unistd_h.write(errno, fd, buf, data.length);
            check(n, errno, "write to fd " + fd);
            if (n != data.length) throw new AssertionError("short write of " + n + " to fd " + fd);
        }
    }

    /** One read of up to {@code max} bytes. */
    static byte[] read(int fd, int max) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment errno = CapturedErrno.allocate(arena);
            MemorySegment buf = arena.allocate(max);
            long n = unistd_h.read(errno, fd, buf, max);
            check(n, errno, "read from fd " + fd);
            return buf.asSlice(0, n).toArray(ValueLayout.JAVA_BYTE);
        }
    }

    static void close(int fd) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment errno = CapturedErrno.allocate(arena);
            check(unistd_h.close(errno, fd), errno, "close fd " + fd);
        }
    }

    /** True when {@code fd} has FD_CLOEXEC set. */
    static boolean closeOnExec(int fd) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment errno = CapturedErrno.allocate(arena);
            int flags = fcntl_h.fcntl(errno, fd, fcntl_h.F_GETFD);
            check(flags, errno, "fcntl(F_GETFD) on fd " + fd);
            return (flags & fcntl_h.FD_CLOEXEC) != 0;
        }
    }

    /** True when {@code fd} is open in this process. */
    static boolean isOpen(int fd) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment errno = CapturedErrno.allocate(arena);
            return fcntl_h.fcntl(errno, fd, fcntl_h.F_GETFD) >= 0;
        }
    }

    private static void check(long result, MemorySegment errno, String what) {
        if (result < 0) throw new AssertionError(what + " failed with errno " + CapturedErrno.errno(errno));
    }
}
