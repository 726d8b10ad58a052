package dev.sluice.posix.readiness;

import dev.sluice.Address;
import dev.sluice.Errno;
import dev.sluice.Shutdown;
import dev.sluice.spi.Operation;
import java.lang.foreign.MemorySegment;

/**
 * The non-blocking socket calls a readiness engine makes, kept apart from the {@link Poller} so
 * either can be swapped: a kqueue poller can be tested on Linux over an emulation library while
 * these stay Linux calls, and a Darwin implementation differs only in struct layouts and errno
 * numbers. Owned by the loop thread: implementations keep one errno buffer and one scratch area.
 *
 * <p>Every call returns "result or -errno" (the io_uring {@code cqe.res} convention) with the
 * platform's own errno numbers; {@link #portable(int)} names them. None retries EINTR; the engine
 * does. None blocks: the fds are O_NONBLOCK and sends and receives add MSG_DONTWAIT as well.
 */
public interface NonBlockingSockets {
    /** accept4 with SOCK_NONBLOCK | SOCK_CLOEXEC (or accept + fcntl where that is missing): the new fd. */
    int accept(int fd);

    /** Starts a connect: 0 when done at once, -EINPROGRESS when under way, or -errno. */
    int connect(int fd, Address address);

    /**
     * After a connect was under way and the fd became writable: 0 when connected, -EINPROGRESS
     * when still under way (a spurious event), or the failure from SO_ERROR as -errno.
     */
    int connectResult(int fd);

    /** send with MSG_NOSIGNAL | MSG_DONTWAIT of {@code length} bytes at {@code address}: bytes taken (possibly fewer). */
    long send(int fd, long address, int length);

    /** recv with MSG_DONTWAIT into {@code length} bytes at {@code address}: bytes received, 0 at end of stream. */
    long recv(int fd, long address, int length);

    /**
     * sendmsg or recvmsg for a SENDMSG, RECVMSG, SENDTO, RECVFROM, SEND_FDS or RECV_FDS
     * operation, laid out in this object's scratch. A success must be followed at once by
     * {@link #completeMessage(Operation, int)}, before the next call reuses the scratch.
     */
    long transferMessage(Operation op);

    /** Completes {@code op} from what the last {@link #transferMessage(Operation)} left in the scratch. */
    void completeMessage(Operation op, int bytes);

    /**
     * splice(2) with SPLICE_F_NONBLOCK | SPLICE_F_MOVE of up to {@code length} bytes from
     * {@code fdIn} to {@code fdOut}, one of which is a pipe: bytes moved, 0 at end of stream of
     * {@code fdIn}. Platforms without splice answer -EOPNOTSUPP (and report SPLICE unsupported).
     */
    long splice(int fdIn, int fdOut, long length);

    /** shutdown(2). */
    int shutdown(int fd, Shutdown how);

    /** Sets O_NONBLOCK if it is not set (fds received with SCM_RIGHTS may be blocking). */
    int setNonBlocking(int fd);

    /** close(2); EINTR counts as closed (on Linux the fd is gone; retrying could close a reused one). */
    int close(int fd);

    /** The portable name of a platform errno. */
    Errno portable(int errno);

    /** The platform number of a portable errno; the engine looks up the few it needs once. */
    int number(Errno errno);

    /** Releases native memory. */
    void release();
}
