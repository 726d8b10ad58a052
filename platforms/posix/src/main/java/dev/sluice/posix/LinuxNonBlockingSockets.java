package dev.sluice.posix;

import static dev.sluice.bindings.linux.socket_h.MSG_DONTWAIT;
import static dev.sluice.bindings.linux.socket_h.MSG_NOSIGNAL;
import static dev.sluice.bindings.linux.socket_h.SOCK_CLOEXEC;
import static dev.sluice.bindings.linux.socket_h.SOCK_NONBLOCK;
import static dev.sluice.bindings.linux.socket_h.SOL_SOCKET;
import static dev.sluice.bindings.linux.socket_h.SO_ERROR;

import dev.sluice.Address;
import dev.sluice.Errno;
import dev.sluice.Shutdown;
import dev.sluice.UnixSocket;
import dev.sluice.bindings.linux.CapturedErrno;
import dev.sluice.bindings.linux.errno_h;
import dev.sluice.bindings.linux.fcntl_h;
import dev.sluice.bindings.linux.iovec;
import dev.sluice.bindings.linux.msghdr;
import dev.sluice.bindings.linux.socket_h;
import dev.sluice.bindings.linux.syscall_h;
import dev.sluice.bindings.linux.unistd_h;
import dev.sluice.posix.readiness.NonBlockingSockets;
import dev.sluice.spi.Operation;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Linux's non-blocking socket calls for the readiness engine, with one errno buffer, one sockaddr
 * and one msghdr scratch area allocated at open: a call allocates nothing. Owned by the loop thread.
 */
public final class LinuxNonBlockingSockets implements NonBlockingSockets {
    /** The most iovecs one sendmsg/recvmsg takes (IOV_MAX on Linux; the ring checks it too). */
    public static final int IOV_MAX = 1024;
    private static final long SCRATCH_BYTES = socket_h.CMSG_ALIGN(msghdr.sizeof() + iovec.sizeof() * IOV_MAX
            + Sockaddrs.STORAGE_BYTES + socket_h.CMSG_SPACE(4L * UnixSocket.FDS_MAX));

    private final Arena arena = Arena.ofShared();
    /** Passed to every call: unscoped, so no call pays the shared arena's acquire and release (see Segments). */
    private final MemorySegment errno = Segments.unscoped(CapturedErrno.allocate(arena));
    private final MemorySegment sockaddr = arena.allocate(Sockaddrs.STORAGE_BYTES, 8);
    private final MemorySegment intValue = arena.allocate(ValueLayout.JAVA_INT);
    private final MemorySegment intLength = arena.allocate(ValueLayout.JAVA_INT);
    private final MemorySegment scratch = arena.allocate(SCRATCH_BYTES, 8);
    private boolean released;

    private int failed() {
        return -CapturedErrno.errno(errno);
    }

    @Override
    public int accept(int fd) {
        int r = socket_h.accept4(errno, fd, MemorySegment.NULL, MemorySegment.NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
        return r < 0 ? failed() : r;
    }

    @Override
    public int connect(int fd, Address address) {
        int length = Sockaddrs.encode(address, sockaddr);
        return socket_h.connect(errno, fd, sockaddr, length) < 0 ? failed() : 0;
    }

    @Override
    public int connectResult(int fd) {
        intLength.set(ValueLayout.JAVA_INT, 0, 4);
        if (socket_h.getsockopt(errno, fd, SOL_SOCKET, SO_ERROR, intValue, intLength) < 0) return failed();
        int error = intValue.get(ValueLayout.JAVA_INT, 0);
        if (error != 0) return -error;
        // SO_ERROR is 0 both when connected and while still connecting; getpeername tells them apart.
        intLength.set(ValueLayout.JAVA_INT, 0, Sockaddrs.STORAGE_BYTES);
        if (socket_h.getpeername(errno, fd, sockaddr, intLength) == 0) return 0;
        int e = CapturedErrno.errno(errno);
        return e == errno_h.ENOTCONN ? -errno_h.EINPROGRESS : -e;
    }

    /**
     * The bare sendto/recvfrom syscalls where their numbers are known (x86_64, aarch64): glibc's
     * send/recv wrappers are cancellation points whose bookkeeping costs the loop more than the
     * rest of its Java code per message (see syscall_h). MSG_DONTWAIT keeps them non-blocking,
     * which their critical linkage requires.
     */
    private static final boolean BARE_SYSCALLS = syscall_h.SYS_sendto >= 0 && syscall_h.SYS_recvfrom >= 0
            && !Boolean.getBoolean("sluice.libcSendRecv");

    @Override
    public long send(int fd, long address, int length) {
        long r = BARE_SYSCALLS ? syscall_h.sendto(errno, fd, address, length, MSG_NOSIGNAL | MSG_DONTWAIT)
                : socket_h.send(errno, fd, address, length, MSG_NOSIGNAL | MSG_DONTWAIT);
        return r < 0 ? failed() : r;
    }

    @Override
    public long recv(int fd, long address, int length) {
        long r = BARE_SYSCALLS ? syscall_h.recvfrom(errno, fd, address, length, MSG_DONTWAIT)
                : socket_h.recv(errno, fd, address, length, MSG_DONTWAIT);
        return r < 0 ? failed() : r;
    }

    @Override
    public long transferMessage(Operation op) {
        MemorySegment msg = Messages.prepare(op, scratch);
        int flags = Messages.flags(op) | MSG_DONTWAIT;
        int fd = (int) op.handle();
        long r = Messages.receives(op.op()) ? socket_h.recvmsg(errno, fd, msg, flags) : socket_h.sendmsg(errno, fd, msg, flags);
        return r < 0 ? failed() : r;
    }

    @Override
    public void completeMessage(Operation op, int bytes) {
        Messages.complete(op, scratch, bytes, errno);
    }

    @Override
    public long splice(int fdIn, int fdOut, long length) {
        // Offsets NULL: both ends are a pipe or a socket, which have no file position to use.
        long r = fcntl_h.splice(errno, fdIn, MemorySegment.NULL, fdOut, MemorySegment.NULL, length,
                fcntl_h.SPLICE_F_NONBLOCK | fcntl_h.SPLICE_F_MOVE);
        return r < 0 ? failed() : r;
    }

    @Override
    public int shutdown(int fd, Shutdown how) {
        return socket_h.shutdown(errno, fd, LinuxNumbers.shutdown(how)) < 0 ? failed() : 0;
    }

    @Override
    public int setNonBlocking(int fd) {
        int flags = fcntl_h.fcntl(errno, fd, fcntl_h.F_GETFL);
        if (flags < 0) return failed();
        if ((flags & fcntl_h.O_NONBLOCK) != 0) return 0;
        return fcntl_h.fcntl(errno, fd, fcntl_h.F_SETFL, flags | fcntl_h.O_NONBLOCK) < 0 ? failed() : 0;
    }

    @Override
    public int close(int fd) {
        if (unistd_h.close(errno, fd) == 0) return 0;
        int e = CapturedErrno.errno(errno);
        return e == errno_h.EINTR ? 0 : -e;
    }

    @Override
    public Errno portable(int linuxErrno) {
        return LinuxErrno.of(linuxErrno);
    }

    @Override
    public int number(Errno portable) {
        int n = LinuxErrno.number(portable);
        if (n < 0) throw new IllegalArgumentException(portable + " has no Linux number");
        return n;
    }

    @Override
    public void release() {
        if (released) return;
        released = true;
        arena.close();
    }
}
