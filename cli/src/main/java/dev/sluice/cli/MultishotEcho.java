package dev.sluice.cli;

import dev.sluice.BufferPool;
import dev.sluice.Completion;
import dev.sluice.Handler;
import dev.sluice.Op;
import dev.sluice.Ring;
import dev.sluice.SluiceException;
import dev.sluice.Socket;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * The echo of {@link Echo} over one multishot receive per connection into a pool shared by the
 * ring (io_uring: IORING_RECV_MULTISHOT over a provided-buffer ring): an idle connection holds no
 * buffer and no receive is re-submitted per message. Each arrival is sent back from the pool
 * buffer it landed in, without a copy; the buffer is kept until its send is done. One send is in
 * flight per connection, over a FIFO of kept buffers, so bytes go back in order and short sends
 * resume where they stopped.
 */
final class MultishotEcho implements Handler {
    static final int POOL_BUFFERS = 4096;
    static final int BUFFER_BYTES = 16 * 1024;
    /** A connection holding this many unsent buffers has a peer that does not read; it is closed. */
    static final int QUEUE_MAX = 256;
    private static final Map<Ring, BufferPool> POOLS = new IdentityHashMap<>();

    private final Ring ring;
    private final Socket socket;
    private final BufferPool pool;
    private final Completion recv = new Completion();
    private final Completion send = new Completion();
    private final Handler onSend = this::sent;
    /** The FIFO of kept buffers, grown by doubling: an idle connection holds 4 entries, not QUEUE_MAX. */
    private int[] ids = new int[4];
    private int[] lengths = new int[4];
    private int head;
    private int count;
    private int sentOfHead;
    private boolean sending;
    private boolean closed;

    private MultishotEcho(Ring ring, Socket socket, BufferPool pool) {
        this.ring = ring;
        this.socket = socket;
        this.pool = pool;
    }

    /**
     * Opens the ring's pool now, on the ring's thread, so that its fixed cost is paid at start
     * rather than by the first connection. Any thread.
     */
    static void openPool(Ring ring) throws Exception {
        java.util.concurrent.CompletableFuture<Void> done = new java.util.concurrent.CompletableFuture<>();
        ring.execute(() -> {
            try {
                pool(ring);
                done.complete(null);
            } catch (Throwable e) {
                done.completeExceptionally(e);
            }
        });
        done.get();
    }

    /** Starts echoing on the ring's thread. */
    static void start(Ring ring, Socket socket) {
        MultishotEcho echo = new MultishotEcho(ring, socket, pool(ring));
        ring.recvMultishot(socket, echo.pool, echo.recv, echo);
    }

    private static BufferPool pool(Ring ring) {
        BufferPool pool;
        synchronized (POOLS) {
            pool = POOLS.get(ring);
            if (pool == null) {
                try {
                    pool = ring.openBufferPool(POOL_BUFFERS, BUFFER_BYTES);
                } catch (SluiceException e) {
                    throw new IllegalStateException("cannot open the receive buffer pool", e);
                }
                POOLS.put(ring, pool);
            }
        }
        return pool;
    }

    /** A multishot receive result: queue its buffer for sending. */
    @Override
    public void completed(Completion c) {
        if (!c.more()) {
            // End of stream, an error, or the cancel from close(): nothing more will arrive.
            close();
            return;
        }
        if (closed) return;
        if (count == ids.length) {
            if (count == QUEUE_MAX) {
                close();
                return;
            }
            grow();
        }
        int at = (head + count) % ids.length;
        ids[at] = c.keepBuffer();
        lengths[at] = c.result();
        count++;
        if (!sending) sendHead();
    }

    private void grow() {
        int[] i2 = new int[2 * ids.length];
        int[] l2 = new int[2 * ids.length];
        for (int k = 0; k < count; k++) {
            i2[k] = ids[(head + k) % ids.length];
            l2[k] = lengths[(head + k) % ids.length];
        }
        ids = i2;
        lengths = l2;
        head = 0;
    }

    private void sendHead() {
        sending = true;
        int id = ids[head];
        ring.send(socket, pool.buffer(id), sentOfHead, lengths[head] - sentOfHead, send, onSend);
    }

    private void sent(Completion c) {
        sending = false;
        if (!c.ok()) {
            close();
            return;
        }
        sentOfHead += c.result();
        if (sentOfHead < lengths[head]) {
            sendHead();
            return;
        }
        releaseHead();
        sentOfHead = 0;
        if (count > 0 && !closed) sendHead();
    }

    /** Gives the oldest kept buffer back to the pool and drops it from the FIFO. */
    private void releaseHead() {
        pool.release(ids[head]);
        head = (head + 1) % ids.length;
        count--;
    }

    private void close() {
        if (!closed) {
            closed = true;
            if (recv.isPending() && recv.op() == Op.RECV_MULTISHOT) ring.cancel(recv, new Completion(), x -> { });
        }
        if (sending || recv.isPending()) return;
        // Everything has come back: return the kept buffers and close the socket.
        while (count > 0) releaseHead();
        if (socket.isOpen()) socket.close();
    }
}
