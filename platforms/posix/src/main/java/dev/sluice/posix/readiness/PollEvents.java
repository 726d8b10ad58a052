package dev.sluice.posix.readiness;

/**
 * The events one {@link Poller#wait(long, PollEvents)} delivered, in preallocated arrays so
 * harvesting allocates nothing: per event the token given at registration and a set of flags.
 */
public final class PollEvents {
    /** Data can be read, a connection accepted, or the peer closed its side (EPOLLIN, EPOLLRDHUP, EVFILT_READ). */
    public static final int READABLE = 1;
    /** Data can be written or a connect finished (EPOLLOUT, EVFILT_WRITE). */
    public static final int WRITABLE = 2;
    /** An error is pending on the socket (EPOLLERR, EV_ERROR, EV_EOF with fflags). */
    public static final int ERROR = 4;
    /** Both directions are closed (EPOLLHUP, EV_EOF on EVFILT_WRITE). */
    public static final int HANGUP = 8;
    /** The peer closed its sending side: EOF follows the data (EPOLLRDHUP, EV_EOF on EVFILT_READ). */
    public static final int PEER_CLOSED = 16;
    /** Urgent (out-of-band) TCP data is pending (EPOLLPRI; kqueue: EV_OOBAND on EVFILT_READ). */
    public static final int URGENT = 32;

    private final long[] tokens;
    private final int[] flags;
    private int count;

    public PollEvents(int capacity) {
        if (capacity < 1) throw new IllegalArgumentException("events capacity must be >= 1, got " + capacity);
        tokens = new long[capacity];
        flags = new int[capacity];
    }

    public int capacity() {
        return tokens.length;
    }

    public int count() {
        return count;
    }

    public long token(int i) {
        return tokens[i];
    }

    public int flags(int i) {
        return flags[i];
    }

    /** Pollers call this before filling. */
    public void clear() {
        count = 0;
    }

    /** Pollers call this once per event; more than {@link #capacity()} is a poller bug. */
    public void add(long token, int eventFlags) {
        if (count == tokens.length) throw new AssertionError("poller delivered more than " + tokens.length + " events");
        tokens[count] = token;
        flags[count] = eventFlags;
        count++;
    }
}
