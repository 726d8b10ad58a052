package dev.sluice.conformance;

import static dev.sluice.conformance.Conformance.ok;

import dev.sluice.Address;
import dev.sluice.Completion;
import dev.sluice.Errno;
import dev.sluice.Handler;
import dev.sluice.Ring;
import dev.sluice.SluiceException;
import dev.sluice.Socket;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

/**
 * A stream echo server in the callback style: accepts connections one after another; each one
 * receives, sends back exactly what it received (resuming short sends), and at end of stream
 * closes. Fails loudly on any error except the ECANCELED of a closing ring.
 */
final class EchoServer implements Handler {
    private final Ring ring;
    private final Socket listener;
    private final int bufferBytes;
    private final Completion accept = new Completion();
    /** The peer address of each accepted connection, in order. */
    final List<Address> peers = new ArrayList<>();
    int accepted;
    int finished;

    EchoServer(Ring ring, Socket listener, int bufferBytes) {
        this.ring = ring;
        this.listener = listener;
        this.bufferBytes = bufferBytes;
    }

    EchoServer start() {
        ring.accept(listener, accept, this);
        return this;
    }

    @Override
    public void completed(Completion c) {
        if (!c.ok() && c.error() == Errno.ECANCELED) return;
        Socket s = ok(c).accepted();
        accepted++;
        try {
            peers.add(s.peerAddress());
        } catch (SluiceException e) {
            throw new AssertionError("peerAddress of an accepted connection failed", e);
        }
        new Connection(s).receive();
        ring.accept(listener, accept, this);
    }

    private final class Connection implements Handler {
        private final Socket socket;
        private final MemorySegment buffer = Conformance.allocate(bufferBytes);
        private final Completion completion = new Completion();
        private boolean sending;
        private long pending;
        private long sentBack;

        Connection(Socket socket) {
            this.socket = socket;
        }

        void receive() {
            sending = false;
            ring.recv(socket, buffer, completion, this);
        }

        @Override
        public void completed(Completion c) {
            if (!c.ok() && c.error() == Errno.ECANCELED && ring.isClosed()) return;
            ok(c);
            if (!sending) {
                if (c.result() == 0) {
                    socket.close();
                    finished++;
                    return;
                }
                pending = c.result();
                sentBack = 0;
                sending = true;
            } else {
                sentBack += c.result();
                if (sentBack == pending) {
                    receive();
                    return;
                }
            }
            ring.send(socket, buffer.asSlice(sentBack, pending - sentBack), completion, this);
        }
    }
}
