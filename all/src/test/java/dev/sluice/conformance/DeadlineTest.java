package dev.sluice.conformance;

import static dev.sluice.conformance.Conformance.await;
import static dev.sluice.conformance.Conformance.bytes;
import static dev.sluice.conformance.Conformance.failed;
import static dev.sluice.conformance.Conformance.ok;
import static dev.sluice.conformance.Conformance.segment;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.Completion;
import dev.sluice.Errno;
import dev.sluice.Family;
import dev.sluice.IPv4Address;
import dev.sluice.Ring;
import dev.sluice.Socket;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Per-operation deadlines ({@link Completion#timeoutNanos(long)}): an operation not done in time
 * completes once with ETIMEDOUT, never early, and loses no data; one done in time completes once
 * with its result and the deadline never fires afterwards.
 */
class DeadlineTest extends RingTest {
    private static final long DEADLINE_NANOS = TimeUnit.MILLISECONDS.toNanos(200);

    @Test
    void recvDeadlineExpiresAndNoDataIsLost() throws Exception {
        try (Ring ring = open()) {
            Socket[] pair = tcpPair(ring, IPv4Address.LOOPBACK);
            MemorySegment buffer = Conformance.allocate(64);
            Completion recv = new Completion().timeoutNanos(DEADLINE_NANOS);
            int[] calls = {0};
            long start = System.nanoTime();
            ring.recv(pair[0], buffer, recv, c -> calls[0]++);
            await(ring, () -> calls[0] > 0, "a recv with a deadline and no data");
            failed(recv, Errno.ETIMEDOUT);
            assertTrue(System.nanoTime() - start >= DEADLINE_NANOS, "the deadline fired before it was due");

            // The connection is intact: data sent now arrives whole.
            byte[] message = new Pattern(41).bytes(40);
            recv.timeoutNanos(0);
            ring.send(pair[1], segment(message), new Completion(), c -> ok(c));
            RecvAll rest = new RecvAll(ring, pair[0], 64, message.length, null).start();
            await(ring, () -> rest.done, "data after a timed-out recv");
            assertArrayEquals(message, rest.bytes());
            assertEquals(1, calls[0], "the timed-out recv completed once");
        }
    }

    @Test
    void acceptDeadlineExpiresAndListenerStillAccepts() throws Exception {
        try (Ring ring = open()) {
            Socket listener = ring.listen(IPv4Address.LOOPBACK, 4);
            Completion accept = new Completion().timeoutNanos(DEADLINE_NANOS);
            int[] calls = {0};
            ring.accept(listener, accept, c -> calls[0]++);
            await(ring, () -> calls[0] > 0, "an accept with a deadline");
            failed(accept, Errno.ETIMEDOUT);

            accept.timeoutNanos(0);
            Socket client = ring.openTcp(Family.INET);
            boolean[] connected = {false};
            ring.accept(listener, accept, c -> calls[0]++);
            ring.connect(client, listener.localAddress(), new Completion(), c -> connected[0] = ok(c) != null);
            await(ring, () -> connected[0] && calls[0] == 2, "an accept after a timed-out one");
            ok(accept);
            assertEquals(client.localAddress(), accept.accepted().peerAddress());
        }
    }

    @Test
    void deadlineDoesNotFireAfterTheOperationCompleted() throws Exception {
        try (Ring ring = open()) {
            Socket[] pair = tcpPair(ring, IPv4Address.LOOPBACK);
            byte[] message = new Pattern(42).bytes(30);
            Completion send = new Completion();
            ring.send(pair[1], segment(message), send, c -> ok(c));
            await(ring, () -> !send.isPending(), "a send");

            MemorySegment buffer = Conformance.allocate(64);
            Completion recv = new Completion().timeoutNanos(DEADLINE_NANOS);
            int[] calls = {0};
            ring.recv(pair[0], buffer, recv, c -> calls[0]++);
            await(ring, () -> calls[0] > 0, "a recv with a deadline and data waiting");
            ok(recv);
            assertArrayEquals(message, bytes(buffer, recv.result()));

            // Outlive the deadline with the completion idle and then busy with something else: a
            // stale deadline would complete it a second time, or cut the next operation short.
            Completion wait = new Completion();
            boolean[] waited = {false};
            ring.timeout(3 * DEADLINE_NANOS, wait, c -> waited[0] = ok(c) != null);
            await(ring, () -> waited[0], "a timeout past the deadline");
            assertEquals(1, calls[0], "the recv completed once");

            recv.timeoutNanos(10 * DEADLINE_NANOS);
            int[] nops = {0};
            ring.timeout(DEADLINE_NANOS, recv, c -> nops[0]++);
            await(ring, () -> nops[0] > 0, "a timeout op under a longer deadline");
            ok(recv);
            assertEquals(1, nops[0]);
        }
    }
}
