package dev.sluice;

import java.io.IOException;
import java.lang.foreign.MemorySegment;

/**
 * A Unix domain socket: the only kind that can pass file descriptors (SCM_RIGHTS), so fd passing
 * lives here and the compiler rules it out elsewhere.
 */
public final class UnixSocket extends Socket {
    /** Most fds one sendFds or recvFds carries; Linux's limit is SCM_MAX_FD = 253. */
    public static final int FDS_MAX = 253;

    UnixSocket(Ring ring, long handle, SocketType type) {
        super(ring, handle, Family.UNIX, type, Protocol.DEFAULT);
    }

    /** Sends bytes (at least one) with the fds attached; blocking form. */
    public int sendFds(MemorySegment data, int... fds) throws IOException {
        return ring.block(() -> ring.sendFds(this, data, fds), "sendFds");
    }

    /** Receives bytes and up to {@code fdsOut.length} fds; blocking form. */
    public Received recvFds(MemorySegment data, int[] fdsOut) throws IOException {
        return ring.block(() -> ring.recvFds(this, data, fdsOut), "recvFds");
    }
}
