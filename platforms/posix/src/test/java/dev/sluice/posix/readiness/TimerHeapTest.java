package dev.sluice.posix.readiness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.sluice.spi.Operation;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The timer heap against a sorted-set model under random add, remove and expiry, seeded. */
class TimerHeapTest {
    private static final class Op extends Operation {
        final int id;

        Op(int id) {
            this.id = id;
        }
    }

    private record Entry(long expiry, long sequence, Op op) {
    }

    @Test
    void matchesASortedModel() {
        for (long seed = 1; seed <= 20; seed++) {
            Random random = new Random(seed);
            TimerHeap heap = new TimerHeap(4);
            TreeSet<Entry> model = new TreeSet<>(Comparator.comparingLong(Entry::expiry).thenComparingLong(Entry::sequence));
            List<Op> free = new ArrayList<>();
            for (int i = 0; i < 200; i++) free.add(new Op(i));
            List<Entry> live = new ArrayList<>();
            long sequence = 0;
            long now = 0;
            for (int step = 0; step < 5000; step++) {
                int action = random.nextInt(10);
                if (action < 5 && !free.isEmpty()) {
                    Op op = free.remove(free.size() - 1);
                    long expiry = now + random.nextInt(50);
                    Entry e = new Entry(expiry, sequence++, op);
                    heap.add(op, expiry);
                    model.add(e);
                    live.add(e);
                } else if (action < 7 && !live.isEmpty()) {
                    Entry e = live.remove(random.nextInt(live.size()));
                    heap.remove(e.op());
                    model.remove(e);
                    assertEquals(-1, e.op().backendSlot(), "seed " + seed);
                    free.add(e.op());
                } else {
                    now += random.nextInt(5);
                    for (Operation op; (op = heap.pollExpired(now)) != null; ) {
                        Entry first = model.pollFirst();
                        assertSame(first.op(), op, "seed " + seed + " step " + step + ": expiry order, ties in insertion order");
                        live.remove(first);
                        free.add(first.op());
                    }
                    Entry next = model.isEmpty() ? null : model.first();
                    if (next != null) assertEquals(true, next.expiry() > now, "seed " + seed);
                }
                assertEquals(model.size(), heap.size(), "seed " + seed);
                assertEquals(model.isEmpty() ? Long.MAX_VALUE : model.first().expiry(), heap.nextExpiry(), "seed " + seed);
            }
            while (heap.pollAny() != null) {
                // drain
            }
            assertNull(heap.pollExpired(Long.MAX_VALUE));
        }
    }
}
