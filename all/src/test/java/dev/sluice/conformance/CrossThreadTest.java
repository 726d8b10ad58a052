package dev.sluice.conformance;

import static dev.sluice.conformance.Conformance.WAIT_SECONDS;
import static dev.sluice.conformance.Conformance.await;
import static dev.sluice.conformance.Conformance.bytes;
import static dev.sluice.conformance.Conformance.segment;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.Completion;
import dev.sluice.IPv4Address;
import dev.sluice.Ring;
import dev.sluice.Socket;
import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Operations submitted from other threads while the owner sits in the loop: the hand-over must
 * wake the ring (a missed wakeup shows as the loop sleeping until the test's 30 s limit), and
 * every operation completes exactly once on the owner thread.
 */
class CrossThreadTest extends RingTest {

    @Test
    void submissionsFromAnotherThreadWakeTheRing() throws Exception {
        final int rounds = 200;
        try (Ring ring = open()) {
            Thread owner = Thread.currentThread();
            AtomicInteger done = new AtomicInteger();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            Semaphore handled = new Semaphore(0);
            // One at a time: each submission finds the ring idle in its wait, so each must wake it.
            Thread submitter = Thread.ofPlatform().name("submitter").start(Conformance.guard(failure, () -> {
                Completion c = new Completion();
                for (int i = 0; i < rounds; i++) {
                    if ((i & 1) == 0) ring.nop(c, x -> onOwner(owner, x, done, handled));
                    else ring.timeout(1000, c, x -> onOwner(owner, x, done, handled));
                    if (!handled.tryAcquire(WAIT_SECONDS, TimeUnit.SECONDS)) throw new AssertionError("round " + i + " never completed");
                }
            }));
            await(ring, () -> done.get() == rounds || failure.get() != null, rounds + " operations from another thread");
            assertTrue(submitter.join(Duration.ofSeconds(WAIT_SECONDS)));
            if (failure.get() != null) throw new AssertionError("the submitting thread failed", failure.get());
            assertEquals(rounds, done.get());
        }
    }

    private static void onOwner(Thread owner, Completion c, AtomicInteger done, Semaphore handled) {
        if (Thread.currentThread() != owner) throw new AssertionError("a handler ran on " + Thread.currentThread() + ", not the ring's owner");
        Conformance.ok(c);
        done.incrementAndGet();
        handled.release();
    }

    @Test
    void manyThreadsSubmitAtOnce() throws Exception {
        final int threads = 4;
        final int each = 250;
        try (Ring ring = open()) {
            int[] handled = {0};
            List<Completion> all = new ArrayList<>();
            List<Thread> submitters = new ArrayList<>();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            for (int t = 0; t < threads; t++) {
                List<Completion> mine = new ArrayList<>();
                for (int i = 0; i < each; i++) mine.add(new Completion());
                all.addAll(mine);
                submitters.add(Thread.ofPlatform().start(Conformance.guard(failure, () -> {
                    for (Completion c : mine) ring.nop(c, x -> handled[0]++); // handlers run on the owner only
                })));
            }
            await(ring, () -> handled[0] == threads * each || failure.get() != null, threads * each + " nops from " + threads + " threads");
            for (Thread t : submitters) assertTrue(t.join(Duration.ofSeconds(WAIT_SECONDS)));
            if (failure.get() != null) throw new AssertionError("a submitting thread failed", failure.get());
            // Give stragglers (a duplicate completion) a chance to show: one more trip through the loop.
            boolean[] last = {false};
            ring.nop(new Completion(), c -> last[0] = true);
            await(ring, () -> last[0], "a final nop");
            assertEquals(threads * each, handled[0], "each operation completed exactly once");
            for (Completion c : all) Conformance.ok(c);
        }
    }

    @Test
    void socketFuturesFromAnotherThread() throws Exception {
        try (Ring ring = open()) {
            Socket[] pair = tcpPair(ring, IPv4Address.LOOPBACK);
            byte[] message = new Pattern(101).bytes(1000);
            AtomicReference<Throwable> failure = new AtomicReference<>();
            AtomicReference<byte[]> got = new AtomicReference<>();
            boolean[] finished = {false};
            Thread other = Thread.ofPlatform().start(Conformance.guard(failure, () -> {
                MemorySegment buffer = Conformance.allocate(2000);
                var recv = ring.recv(pair[1], buffer);
                int sent = ring.send(pair[0], segment(message)).get(WAIT_SECONDS, TimeUnit.SECONDS);
                assertEquals(message.length, sent);
                int n = recv.get(WAIT_SECONDS, TimeUnit.SECONDS);
                got.set(bytes(buffer, n));
                // Tell the owner through the ring itself: execute() is a hand-over that must wake it too.
                ring.execute(() -> finished[0] = true);
            }));
            await(ring, () -> finished[0] || failure.get() != null, "futures driven from another thread");
            assertTrue(other.join(Duration.ofSeconds(WAIT_SECONDS)));
            if (failure.get() != null) throw new AssertionError("the other thread failed", failure.get());
            byte[] received = got.get();
            assertArrayEquals(java.util.Arrays.copyOf(message, received.length), received);
            assertTrue(received.length > 0);
        }
    }
}
