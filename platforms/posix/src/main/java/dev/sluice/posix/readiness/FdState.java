package dev.sluice.posix.readiness;

/**
 * What the engine knows about one fd: whether it is registered with the poller, whether it is
 * known to be non-blocking, and the operations waiting on it, one FIFO per direction. Created on
 * first use of an fd number and reused when the number comes back after a close.
 */
final class FdState {
    final int fd;
    /** Bumped at each close, and carried in poller tokens so an event for an earlier life of the number is ignored. */
    int generation;
    boolean registered;
    boolean nonBlocking;
    /** Operations waiting to read: ACCEPT, RECV, RECVMSG, RECVFROM, RECV_FDS. */
    final OpQueue reads = new OpQueue();
    /** Operations waiting to write: CONNECT, SEND, SENDMSG, SENDTO, SEND_FDS. */
    final OpQueue writes = new OpQueue();
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

    /** After close(2): forget the registration; the number may come back as another file. */
    void reset() {
        if (!reads.isEmpty() || !writes.isEmpty()) throw new AssertionError("fd " + fd + " reset with operations queued");
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
