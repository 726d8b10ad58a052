package dev.sluice.posix.readiness;

import dev.sluice.spi.Operation;

/**
 * What the engine knows about one fd: whether it is registered with the poller, whether it is
 * known to be non-blocking, and the operations waiting on it, one FIFO per direction. Created on
 * first use of an fd number and reused when the number comes back after a close.
 *
 * <p>The two FIFOs are linked through {@link Operation#backendNext()} like {@link OpQueue}, with
 * their heads and tails kept here rather than in two queue objects: in a server each message's
 * kernel work evicts the loop's data, and every object between an event and its syscall is one
 * more cache miss in a chain (fd state, queue, operation).
 */
final class FdState {
    /** The read direction: ACCEPT, RECV, RECVMSG, RECVFROM, RECV_FDS, the multishot receives, SPLICE from the socket. */
    static final boolean READ = true;
    /** The write direction: CONNECT, SEND, SENDMSG, SENDTO, SEND_FDS, SPLICE into the socket. */
    static final boolean WRITE = false;

    final int fd;
    /** Bumped at each close, and carried in poller tokens so an event for an earlier life of the number is ignored. */
    int generation;
    boolean registered;
    boolean nonBlocking;
    /** Operations waiting to read, oldest first. */
    private Operation readHead;
    private Operation readTail;
    /** Operations waiting to write, oldest first. */
    private Operation writeHead;
    private Operation writeTail;
    /** An event (or an unfinished batch) says the read queue may make progress. */
    boolean readReady;
    /**
     * The last read syscall proved the receive queue empty (EAGAIN, or a short read on TCP) and
     * no event came since. Edge-triggered polling reports any later data, so a new read op can
     * wait without trying the syscall it knows would fail.
     */
    boolean readDrained;
    /** A TCP socket: the only kind where a short read may count as proof of an empty queue. */
    boolean tcp;
    /**
     * The poller reported something after which a short read no longer proves the queue empty:
     * the peer's FIN (recv stops before it), urgent data (recv stops at the mark), an error or a
     * hang-up. Sticky for this life of the fd.
     */
    boolean shortReadsUnreliable;
    boolean writeReady;
    // Links of the engine's lists of fds; untouched by reset() so a listed state stays listed once.
    boolean runnable;
    FdState nextRunnable;
    boolean retrying;
    FdState nextRetry;

    FdState(int fd) {
        this.fd = fd;
    }

    long token() {
        return ((long) generation << 32) | (fd & 0xFFFF_FFFFL);
    }

    static int fdOf(long token) {
        return (int) token;
    }

    static int generationOf(long token) {
        return (int) (token >>> 32);
    }

    // The FIFOs. An operation is in at most one queue at a time; removing from the middle walks the
    // queue (only cancellation and deadlines do that, and per-fd queues are short).

    boolean isEmpty(boolean read) {
        return (read ? readHead : writeHead) == null;
    }

    void add(boolean read, Operation op) {
        Operation tail = read ? readTail : writeTail;
        if (op.backendNext() != null || tail == op) throw new AssertionError(op.op() + " is already queued");
        if (tail == null) head(read, op);
        else tail.backendNext(op);
        tail(read, op);
    }

    /** Puts back an operation just taken with {@link #poll(boolean)}, ahead of the rest. */
    void addFirst(boolean read, Operation op) {
        Operation head = read ? readHead : writeHead;
        if (op.backendNext() != null || (read ? readTail : writeTail) == op) throw new AssertionError(op.op() + " is already queued");
        op.backendNext(head);
        head(read, op);
        if (head == null) tail(read, op);
    }

    Operation poll(boolean read) {
        Operation op = read ? readHead : writeHead;
        if (op == null) return null;
        Operation next = op.backendNext();
        head(read, next);
        if (next == null) tail(read, null);
        op.backendNext(null);
        return op;
    }

    /** Unlinks {@code op}; false when it is not in that queue. */
    boolean remove(boolean read, Operation op) {
        Operation prev = null;
        for (Operation at = read ? readHead : writeHead; at != null; prev = at, at = at.backendNext()) {
            if (at != op) continue;
            Operation next = at.backendNext();
            if (prev == null) head(read, next);
            else prev.backendNext(next);
            if ((read ? readTail : writeTail) == at) tail(read, prev);
            at.backendNext(null);
            return true;
        }
        return false;
    }

    private void head(boolean read, Operation op) {
        if (read) readHead = op;
        else writeHead = op;
    }

    private void tail(boolean read, Operation op) {
        if (read) readTail = op;
        else writeTail = op;
    }

    /** After close(2): forget the registration; the number may come back as another file. */
    void reset() {
        if (readHead != null || writeHead != null) throw new AssertionError("fd " + fd + " reset with operations queued");
        generation++;
        registered = false;
        nonBlocking = false;
        readReady = false;
        readDrained = false;
        tcp = false;
        shortReadsUnreliable = false;
        writeReady = false;
    }
}
