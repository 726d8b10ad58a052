package dev.sluice.conformance;

import static dev.sluice.conformance.Conformance.WAIT_SECONDS;
import static dev.sluice.conformance.Conformance.await;
import static dev.sluice.conformance.Conformance.failed;
import static dev.sluice.conformance.Conformance.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.sluice.Address;
import dev.sluice.Completion;
import dev.sluice.Errno;
import dev.sluice.Family;
import dev.sluice.IPv4Address;
import dev.sluice.Ring;
import dev.sluice.SluiceException;
import dev.sluice.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Connects that fail: refused by a closed port, and timed out by a per-operation deadline.
 *
 * <p>A connect that never finishes needs a peer that never answers, and this machine may have
 * only loopback. A listener whose accept queue is full does that on Linux: while
 * {@code sk_acceptq_is_full}, {@code tcp_conn_request} drops incoming SYNs (whatever
 * {@code tcp_syncookies} and {@code tcp_abort_on_overflow} say; the latter only governs the
 * final ACK), so the client retransmits its SYN (after 1 s, 3 s, ...) and its connect stays
 * pending. The test connects with a 500 ms deadline until one connect times out: the ones before
 * fill the queue (how many fit depends on the backlog rounding, so it is not hard-coded).
 */
class ConnectFailureTest extends RingTest {
    private static final long DEADLINE_NANOS = TimeUnit.MILLISECONDS.toNanos(500);

    /** A port that refuses: bound (so nobody else takes it) but not listening. */
    private static Address refusingPort(Ring ring) throws SluiceException {
        Socket holder = ring.openTcp(Family.INET);
        holder.bind(IPv4Address.LOOPBACK);
        return holder.localAddress();
    }

    @Test
    void refusedWithCallback() throws Exception {
        try (Ring ring = open()) {
            Address closed = refusingPort(ring);
            Socket client = ring.openTcp(Family.INET);
            Completion connect = new Completion();
            int[] calls = {0};
            ring.connect(client, closed, connect, c -> calls[0]++);
            await(ring, () -> calls[0] > 0, "a refused connect");
            failed(connect, Errno.ECONNREFUSED);
            assertEquals(1, calls[0]);
            assertTrue(connect.nativeErrno() > 0, "the platform's number is kept");
            assertTrue(connect.error().isConnectionError());
            SluiceException e = connect.exception();
            assertEquals(Errno.ECONNREFUSED, e.errno());
            assertTrue(e.getMessage().contains("ECONNREFUSED") && e.getMessage().contains(closed.toString()),
                    "the message names the error and the address: " + e.getMessage());

            // The ring and a new socket work on after the failure.
            Socket[] pair = tcpPair(ring, IPv4Address.LOOPBACK);
            assertTrue(pair[0].isOpen() && pair[1].isOpen());
        }
    }

    @Test
    void refusedWithFuture() throws Exception {
        try (Ring ring = start()) {
            Address closed = refusingPort(ring);
            Socket client = ring.openTcp(Family.INET);
            ExecutionException e = assertThrows(ExecutionException.class,
                    () -> ring.connect(client, closed).get(WAIT_SECONDS, TimeUnit.SECONDS));
            SluiceException cause = assertInstanceOf(SluiceException.class, e.getCause());
            assertEquals(Errno.ECONNREFUSED, cause.errno());
        }
    }

    @Test
    void refusedWhenBlocking() throws Exception {
        try (Ring ring = start()) {
            Address closed = refusingPort(ring);
            Socket client = ring.openTcp(Family.INET);
            SluiceException[] thrown = new SluiceException[1];
            Thread t = Thread.ofVirtual().start(() -> {
                try {
                    client.connect(closed);
                } catch (SluiceException e) {
                    thrown[0] = e;
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            });
            assertTrue(t.join(java.time.Duration.ofSeconds(WAIT_SECONDS)));
            assertEquals(Errno.ECONNREFUSED, thrown[0] == null ? null : thrown[0].errno(), "blocking connect throws a typed error");
        }
    }

    @Test
    void connectDeadlineExpires() throws Exception {
        try (Ring ring = open()) {
            Socket listener = ring.listen(IPv4Address.LOOPBACK, 1); // never accepted from
            Address at = listener.localAddress();
            List<Socket> queued = new ArrayList<>();
            for (int attempt = 0; attempt < 16; attempt++) {
                Socket client = ring.openTcp(Family.INET);
                Completion connect = new Completion().timeoutNanos(DEADLINE_NANOS);
                int[] calls = {0};
                long start = System.nanoTime();
                ring.connect(client, at, connect, c -> calls[0]++);
                await(ring, () -> calls[0] > 0, "connect " + attempt + " to a listener that does not accept");
                assertEquals(1, calls[0], "one completion per connect");
                if (connect.ok()) {
                    queued.add(client);
                    continue;
                }
                failed(connect, Errno.ETIMEDOUT);
                assertTrue(System.nanoTime() - start >= DEADLINE_NANOS, "a deadline must not fire early");
                assertTrue(queued.size() >= 1, "the first connect should fit in the accept queue");
                client.close();

                // The ring is fine after a timed-out operation, and the completion is reusable.
                connect.timeoutNanos(0);
                int[] nops = {0};
                ring.nop(connect, c -> nops[0] += ok(c) != null ? 1 : 0);
                await(ring, () -> nops[0] == 1, "a nop after the timeout");
                return;
            }
            fail("16 connects to a listener with backlog 1 all succeeded; the accept queue never filled");
        }
    }
}
