package dev.sluice.conformance;

import static dev.sluice.conformance.Conformance.await;
import static dev.sluice.conformance.Conformance.ok;
import static dev.sluice.conformance.Conformance.segment;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.Completion;
import dev.sluice.IPv4Address;
import dev.sluice.Ring;
import dev.sluice.Shutdown;
import dev.sluice.Socket;
import dev.sluice.SocketType;
import dev.sluice.UnixSocket;
import org.junit.jupiter.api.Test;

/**
 * Half-close: after {@code shutdown(WRITE)} the peer reads every byte sent before it, then end of
 * stream (0), again on every later recv, and can still send back, which the closing side reads.
 */
class HalfCloseTest extends RingTest {
    private static final int BEFORE_FIN_BYTES = 200_000;
    private static final int AFTER_FIN_BYTES = 150_000;

    @Test
    void clientShutsDownWrite() throws Exception {
        try (Ring ring = open()) {
            Socket[] pair = tcpPair(ring, IPv4Address.LOOPBACK);
            halfClose(ring, pair[0], pair[1]);
        }
    }

    @Test
    void serverShutsDownWrite() throws Exception {
        try (Ring ring = open()) {
            Socket[] pair = tcpPair(ring, IPv4Address.LOOPBACK);
            halfClose(ring, pair[1], pair[0]);
        }
    }

    @Test
    void unixStreamShutsDownWrite() throws Exception {
        try (Ring ring = open()) {
            UnixSocket[] pair = ring.socketpair(SocketType.STREAM);
            halfClose(ring, pair[0], pair[1]);
        }
    }

    private static void halfClose(Ring ring, Socket closer, Socket other) throws Exception {
        byte[] beforeFin = new Pattern(61).bytes(BEFORE_FIN_BYTES);
        byte[] afterFin = new Pattern(62).bytes(AFTER_FIN_BYTES);

        // closer: send everything, and only then shutdown(WRITE).
        boolean[] finSent = {false};
        Completion shutdown = new Completion();
        new SendAll(ring, closer, segment(beforeFin),
                () -> ring.shutdown(closer, Shutdown.WRITE, shutdown, c -> finSent[0] = ok(c) != null)).start();
        // other: read until end of stream; then reply, and half-close too.
        boolean[] replied = {false};
        Completion otherShutdown = new Completion();
        RecvAll otherReads = new RecvAll(ring, other, 8192, -1, () -> new SendAll(ring, other, segment(afterFin),
                () -> ring.shutdown(other, Shutdown.WRITE, otherShutdown, c -> replied[0] = ok(c) != null)).start()).start();
        // closer: can still read after its own shutdown(WRITE).
        RecvAll closerReads = new RecvAll(ring, closer, 8192, -1, null).start();

        await(ring, () -> finSent[0] && otherReads.done && replied[0] && closerReads.done, "both halves to close");
        assertTrue(otherReads.eof);
        assertArrayEquals(beforeFin, otherReads.bytes(), "the bytes sent before the FIN arrive whole, before end of stream");
        assertArrayEquals(afterFin, closerReads.bytes(), "the half-closed side still receives");

        // End of stream stays: another recv returns 0 at once.
        Completion again = new Completion();
        ring.recv(other, Conformance.allocate(16), again, c -> ok(c));
        await(ring, () -> !again.isPending(), "a recv after end of stream");
        assertEquals(0, again.result(), "recv after end of stream returns 0 again");
    }
}
