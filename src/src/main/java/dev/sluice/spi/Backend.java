package dev.sluice.spi;

import dev.sluice.Capabilities;
import dev.sluice.Family;
import dev.sluice.Protocol;
import dev.sluice.SluiceException;
import dev.sluice.SocketType;

/**
 * One backend instance, owned by the thread that opened it; only {@link #wakeup()} may be called
 * from other threads. The ring guarantees that at most {@code RingConfig.inflightMax} operations
 * are in flight at once, that an operation is submitted again only after it completed, and that
 * every operation's socket belongs to this backend.
 *
 * <p>The contract every backend keeps: each submitted {@link Operation} completes exactly once,
 * through {@link Operation#complete(int)} or one of its siblings, and never from inside
 * {@link #submit(Operation)}: only from {@link #poll(long)} or {@link #close()}. An operation with
 * a deadline ({@link Operation#deadlineNanos()} above 0) that has not finished by then completes
 * with {@code ETIMEDOUT}. Buffers given with an operation belong to the kernel until it completes.
 */
public interface Backend {
    /** What this backend does natively and what it emulates. */
    Capabilities capabilities();

    /** The platform's synchronous socket calls. */
    SocketSystem sockets();

    /** Opens a socket prepared for this backend (non-blocking for readiness backends). */
    long openSocket(Family family, SocketType type, Protocol protocol) throws SluiceException;

    /** Opens a connected pair prepared for this backend. */
    long[] openSocketPair(Family family, SocketType type) throws SluiceException;

    /**
     * Opens a pipe for SPLICE operations, sized to {@code capacityBytes} where the system allows
     * (F_SETPIPE_SZ), prepared for this backend. Returns {read end, write end}. Backends without
     * splice leave this unsupported and report {@code Op.SPLICE} as UNSUPPORTED.
     */
    default long[] openPipe(int capacityBytes) throws SluiceException {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " does not splice");
    }

    /**
     * Opens a group of {@code count} receive buffers of {@code size} bytes for RECV_MULTISHOT
     * ({@link BufferGroup}); io_uring registers it as a provided-buffer ring. Backends that report
     * RECV_MULTISHOT as UNSUPPORTED leave this unsupported.
     */
    default BufferGroup openBufferGroup(int count, int size) throws SluiceException {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " has no multishot receive");
    }

    /** Whether SPLICE takes {@link Operation#SPLICE_PUMP} (socket → pipe → socket in one operation). */
    default boolean splicePump() {
        return false;
    }

    /**
     * The caller has stopped splicing on this socket: no SPLICE on it is pending, and none will be
     * submitted unless it starts again. A backend that changed the socket to splice (io_uring
     * makes it O_NONBLOCK, so splice(2) can run on the loop thread) puts it back as it was, so the
     * socket behaves as before for its owner and for code outside Sluice. Loop thread only.
     */
    default void spliceDone(long handle) throws SluiceException {
    }

    /** Queues an operation; the kernel may see it only at the next {@link #poll(long)}. */
    void submit(Operation op);

    /**
     * Submits what is queued, then waits up to {@code timeoutNanos} (0: not at all; negative: until
     * something happens) for at least one completion or a {@link #wakeup()}, and completes every
     * operation the kernel has finished.
     *
     * @return how many operations completed
     */
    int poll(long timeoutNanos) throws SluiceException;

    /** Makes a waiting or the next {@link #poll(long)} return soon. Any thread; cheap when repeated. */
    void wakeup();

    /**
     * Closes a socket now: operations still pending on it complete with ECANCELED (at a later
     * poll), then the handle is released.
     */
    void closeSocket(long handle) throws SluiceException;

    /**
     * Cancels everything in flight, waits until every operation completed (each with its own
     * result or ECANCELED), and releases all native resources. Idempotent.
     */
    void close();

}
