package dev.sluice;

import static org.junit.jupiter.api.Assertions.*;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The ring's rules under random load on the simulated backend: nops, timeouts, receives (some
 * with deadlines), sends, cancels, socket closes and a ring close, from the ring's thread and from
 * another thread at once. Every operation whose submission returned normally has its handler run
 * exactly once, on the ring's thread; the backend never holds more than {@code inflightMax}; a
 * successful cancel always ended its target with ECANCELED; nothing is left in the backend. The
 * sim also resets connections now and then: each reset the sim reported (once, as Linux does)
 * reaches exactly one handler as ECONNRESET, whatever else was cancelled or closed around it.
 */
@Timeout(120)
class RingFuzzTest {
    private static final int SEEDS = 200;

    /** One operation the test submitted. */
    static final class Tracked {
        final Op kind;
        final String by;
        final Completion c = new Completion();
        final AtomicInteger calls = new AtomicInteger();
        Tracked target;
        Socket socket;
        int capacity;
        volatile Errno error;
        volatile int result;
        volatile boolean onRingThread;

        Tracked(Op kind, String by) {
            this.kind = kind;
            this.by = by;
        }

        @Override
        public String toString() {
            return kind + " by " + by + " calls " + calls + (error != null ? " " + error : " result " + result);
        }
    }

    @Test
    void everyHandlerRunsExactlyOnceFromBothThreads() {
        long before = RESETS_SEEN.get();
        Fuzz.seeds("RingFuzz", 10_000, SEEDS, seed -> {
            try {
                new Run(seed).run();
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        if (System.getProperty("sluice.fuzz.seed") == null) assertTrue(RESETS_SEEN.get() > before, "no seed met a reset");
    }

    /** ECONNRESET results handed to handlers, across runs: the seeds must meet resets. */
    static final AtomicInteger RESETS_SEEN = new AtomicInteger();

    static final class Run {
        final long seed;
        final Random r;
        final List<Tracked> submitted = new CopyOnWriteArrayList<>();
        final Queue<String> failures = new ConcurrentLinkedQueue<>();
        Ring ring;
        SimBackend sim;
        List<Socket> sockets = new ArrayList<>();
        Arena arena;
        int inflightMax;

        Run(long seed) {
            this.seed = seed;
            this.r = new Random(seed);
        }

        void run() throws Exception {
            inflightMax = 1 + r.nextInt(8);
            SimBackend.Faults faults = SimBackend.Faults.random(seed);
            if (r.nextBoolean()) faults = faults.withResetProb(r.nextDouble() * 0.05);
            ring = SimBackend.open(faults, inflightMax);
            sim = SimBackend.lastOpened();
            arena = Arena.ofShared();
            try {
                for (int i = 0; i < 2; i++) sockets.addAll(List.of(ring.socketpair(SocketType.STREAM)));
                AtomicReference<Throwable> otherFailed = new AtomicReference<>();
                Random otherRandom = new Random(seed * 7919 + 1);
                int otherSteps = r.nextInt(150);
                Thread other = Thread.ofPlatform().name("ring-fuzz-other").start(() -> {
                    try {
                        List<Tracked> mine = new ArrayList<>();
                        for (int i = 0; i < otherSteps && !ring.isClosed(); i++) act(otherRandom, mine, "other");
                    } catch (Throwable e) {
                        otherFailed.set(e);
                    }
                });
                List<Tracked> mine = new ArrayList<>();
                int steps = 50 + r.nextInt(250);
                for (int i = 0; i < steps && !ring.isClosed(); i++) {
                    if (r.nextInt(3) == 0) {
                        for (int t = r.nextInt(4); t >= 0 && !ring.isClosed(); t--) ring.tick();
                    } else {
                        act(r, mine, "ring");
                    }
                }
                // Keep the loop running while the other thread may wait for it (a socket close hands over and waits).
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (other.isAlive() && !ring.isClosed() && System.nanoTime() < deadline) ring.runUntil(() -> !other.isAlive(), TimeUnit.MILLISECONDS.toNanos(5));
                if (!ring.isClosed()) ring.close();
                other.join(TimeUnit.SECONDS.toMillis(30));
                if (other.isAlive()) {
                    StringBuilder stack = new StringBuilder("the other thread hangs:");
                    for (StackTraceElement e : other.getStackTrace()) stack.append("\n    at ").append(e);
                    other.interrupt();
                    throw new AssertionError(stack.toString());
                }
                if (otherFailed.get() != null) throw new AssertionError("other thread failed", otherFailed.get());
            } finally {
                if (!ring.isClosed()) ring.close();
                arena.close();
            }
            assertTrue(failures.isEmpty(), () -> String.join("\n", failures));
            for (Tracked t : submitted) {
                assertEquals(1, t.calls.get(), () -> "handler runs of " + t);
                assertTrue(t.onRingThread, () -> "handler ran off the ring thread: " + t);
                if (t.kind == Op.CANCEL && t.error == null) {
                    assertEquals(Errno.ECANCELED, t.target.error, () -> "a successful cancel leaves its target cancelled: " + t.target);
                }
            }
            for (Socket s : sockets) {
                long h = s.handle();
                long seen = submitted.stream().filter(t -> t.socket == s && t.error == Errno.ECONNRESET).count();
                long reported = sim.resetError(h) == Errno.ECONNRESET ? sim.errorsReported(h) : 0;
                RESETS_SEEN.addAndGet((int) seen);
                assertEquals(reported, seen, () -> "ECONNRESET handlers on " + s + " (the sim reported its reset " + sim.errorsReported(h) + " times, sk_err " + sim.resetError(h) + ")");
            }
            assertTrue(sim.maxHeld <= inflightMax, "the sim held " + sim.maxHeld + " operations, limit " + inflightMax);
            assertEquals(0, sim.inflight(), "operations left in the sim");
            assertEquals(0, ring.openSockets(), "sockets left open");
        }

        /** One random action: submit an op, cancel one of ours, close a socket, or close the ring. */
        void act(Random r, List<Tracked> mine, String by) {
            int pick = r.nextInt(100);
            Op kind = pick < 20 ? Op.NOP : pick < 35 ? Op.TIMEOUT : pick < 55 ? Op.RECV : pick < 70 ? Op.SEND : pick < 90 ? Op.CANCEL : pick < 99 ? Op.CLOSE : null;
            if (kind == null) {
                if (r.nextInt(3) == 0) ring.close();
                return;
            }
            Socket s = sockets.get(r.nextInt(sockets.size()));
            if (kind == Op.CLOSE) {
                if (r.nextInt(3) != 0) return;
                // Never throws, even when the ring closes at the same time: closing is idempotent.
                s.close();
                return;
            }
            Tracked t = new Tracked(kind, by);
            if (kind == Op.RECV || kind == Op.SEND) t.socket = s;
            Handler h = c -> {
                int n = t.calls.incrementAndGet();
                if (n != 1) failures.add("handler ran " + n + " times: " + t);
                t.onRingThread = ring.inRingThread();
                t.error = c.error();
                t.result = c.result();
                check(t, c);
            };
            try {
                switch (kind) {
                    case NOP -> ring.nop(t.c, h);
                    case TIMEOUT -> ring.timeout(r.nextInt(2_000_000), t.c, h);
                    case RECV -> {
                        t.capacity = 1 + r.nextInt(512);
                        MemorySegment b = arena.allocate(t.capacity);
                        if (r.nextInt(4) == 0) t.c.timeoutNanos(1 + r.nextInt(1_000_000));
                        ring.recv(s, b, t.c, h);
                    }
                    case SEND -> {
                        t.capacity = 1 + r.nextInt(512);
                        MemorySegment b = arena.allocate(t.capacity);
                        ring.send(s, b, t.c, h);
                    }
                    case CANCEL -> {
                        if (mine.isEmpty()) return;
                        t.target = mine.get(r.nextInt(mine.size()));
                        ring.cancel(t.target.c, t.c, h);
                    }
                    default -> throw new AssertionError(kind);
                }
            } catch (IllegalStateException e) {
                expectClosing(e, s);
                return;
            }
            mine.add(t);
            submitted.add(t);
        }

        void expectClosing(IllegalStateException e, Socket s) {
            String m = String.valueOf(e.getMessage());
            if (!m.contains("ring is closed") && !(m.contains("is closed") && !s.isOpen())) throw e;
        }

        void check(Tracked t, Completion c) {
            Errno e = c.error();
            boolean ok = switch (t.kind) {
                case NOP, TIMEOUT -> e == null ? c.result() == 0 : e == Errno.ECANCELED;
                case RECV -> e == null ? c.result() >= 0 && c.result() <= t.capacity
                        : e == Errno.ECANCELED || e == Errno.EBADF || e == Errno.ECONNRESET || e == Errno.ETIMEDOUT;
                case SEND -> e == null ? c.result() > 0 && c.result() <= t.capacity
                        : e == Errno.ECANCELED || e == Errno.EBADF || e == Errno.EPIPE || e == Errno.ECONNRESET;
                case CANCEL -> e == null ? c.result() == 0 : e == Errno.ENOENT || e == Errno.ECANCELED;
                default -> false;
            };
            if (!ok) failures.add("unexpected result " + (e != null ? e : c.result()) + " of " + t);
        }
    }
}
