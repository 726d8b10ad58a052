package dev.sluice.conformance;

import static dev.sluice.conformance.Conformance.WAIT_SECONDS;
import static dev.sluice.conformance.Conformance.await;
import static dev.sluice.conformance.Conformance.failed;
import static dev.sluice.conformance.Conformance.ok;
import static dev.sluice.conformance.Conformance.segment;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.Completion;
import dev.sluice.Errno;
import dev.sluice.Family;
import dev.sluice.Handler;
import dev.sluice.IPv4Address;
import dev.sluice.Ring;
import dev.sluice.SluiceException;
import dev.sluice.Socket;
import dev.sluice.SocketType;
import dev.sluice.UnixSocket;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Closing with work in flight: closing a ring ends every operation (in the backend or still
 * waiting in the ring) exactly once with ECANCELED and closes every socket; closing a socket
 * ends the operations on that socket only.
 */
class CloseTest extends RingTest {
    private static final long HOUR_NANOS = TimeUnit.HOURS.toNanos(1);

    /** Counts handler calls per completion. */
    private static final class Calls implements Handler {
        final Map<Completion, Integer> counts = new IdentityHashMap<>();
        final List<Completion> submitted = new ArrayList<>();

        Completion next() {
            Completion c = new Completion();
            submitted.add(c);
            return c;
        }

        @Override
        public void completed(Completion c) {
            counts.merge(c, 1, Integer::sum);
        }

        void assertAllCancelledOnce() {
            for (Completion c : submitted) {
                assertEquals(1, counts.getOrDefault(c, 0), c + ": handler calls");
                failed(c, Errno.ECANCELED);
            }
        }
    }

    /**
     * The owner thread ends without closing its ring (it returned, or died of an exception) while
     * operations are in flight. close() from another thread must not wait forever for a loop that
     * will never turn again: it closes the ring itself, every handler runs once (on the caller)
     * with ECANCELED, and every socket and fd is released. On io_uring with SINGLE_ISSUER the
     * kernel refuses the caller's io_uring_enter, so this goes through the backend's
     * foreign-thread close (see IoUringBackend.closeOrphaned).
     */
    @Test
    void closeFromAnotherThreadAfterTheOwnerEnded() throws Exception {
        closeAfterTheOwnerEnded(Thread.ofPlatform().name("ring-owner-that-ends"));
    }

    /** The same with a virtual thread as owner (io_uring then runs without SINGLE_ISSUER, so the caller may enter the ring). */
    @Test
    void closeFromAnotherThreadAfterAVirtualOwnerEnded() throws Exception {
        closeAfterTheOwnerEnded(Thread.ofVirtual().name("virtual-ring-owner-that-ends"));
    }

    private void closeAfterTheOwnerEnded(Thread.Builder ownerBuilder) throws Exception {
        Calls calls = new Calls();
        Ring[] ring = new Ring[1];
        Socket[][] tcp = new Socket[1][];
        Throwable[] failure = new Throwable[1];
        Thread owner = ownerBuilder.start(() -> {
            try {
                ring[0] = Ring.open(config());
                tcp[0] = tcpPair(ring[0], IPv4Address.LOOPBACK);
                UnixSocket[] unix = ring[0].socketpair(SocketType.STREAM);
                ring[0].recv(tcp[0][0], Conformance.allocate(64), calls.next(), calls);
                ring[0].recv(tcp[0][1], Conformance.allocate(64), calls.next(), calls);
                ring[0].recv(unix[0], Conformance.allocate(64), calls.next(), calls);
                ring[0].timeout(HOUR_NANOS, calls.next(), calls);
                ring[0].recv(unix[1], Conformance.allocate(64), calls.next().timeoutNanos(HOUR_NANOS), calls);
                ring[0].tick();
                // Then this thread ends without closing: as if its task had thrown.
            } catch (Throwable e) {
                failure[0] = e;
            }
        });
        owner.join(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
        assertFalse(owner.isAlive(), "the owner thread did not finish");
        if (failure[0] != null) throw new AssertionError("setting up on the owner thread failed", failure[0]);
        assertFalse(ring[0].isClosed());
        ring[0].close();
        assertTrue(ring[0].isClosed());
        calls.assertAllCancelledOnce();
        assertEquals(0, ring[0].openSockets());
        for (Socket s : tcp[0]) assertThrows(IllegalStateException.class, () -> ring[0].recv(s, Conformance.allocate(8)));
        // A second close is a no-op, from any thread.
        ring[0].close();
    }

    /**
     * A handler that runs while the ring closes cannot know it is closing: an operation it starts
     * then completes with ECANCELED (its handler runs again) instead of throwing out of the
     * handler; the same Completion started again during that close is refused, so a handler that
     * retries on every error cannot keep close() from finishing.
     */
    @Test
    void operationsStartedByHandlersWhileTheRingClosesEndWithEcanceled() throws Exception {
        Ring ring = Ring.open(config());
        Socket[] tcp = tcpPair(ring, IPv4Address.LOOPBACK);
        List<String> seen = new ArrayList<>();
        Completion c = new Completion();
        Handler retry = new Handler() {
            @Override
            public void completed(Completion done) {
                seen.add(done.ok() ? "ok" : done.error().name());
                try {
                    ring.recv(tcp[0], Conformance.allocate(16), done, this);
                    seen.add("started");
                } catch (IllegalStateException e) {
                    seen.add("refused");
                }
            }
        };
        // In flight when close() starts: it ends (with its own result or ECANCELED), and the handler starts a receive.
        ring.recv(tcp[1], Conformance.allocate(16), c, retry);
        ring.tick();
        ring.close();
        assertEquals(List.of("ECANCELED", "started", "ECANCELED", "refused"), seen);
        assertEquals(0, ring.openSockets());
        assertThrows(IllegalStateException.class, () -> ring.recv(tcp[0], Conformance.allocate(8), new Completion(), done -> { }),
                "after close() returned, operations are refused");
    }

    @Test
    void closingTheRingCancelsEverythingOnce() throws Exception {
        Calls calls = new Calls();
        List<Socket> sockets = new ArrayList<>();
        Ring ring = Ring.open(config().withEntries(8).withInflightMax(8));
        try {
            Socket listener = ring.listen(IPv4Address.LOOPBACK, 4);
            Socket[] tcp = tcpPair(ring, IPv4Address.LOOPBACK);
            Socket udp = ring.openUdp(Family.INET);
            udp.bind(IPv4Address.LOOPBACK);
            UnixSocket[] unix = ring.socketpair(SocketType.STREAM);
            sockets.addAll(List.of(listener, tcp[0], tcp[1], udp, unix[0], unix[1]));

            ring.accept(listener, calls.next(), calls);
            ring.recv(tcp[0], Conformance.allocate(64), calls.next(), calls);
            ring.recv(tcp[1], Conformance.allocate(64), calls.next(), calls);
            ring.recvfrom(udp, Conformance.allocate(64), calls.next(), calls);
            ring.recvFds(unix[1], Conformance.allocate(64), new int[4], calls.next(), calls);
            // Eight in flight at most: of these ten timeouts, seven wait in the ring.
            for (int i = 0; i < 10; i++) ring.timeout(HOUR_NANOS, calls.next(), calls);
            ring.tick();
            assertTrue(calls.counts.isEmpty(), "nothing completed before the close: " + calls.counts);
        } finally {
            ring.close();
        }
        assertTrue(ring.isClosed());
        calls.assertAllCancelledOnce();
        for (Socket s : sockets) assertFalse(s.isOpen(), s + " is closed with its ring");
        assertEquals(0, ring.openSockets());
        assertThrows(IllegalStateException.class, () -> ring.nop(new Completion(), c -> { }), "a closed ring takes no operations");
        assertThrows(IllegalStateException.class, () -> ring.openTcp(Family.INET), "a closed ring opens no sockets");
        ring.close(); // idempotent
    }

    @Test
    void closingAStartedRingFailsPendingFutures() throws Exception {
        Ring ring = start();
        CompletableFuture<?>[] futures;
        List<Socket> sockets;
        try {
            Socket listener = ring.listen(IPv4Address.LOOPBACK, 4);
            UnixSocket[] unix = ring.socketpair(SocketType.STREAM);
            sockets = List.of(listener, unix[0], unix[1]);
            futures = new CompletableFuture<?>[] {
                ring.accept(listener),
                ring.recv(unix[0], Conformance.allocate(64)),
                ring.timeout(HOUR_NANOS),
            };
            // A round trip through the ring thread: the operations above are in the backend by now.
            ring.timeout(0).get(WAIT_SECONDS, TimeUnit.SECONDS);
        } finally {
            ring.close(); // from the test thread, not the ring's: waits for the ring thread to finish
        }
        for (CompletableFuture<?> f : futures) {
            ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(WAIT_SECONDS, TimeUnit.SECONDS));
            SluiceException cause = assertInstanceOf(SluiceException.class, e.getCause());
            assertEquals(Errno.ECANCELED, cause.errno());
        }
        for (Socket s : sockets) assertFalse(s.isOpen());
    }

    @Test
    void closingASocketCancelsOnlyItsOperations() throws Exception {
        try (Ring ring = open()) {
            Socket[] doomed = tcpPair(ring, IPv4Address.LOOPBACK);
            Socket[] other = tcpPair(ring, IPv4Address.LOOPBACK);
            Completion recv = new Completion();
            int[] calls = {0};
            ring.recv(doomed[0], Conformance.allocate(64), recv, c -> calls[0]++);
            RecvAll otherRecv = new RecvAll(ring, other[0], 64, 10, null).start();
            ring.tick();

            doomed[0].close();
            assertFalse(doomed[0].isOpen());
            await(ring, () -> calls[0] > 0, "the recv on the closed socket");
            failed(recv, Errno.ECANCELED);
            assertEquals(1, calls[0]);

            // The peer sees the close as end of stream.
            RecvAll peer = new RecvAll(ring, doomed[1], 64, -1, null).start();
            await(ring, () -> peer.done, "end of stream at the closed socket's peer");
            assertTrue(peer.eof);

            // The other connection's pending recv was untouched and still receives.
            assertFalse(otherRecv.done);
            byte[] message = new Pattern(91).bytes(10);
            new SendAll(ring, other[1], segment(message), null).start();
            await(ring, () -> otherRecv.done, "the other connection's data");
            assertArrayEquals(message, otherRecv.bytes());
        }
    }

    @Test
    void asynchronousCloseCompletesAndCancels() throws Exception {
        try (Ring ring = open()) {
            UnixSocket[] pair = ring.socketpair(SocketType.STREAM);
            Completion recv = new Completion();
            Completion close = new Completion();
            int[] calls = {0, 0};
            ring.recv(pair[0], Conformance.allocate(64), recv, c -> calls[0]++);
            ring.tick();
            ring.close(pair[0], close, c -> calls[1]++);
            assertFalse(pair[0].isOpen(), "the socket counts as closed from the call on");
            await(ring, () -> calls[0] > 0 && calls[1] > 0, "an asynchronous close");
            assertEquals(0, ok(close).result());
            failed(recv, Errno.ECANCELED);
            assertArrayEquals(new int[] {1, 1}, calls);
        }
    }
}
