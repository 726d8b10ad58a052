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
 */
final class Echo implements Handler {
    static final int BUFFER_BYTES = 16 * 1024;

    private final Ring ring;
    private final Socket socket;
    private final Arena arena = Arena.ofConfined();
    private final MemorySegment buffer = arena.allocate(BUFFER_BYTES, 64);
    private final Completion completion = new Completion();
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
                ring.send(socket, buffer, 0, pending, c, this);
            }
            case SEND -> {
                sent += c.result();
                if (sent < pending) ring.send(socket, buffer, sent, pending - sent, c, this);
                else ring.recv(socket, buffer, c, this);
            }
            default -> throw new AssertionError("unexpected " + c);
        }
    }

    private void close() {
        socket.close();
        arena.close();
    }
}
