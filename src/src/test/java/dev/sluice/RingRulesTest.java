package dev.sluice;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The ring's own rules, checked against a backend with no kernel behind it. */
@Timeout(30)
class RingRulesTest {
    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    @Test
    void handlersNeverRunInsideSubmitAndRunExactlyOnce() throws Exception {
        try (Ring ring = Ring.open(new RingConfig(4, 4, "fake"))) {
            FakeBackend fake = FakeBackend.last;
            AtomicInteger calls = new AtomicInteger();
            boolean[] insideSubmit = {false};
            Completion c = new Completion();
            ring.nop(c, x -> {
                calls.incrementAndGet();
                insideSubmit[0] = fake.inSubmit;
            });
            assertEquals(0, calls.get(), "handler ran inside submit");
            assertTrue(ring.runUntil(() -> calls.get() == 1, SECOND));
            ring.tick();
            ring.tick();
            assertEquals(1, calls.get());
            assertFalse(insideSubmit[0]);
            assertEquals(7, c.result());
            assertTrue(c.ok());
        }
    }

    @Test
    void aWaitWithoutDeadlineIsForeverToTheBackendNotATimer() throws Exception {
        try (Ring ring = Ring.open(new RingConfig(4, 4, "fake"))) {
            FakeBackend fake = FakeBackend.last;
            // Ends the wait once the ring sleeps in the backend (a wait forever ends only so).
            Thread waker = Thread.ofPlatform().start(() -> {
                while (fake.blockingWaits == 0) Thread.yield();
                ring.wakeup();
            });
            ring.runUntil(() -> fake.blockingWaits > 0, Long.MAX_VALUE);
            waker.join();
            assertTrue(fake.lastBlockingTimeout < 0, "backend asked to wait " + fake.lastBlockingTimeout + " ns instead of forever");
        }
    }

    @Test
    void operationsBeyondTheInflightLimitWaitInOrder() throws Exception {
        try (Ring ring = Ring.open(new RingConfig(2, 2, "fake"))) {
            FakeBackend fake = FakeBackend.last;
            List<Integer> order = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                int id = i;
                ring.nop(new Completion(), x -> order.add(id));
            }
            assertTrue(ring.runUntil(() -> order.size() == 50, SECOND * 5));
            assertTrue(fake.maxHeld <= 2, "backend held " + fake.maxHeld + " operations, limit 2");
            for (int i = 0; i < 50; i++) assertEquals(i, order.get(i));
        }
    }

    @Test
    void aCompletionInFlightCannotBeSubmittedAgain() throws Exception {
        try (Ring ring = Ring.open(new RingConfig(2, 2, "fake"))) {
            Completion c = new Completion();
            ring.nop(c, x -> { });
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> ring.nop(c, x -> { }));
            assertTrue(e.getMessage().contains("still in flight"), e.getMessage());
            ring.runUntil(() -> !c.isPending(), SECOND);
            ring.nop(c, x -> { });
        }
    }

    @Test
    void cancellingAWaitingOperationEndsItInTheRing() throws Exception {
        try (Ring ring = Ring.open(new RingConfig(1, 1, "fake"))) {
            FakeBackend fake = FakeBackend.last;
            Completion first = new Completion();
            Completion second = new Completion();
            Completion cancel = new Completion();
            List<String> seen = new ArrayList<>();
            ring.nop(first, x -> seen.add("first " + x.ok()));
            ring.nop(second, x -> seen.add("second " + x.error()));
            ring.cancel(second, cancel, x -> seen.add("cancel " + x.result()));
            assertTrue(ring.runUntil(() -> seen.size() == 3, SECOND));
            assertEquals(List.of("second ECANCELED", "cancel 0", "first true"), seen);
            assertEquals(1, fake.submits, "the waiting operation reached the backend");
        }
    }

    @Test
    void cancellingAFinishedOperationGivesEnoent() throws Exception {
        try (Ring ring = Ring.open(new RingConfig(4, 4, "fake"))) {
            Completion done = new Completion();
            ring.nop(done, x -> { });
            ring.runUntil(() -> !done.isPending(), SECOND);
            Completion cancel = new Completion();
            ring.cancel(done, cancel, x -> { });
            ring.runUntil(() -> !cancel.isPending(), SECOND);
            assertEquals(Errno.ENOENT, cancel.error());
        }
    }

    @Test
    void closingCompletesEveryPendingAndWaitingOperationOnce() throws Exception {
        Ring ring = Ring.open(new RingConfig(1, 1, "fake"));
        AtomicInteger cancelled = new AtomicInteger();
        AtomicInteger calls = new AtomicInteger();
        // The limit is 1: one timeout reaches the backend, four wait in the ring.
        Completion[] cs = new Completion[5];
        for (int i = 0; i < cs.length; i++) {
            cs[i] = new Completion();
            ring.timeout(SECOND * 3600, cs[i], x -> {
                calls.incrementAndGet();
                if (x.error() == Errno.ECANCELED) cancelled.incrementAndGet();
            });
        }
        FakeBackend fake = FakeBackend.last;
        ring.close();
        assertEquals(1, fake.submits);
        assertEquals(5, calls.get());
        assertEquals(5, cancelled.get(), "the hour-long timeout in the backend and the four waiting ones end cancelled");
        assertTrue(ring.isClosed());
        assertThrows(IllegalStateException.class, () -> ring.nop(new Completion(), x -> { }));
    }

    @Test
    void submissionsFromAnotherThreadWakeTheRing() throws Exception {
        try (Ring ring = Ring.open(new RingConfig(4, 4, "fake"))) {
            CompletableFuture<Integer> f = new CompletableFuture<>();
            Thread t = Thread.ofPlatform().start(() -> ring.nop(new Completion(), x -> f.complete(x.result())));
            assertTrue(ring.runUntil(f::isDone, SECOND * 10));
            t.join();
            assertEquals(7, f.get());
        }
    }

    @Test
    void backgroundRingServesFuturesAndClosesFromOutside() throws Exception {
        Ring ring = Ring.start(new RingConfig(4, 4, "fake"));
        assertFalse(ring.inRingThread());
        assertEquals(null, ring.timeout(1).get(10, TimeUnit.SECONDS));
        ring.close();
        assertTrue(ring.isClosed());
    }

    @Test
    void waitingForAFutureOnTheRingsOwnThreadFailsInsteadOfHanging() throws Exception {
        try (Ring ring = Ring.open(new RingConfig(4, 4, "fake"))) {
            CompletableFuture<Void> f = ring.timeout(1).thenApply(v -> v);
            IllegalStateException e = assertThrows(IllegalStateException.class, f::join);
            assertTrue(e.getMessage().contains("runUntil"), e.getMessage());
            assertThrows(IllegalStateException.class, () -> f.get(1, TimeUnit.SECONDS));
            assertTrue(ring.runUntil(f::isDone, SECOND));
            assertNull(f.join(), "a completed future can be read anywhere");
        }
    }

    @Test
    void forcingAnUnknownBackendNamesWhatExists() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Ring.open(RingConfig.DEFAULT.withBackend("nope")));
        assertTrue(e.getMessage().contains("fake"), e.getMessage());
        assertEquals(List.of("fake", "sim"), FakeBackend.names(), "best first: the sim is chosen by name only");
    }

    @Test
    void ownerOnlyCallsRefuseOtherThreads() throws Exception {
        try (Ring ring = Ring.open(new RingConfig(4, 4, "fake"))) {
            CompletableFuture<Throwable> f = new CompletableFuture<>();
            Thread.ofPlatform().start(() -> {
                try {
                    ring.tick();
                    f.complete(null);
                } catch (Throwable e) {
                    f.complete(e);
                }
            }).join();
            assertInstanceOf(IllegalStateException.class, f.get());
        }
    }

    @Test
    void multishotOnABackendWithoutItIsRefusedClearly() throws Exception {
        try (Ring ring = Ring.open(new RingConfig(4, 4, "fake"))) {
            UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class, () -> ring.openBufferPool(4, 64));
            assertTrue(e.getMessage().contains("RECV_MULTISHOT"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> ring.openBufferPool(5, 64), "shape is checked first");
        }
    }
}
