package dev.sluice.conformance;

import static dev.sluice.conformance.Conformance.await;
import static dev.sluice.conformance.Conformance.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.Completion;
import dev.sluice.Family;
import dev.sluice.Handler;
import dev.sluice.IPv4Address;
import dev.sluice.Ring;
import dev.sluice.Shutdown;
import dev.sluice.Socket;
import dev.sluice.SocketOption;
import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.Test;

/**
 * 64 MiB each way at once over one TCP connection with small socket buffers, so sends come back
 * short and the sender must resume from where the kernel stopped. Every byte is checked against
 * the sender's pattern at its stream offset.
 */
class BulkTransferTest extends RingTest {
    private static final long TOTAL_BYTES = 64L << 20;
    private static final int SOCKET_BUFFER_BYTES = 16 << 10;
    private static final int CHUNK_BYTES = 256 << 10;
    private static final int RECV_BYTES = 64 << 10;

    @Test
    void sixtyFourMebibytesBothWaysWithShortWrites() throws Exception {
        try (Ring ring = open()) {
            Socket listener = ring.openTcp(Family.INET);
            listener.setOption(SocketOption.REUSE_ADDRESS, true);
            // Set before listen/connect: the window scale is fixed at the handshake, and accepted
            // sockets inherit the listener's buffers.
            setSmallBuffers(listener);
            listener.bind(IPv4Address.LOOPBACK);
            listener.listen(4);
            Socket client = ring.openTcp(Family.INET);
            setSmallBuffers(client);
            Socket[] server = new Socket[1];
            boolean[] connected = {false};
            ring.accept(listener, new Completion(), c -> server[0] = ok(c).accepted());
            ring.connect(client, listener.localAddress(), new Completion(), c -> connected[0] = ok(c) != null);
            await(ring, () -> connected[0] && server[0] != null, "the connection");
            assertTrue(server[0].option(SocketOption.SEND_BUFFER) <= 4 * SOCKET_BUFFER_BYTES,
                    "accepted socket inherits the small send buffer, got " + server[0].option(SocketOption.SEND_BUFFER));

            PatternSender clientSends = new PatternSender(ring, client, new Pattern(31));
            PatternSender serverSends = new PatternSender(ring, server[0], new Pattern(32));
            PatternReceiver serverReceives = new PatternReceiver(ring, server[0], new Pattern(31));
            PatternReceiver clientReceives = new PatternReceiver(ring, client, new Pattern(32));
            serverReceives.start();
            clientReceives.start();
            clientSends.start();
            serverSends.start();
            await(ring, () -> clientSends.halfClosed && serverSends.halfClosed && serverReceives.eof && clientReceives.eof,
                    "64 MiB each way");
            assertEquals(TOTAL_BYTES, serverReceives.received, "bytes the server received");
            assertEquals(TOTAL_BYTES, clientReceives.received, "bytes the client received");
            System.out.printf("[%s] 64 MiB each way: client %d sends (%d short), server %d sends (%d short); recvs %d / %d%n",
                    backend, clientSends.sends, clientSends.shortSends, serverSends.sends, serverSends.shortSends,
                    clientReceives.recvs, serverReceives.recvs);
        }
    }

    private static void setSmallBuffers(Socket s) throws Exception {
        s.setOption(SocketOption.SEND_BUFFER, SOCKET_BUFFER_BYTES);
        s.setOption(SocketOption.RECEIVE_BUFFER, SOCKET_BUFFER_BYTES);
        int snd = s.option(SocketOption.SEND_BUFFER);
        int rcv = s.option(SocketOption.RECEIVE_BUFFER);
        // Linux doubles what is set; anything near the request shows the option reached the kernel.
        assertTrue(snd >= SOCKET_BUFFER_BYTES && snd <= 4 * SOCKET_BUFFER_BYTES, "SO_SNDBUF read back as " + snd);
        assertTrue(rcv >= SOCKET_BUFFER_BYTES && rcv <= 4 * SOCKET_BUFFER_BYTES, "SO_RCVBUF read back as " + rcv);
    }

    /** Streams TOTAL_BYTES of a pattern in chunks, resuming every short send, then half-closes. */
    private static final class PatternSender implements Handler {
        private final Ring ring;
        private final Socket socket;
        private final Pattern pattern;
        private final MemorySegment chunk = Conformance.allocate(CHUNK_BYTES);
        private final Completion completion = new Completion();
        private long chunkOffset;
        private long chunkLength;
        private long chunkSent;
        private boolean shuttingDown;
        int sends;
        int shortSends;
        boolean halfClosed;

        PatternSender(Ring ring, Socket socket, Pattern pattern) {
            this.ring = ring;
            this.socket = socket;
            this.pattern = pattern;
        }

        void start() {
            nextChunk();
        }

        private void nextChunk() {
            chunkLength = Math.min(CHUNK_BYTES, TOTAL_BYTES - chunkOffset);
            chunkSent = 0;
            pattern.fill(chunk, chunkOffset, chunkLength);
            ring.send(socket, chunk.asSlice(0, chunkLength), completion, this);
        }

        @Override
        public void completed(Completion c) {
            ok(c);
            if (shuttingDown) {
                halfClosed = true;
                return;
            }
            long remaining = chunkLength - chunkSent;
            int n = c.result();
            if (n <= 0 || n > remaining) throw new AssertionError(c.describe() + " returned " + n + " with " + remaining + " left in the chunk");
            sends++;
            chunkSent += n;
            if (chunkSent < chunkLength) {
                shortSends++;
                ring.send(socket, chunk.asSlice(chunkSent, chunkLength - chunkSent), completion, this);
                return;
            }
            chunkOffset += chunkLength;
            if (chunkOffset < TOTAL_BYTES) {
                nextChunk();
                return;
            }
            shuttingDown = true;
            ring.shutdown(socket, Shutdown.WRITE, completion, this);
        }
    }

    /** Receives until end of stream, checking every byte against the pattern at its offset. */
    private static final class PatternReceiver implements Handler {
        private final Ring ring;
        private final Socket socket;
        private final Pattern pattern;
        private final MemorySegment buffer = Conformance.allocate(RECV_BYTES);
        private final Completion completion = new Completion();
        long received;
        int recvs;
        boolean eof;

        PatternReceiver(Ring ring, Socket socket, Pattern pattern) {
            this.ring = ring;
            this.socket = socket;
            this.pattern = pattern;
        }

        void start() {
            ring.recv(socket, buffer, completion, this);
        }

        @Override
        public void completed(Completion c) {
            ok(c);
            int n = c.result();
            if (n == 0) {
                eof = true;
                return;
            }
            recvs++;
            long bad = pattern.mismatch(buffer, received, n);
            if (bad >= 0) throw new AssertionError("byte at stream offset " + bad + " differs from what was sent (recv " + recvs + ")");
            received += n;
            if (received > TOTAL_BYTES) throw new AssertionError("received " + received + " bytes, more than the " + TOTAL_BYTES + " sent");
            ring.recv(socket, buffer, completion, this);
        }
    }
}
