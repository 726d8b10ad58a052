package dev.sluice.cli;

import dev.sluice.Completion;
import dev.sluice.Handler;
import dev.sluice.Ring;
import dev.sluice.Socket;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * Echoes every byte of one connection back to it, in the callback style: one buffer and one
 * completion per connection, reused for every receive and send, so the steady state allocates
 * nothing. Short sends are resumed from where they stopped; end of stream or an error closes.
 *
 * <p>A pending receive owns its buffer, so every idle connection holds one. The buffer therefore
 * starts at {@link #BUFFER_BYTES_MIN} and is replaced once by one of {@link #BUFFER_BYTES_MAX}
 * when a receive fills it (more bytes were waiting): a server holding 10 000 idle connections
 * then pays about 2 KiB each instead of 16 KiB, and a busy connection still moves up to 16 KiB
 * per receive. (The same idea as Netty's adaptive receive buffer; io_uring's provided-buffer rings
 * would remove the per-connection buffer altogether.)
 */
final class Echo implements Handler {
    static final int BUFFER_BYTES_MIN = 2 * 1024;
    static final int BUFFER_BYTES_MAX = 16 * 1024;

    private final Ring ring;
    private final Socket socket;
    private final Arena arena = Arena.ofConfined();
    private final Completion completion = new Completion();
    private MemorySegment buffer = arena.allocate(BUFFER_BYTES_MIN, 64);
    private boolean grow;
    private int pending;
    private int sent;

    private Echo(Ring ring, Socket socket) {
        this.ring = ring;
        this.socket = socket;
    }

    /** Starts echoing on the ring's thread. */
    static void start(Ring ring, Socket socket) {
        Echo echo = new Echo(ring, socket);
        ring.recv(socket, echo.buffer, echo.completion, echo);
    }

    @Override
    public void completed(Completion c) {
        if (!c.ok() || c.result() == 0) {
            close();
            return;
        }
        switch (c.op()) {
            case RECV -> {
                pending = c.result();
                sent = 0;
                // A full buffer means more was waiting: receive into the large one from now on.
                grow = pending == buffer.byteSize() && pending < BUFFER_BYTES_MAX;
                ring.send(socket, buffer, 0, pending, c, this);
            }
            case SEND -> {
                sent += c.result();
                if (sent < pending) {
                    ring.send(socket, buffer, sent, pending - sent, c, this);
                    return;
                }
                if (grow) {
                    // The small buffer stays in the arena until the connection closes (it is
                    // confined: no single free); that is 2 KiB per connection that grew.
                    buffer = arena.allocate(BUFFER_BYTES_MAX, 64);
                    grow = false;
                }
                ring.recv(socket, buffer, c, this);
            }
            default -> throw new AssertionError("unexpected " + c);
        }
    }

    private void close() {
        socket.close();
        arena.close();
    }
}
