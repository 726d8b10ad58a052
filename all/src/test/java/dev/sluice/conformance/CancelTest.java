package dev.sluice.conformance;

import static dev.sluice.conformance.Conformance.await;
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
import java.io.ByteArrayOutputStream;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Cancellation: a pending operation ends with ECANCELED at once (readiness backends must not
 * wait for readiness to report it) and its cancel with 0; a finished one cannot be cancelled
 * (ENOENT); and when data races the cancel, the receive ends exactly once, and no byte is lost.
 */
class CancelTest extends RingTest {
    private static final long HOUR_NANOS = TimeUnit.HOURS.toNanos(1);

    @Test
    void cancelPendingRecv() throws Exception {
        try (Ring ring = open()) {
            Socket[] pair = tcpPair(ring, IPv4Address.LOOPBACK);
            MemorySegment buffer = Conformance.allocate(64);
            Completion recv = new Completion();
            Completion cancel = new Completion();
            int[] calls = {0, 0};
            ring.recv(pair[0], buffer, recv, c -> calls[0]++);
            ring.tick();
            ring.cancel(recv, cancel, c -> calls[1]++);
            await(ring, () -> calls[0] > 0 && calls[1] > 0, "a cancelled recv (no data is ever sent)");
            failed(recv, Errno.ECANCELED);
            ok(cancel);
            assertEquals(0, cancel.result(), "a cancel that found its target completes with 0");
            assertEquals(1, calls[0]);
            assertEquals(1, calls[1]);

            // The socket is unharmed: data sent now arrives.
            byte[] message = new Pattern(71).bytes(50);
            ring.send(pair[1], segment(message), new Completion(), c -> ok(c));
            RecvAll rest = new RecvAll(ring, pair[0], 64, message.length, null).start();
            await(ring, () -> rest.done, "data after a cancelled recv");
            assertArrayEquals(message, rest.bytes());
        }
    }

    @Test
    void cancelPendingAcceptAndTimeout() throws Exception {
        try (Ring ring = open()) {
            Socket listener = ring.listen(IPv4Address.LOOPBACK, 4);
            Completion accept = new Completion();
            Completion timeout = new Completion();
            Completion cancelAccept = new Completion();
            Completion cancelTimeout = new Completion();
            int[] calls = new int[4];
            ring.accept(listener, accept, c -> calls[0]++);
            ring.timeout(HOUR_NANOS, timeout, c -> calls[1]++);
            ring.tick();
            ring.cancel(accept, cancelAccept, c -> calls[2]++);
            ring.cancel(timeout, cancelTimeout, c -> calls[3]++);
            await(ring, () -> calls[0] > 0 && calls[1] > 0 && calls[2] > 0 && calls[3] > 0, "cancelled accept and timeout");
            failed(accept, Errno.ECANCELED);
            failed(timeout, Errno.ECANCELED);
            assertEquals(0, ok(cancelAccept).result());
            assertEquals(0, ok(cancelTimeout).result());
            assertArrayEquals(new int[] {1, 1, 1, 1}, calls, "each handler ran once");

            // The listener still accepts.
            Socket client = ring.openTcp(Family.INET);
            boolean[] connected = {false};
            ring.accept(listener, accept, c -> calls[0]++);
            ring.connect(client, listener.localAddress(), new Completion(), c -> connected[0] = ok(c) != null);
            await(ring, () -> connected[0] && calls[0] == 2, "an accept after a cancelled one");
            ok(accept);
        }
    }

    @Test
    void cancelOfFinishedOperationIsENOENT() throws Exception {
        try (Ring ring = open()) {
            Completion nop = new Completion();
            Completion cancel = new Completion();
            int[] calls = {0, 0};
            ring.nop(nop, c -> calls[0]++);
            await(ring, () -> calls[0] > 0, "a nop");
            ok(nop);
            ring.cancel(nop, cancel, c -> calls[1]++);
            await(ring, () -> calls[1] > 0, "the cancel of a finished nop");
            failed(cancel, Errno.ENOENT);

            // Same for a recv that already received.
            Socket[] pair = tcpPair(ring, IPv4Address.LOOPBACK);
            byte[] message = new Pattern(72).bytes(20);
            MemorySegment buffer = Conformance.allocate(64);
            Completion finished = new Completion();
            Completion cancelRecv = new Completion();
            ring.send(pair[1], segment(message), new Completion(), c -> ok(c));
            ring.recv(pair[0], buffer, finished, c -> calls[0]++);
            await(ring, () -> calls[0] == 2, "a recv");
            ok(finished);
            ring.cancel(finished, cancelRecv, c -> calls[1]++);
            await(ring, () -> calls[1] == 2, "the cancel of a finished recv");
            failed(cancelRecv, Errno.ENOENT);
            assertArrayEquals(java.util.Arrays.copyOf(message, finished.result()), Conformance.bytes(buffer, finished.result()), "a failed cancel leaves the data alone");
            assertArrayEquals(new int[] {2, 2}, calls);
        }
    }

    /**
     * Data and a cancel submitted close together (same batch, both orders; or data one loop
     * turn ahead), many times. Which wins is up to the backend and the kernel; see {@link Race}.
     */
    @Test
    void cancelRacingWithData() throws Exception {
        final int rounds = 300;
        try (Ring ring = open()) {
            Socket[] pair = tcpPair(ring, IPv4Address.LOOPBACK);
            Race race = new Race(ring, pair[0]);
            Completion send = new Completion();
            int[] sends = {0};
            for (int round = 0; round < rounds; round++) {
                MemorySegment data = Conformance.allocate(Race.CHUNK);
                data.set(ValueLayout.JAVA_INT_UNALIGNED, 0, round);
                race.arm();
                switch (round % 3) {
                    case 0 -> { // data, then the cancel, in one batch
                        ring.send(pair[1], data, send, c -> sends[0]++);
                        race.cancel();
                    }
                    case 1 -> { // the cancel, then data, in one batch
                        race.cancel();
                        ring.send(pair[1], data, send, c -> sends[0]++);
                    }
                    default -> { // data handed to the kernel a loop turn before the cancel
                        ring.send(pair[1], data, send, c -> sends[0]++);
                        ring.tick();
                        race.cancel();
                    }
                }
                int sent = round + 1;
                await(ring, () -> sends[0] == sent, "the send of round " + round);
                assertEquals(Race.CHUNK, ok(send).result());
                race.settle(round);
            }
            race.verify(rounds, "same thread");
        }
    }

    /**
     * The data comes from a JDK socket on another core, released just before the cancel is
     * submitted (with jitter), so the kernel sees both at once; otherwise as
     * {@link #cancelRacingWithData}.
     */
    @Test
    void cancelRacingWithDataFromAnotherThread() throws Exception {
        final int rounds = 300;
        try (Ring ring = open()) {
            Socket listener = ring.listen(IPv4Address.LOOPBACK, 4);
            Socket[] accepted = new Socket[1];
            ring.accept(listener, new Completion(), c -> accepted[0] = ok(c).accepted());
            java.net.Socket peer = new java.net.Socket();
            peer.connect(listener.localAddress().toJava(), (int) Conformance.WAIT_SECONDS * 1000);
            await(ring, () -> accepted[0] != null, "the JDK peer's connection");
            Race race = new Race(ring, accepted[0]);
            java.util.concurrent.atomic.AtomicInteger go = new java.util.concurrent.atomic.AtomicInteger(-1);
            java.util.concurrent.atomic.AtomicReference<Throwable> failure = new java.util.concurrent.atomic.AtomicReference<>();
            Thread writer = Thread.ofPlatform().name("race-writer").start(Conformance.guard(failure, () -> {
                java.io.OutputStream out = peer.getOutputStream();
                byte[] b = new byte[Race.CHUNK];
                for (int round = 0; round < rounds; round++) {
                    while (go.get() < round) Thread.onSpinWait(); // spin: a park would lose the race every time
                    java.nio.ByteBuffer.wrap(b).order(java.nio.ByteOrder.nativeOrder()).putInt(round);
                    out.write(b);
                }
            }));
            try {
                for (int round = 0; round < rounds; round++) {
                    race.arm();
                    go.set(round);
                    // Jitter, 0 to 90 µs, so the cancel lands before, during and after the data's
                    // arrival (a busy wait, not a timing assumption: any outcome is checked).
                    long until = System.nanoTime() + (round % 10) * 10_000L;
                    while (System.nanoTime() < until) Thread.onSpinWait();
                    race.cancel();
                    race.settle(round);
                }
            } finally {
                go.set(Integer.MAX_VALUE);
                assertTrue(writer.join(java.time.Duration.ofSeconds(Conformance.WAIT_SECONDS)));
                peer.close();
            }
            if (failure.get() != null) throw new AssertionError("the writer failed", failure.get());
            race.verify(rounds, "other thread");
        }
    }

    /**
     * One receiver's side of a cancel race. Each round: the recv ends exactly once, with data
     * (and its cancel with ENOENT) or ECANCELED (and its cancel with 0); a cancelled round's data
     * is read afterwards; at the end the receiver has every 4-byte round number, in order.
     */
    private final class Race {
        static final int CHUNK = 4;
        private final Ring ring;
        private final Socket receiver;
        private final MemorySegment buffer = Conformance.allocate(256);
        private final Completion recv = new Completion();
        private final Completion cancel = new Completion();
        private final ByteArrayOutputStream received = new ByteArrayOutputStream();
        private int recvCalls;
        private int cancelCalls;
        private int cancelled;
        private int gotData;

        Race(Ring ring, Socket receiver) {
            this.ring = ring;
            this.receiver = receiver;
        }

        /** Submits the recv and hands it to the backend, so it is pending when the race starts. */
        void arm() throws Exception {
            recvCalls = cancelCalls = 0;
            ring.recv(receiver, buffer, recv, c -> recvCalls++);
            ring.tick();
        }

        void cancel() throws Exception {
            ring.cancel(recv, cancel, c -> cancelCalls++);
            ring.tick();
        }

        void settle(int round) throws Exception {
            await(ring, () -> recvCalls > 0 && cancelCalls > 0, "round " + round + " of the cancel race");
            assertEquals(1, recvCalls, "round " + round + ": the raced recv completed once");
            assertEquals(1, cancelCalls, "round " + round + ": its cancel completed once");
            if (recv.ok()) {
                gotData++;
                assertTrue(recv.result() > 0, "round " + round + ": a recv that was not cancelled got data");
                failed(cancel, Errno.ENOENT);
                received.write(Conformance.bytes(buffer, recv.result()), 0, recv.result());
            } else {
                cancelled++;
                failed(recv, Errno.ECANCELED);
                assertEquals(0, ok(cancel).result(), "round " + round + ": the recv was cancelled, so its cancel found it");
            }
            // Whatever the outcome, read until this round's bytes are all in.
            long expected = (long) (round + 1) * CHUNK;
            while (received.size() < expected) {
                int before = recvCalls;
                ring.recv(receiver, buffer, recv, c -> recvCalls++);
                await(ring, () -> recvCalls > before, "the rest of round " + round);
                ok(recv);
                received.write(Conformance.bytes(buffer, recv.result()), 0, recv.result());
            }
            assertEquals(expected, received.size(), "round " + round + ": more bytes than were sent");
        }

        void verify(int rounds, String how) {
            MemorySegment all = segment(received.toByteArray());
            for (int round = 0; round < rounds; round++) {
                assertEquals(round, all.get(ValueLayout.JAVA_INT_UNALIGNED, (long) round * CHUNK), "bytes of round " + round + " lost or reordered");
            }
            System.out.printf("[%s] cancel race (%s): %d rounds cancelled, %d got data first%n", backend, how, cancelled, gotData);
        }
    }
}
