package dev.sluice.epoll;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.sluice.Completion;
import dev.sluice.Errno;
import dev.sluice.Handler;
import dev.sluice.Ring;
import dev.sluice.RingConfig;
import dev.sluice.SocketType;
import dev.sluice.UnixSocket;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Random mixes of recv, send, cancel, deadline, timeout, nop and socket close, then a ring close
 * with whatever is in flight: every submitted operation's handler runs exactly once, and only
 * with results the engine may produce. Seeded; a failure names its seed.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ReadinessStressTest {
    private static final Set<Errno> ALLOWED = EnumSet.of(Errno.ECANCELED, Errno.ETIMEDOUT, Errno.ENOENT, Errno.EPIPE, Errno.ECONNRESET);
    private static final int SLOTS = 48;
    private static final int PAIRS = 6;

    /** A completion with its own counters; reused once its handler has run. */
    private static final class Slot extends Completion implements Handler {
        final int index;
        final MemorySegment buffer;
        long submitted;
        long completed;
        String failure;
        final java.util.Map<String, Integer> outcomes;

        Slot(int index, MemorySegment buffer, java.util.Map<String, Integer> outcomes) {
            this.index = index;
            this.buffer = buffer;
            this.outcomes = outcomes;
        }

        @Override
        public void completed(Completion c) {
            completed++;
            outcomes.merge(c.op() + " " + (c.ok() ? "ok" : c.error().name()), 1, Integer::sum);
            if (completed != submitted) failure = "slot " + index + " completed " + completed + " times for " + submitted + " submissions";
            if (!c.ok() && !ALLOWED.contains(c.error())) failure = "slot " + index + " " + describe() + " failed with " + c.error();
        }
    }

    @Test
    void everyOperationCompletesExactlyOnce() throws Exception {
        for (long seed = 1; seed <= 6; seed++) run(seed);
    }

    private static void run(long seed) throws Exception {
        Random random = new Random(seed);
        try (Arena arena = Arena.ofShared()) {
            Ring ring = Ring.open(RingConfig.DEFAULT.withBackend("epoll"));
            List<UnixSocket[]> pairs = new ArrayList<>();
            for (int i = 0; i < PAIRS; i++) pairs.add(ring.socketpair(SocketType.STREAM));
            Slot[] slots = new Slot[SLOTS];
            java.util.Map<String, Integer> outcomes = new java.util.TreeMap<>();
            for (int i = 0; i < SLOTS; i++) slots[i] = new Slot(i, arena.allocate(1 + random.nextInt(512)), outcomes);
            for (int step = 0; step < 3000; step++) {
                Slot s = slots[random.nextInt(SLOTS)];
                int p = random.nextInt(PAIRS);
                UnixSocket[] pair = pairs.get(p);
                int action = random.nextInt(100);
                if (action < 8) {
                    // Close one side (ops pending on it must end with ECANCELED) and replace the pair.
                    pair[random.nextInt(2)].close();
                    ring.tick();
                    pair[0].close();
                    pair[1].close();
                    pairs.set(p, ring.socketpair(SocketType.STREAM));
                } else if (s.state() == dev.sluice.spi.Operation.State.IDLE) {
                    s.timeoutNanos(action % 5 == 0 ? TimeUnit.MICROSECONDS.toNanos(random.nextInt(3000)) : 0);
                    s.submitted++;
                    if (action < 45) {
                        ring.recv(pair[random.nextInt(2)], s.buffer, s, s);
                    } else if (action < 75) {
                        ring.send(pair[random.nextInt(2)], s.buffer, s, s);
                    } else if (action < 88) {
                        Slot target = slots[random.nextInt(SLOTS)];
                        if (target == s) {
                            ring.nop(s, s);
                        } else {
                            ring.cancel(target, s, s);
                        }
                    } else if (action < 95) {
                        ring.timeout(TimeUnit.MICROSECONDS.toNanos(random.nextInt(2000)), s, s);
                    } else {
                        ring.nop(s, s);
                    }
                }
                if (random.nextInt(4) == 0) ring.tick();
                for (Slot x : slots) if (x.failure != null) throw new AssertionError("seed " + seed + ": " + x.failure);
            }
            ring.close();
            System.out.println("seed " + seed + ": " + outcomes);
            for (Slot x : slots) {
                if (x.failure != null) throw new AssertionError("seed " + seed + ": " + x.failure);
                assertFalse(x.isPending(), "seed " + seed + ": slot " + x.index + " still pending after ring close");
                assertEquals(x.submitted, x.completed, "seed " + seed + ": slot " + x.index);
            }
        }
    }
}
