package dev.sluice.conformance;

import static dev.sluice.conformance.Conformance.await;
import static dev.sluice.conformance.Conformance.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.Completion;
import dev.sluice.Ring;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Timeout operations complete with 0, never before their time (only "not before" is checked:
 * a loaded machine may be late), and several complete in the order of their deadlines.
 */
class TimeoutTest extends RingTest {

    @Test
    void timeoutCompletesWithZeroNotBeforeItsTime() throws Exception {
        try (Ring ring = open()) {
            long[] durations = {0, TimeUnit.MICROSECONDS.toNanos(100), TimeUnit.MILLISECONDS.toNanos(1),
                TimeUnit.MILLISECONDS.toNanos(20), TimeUnit.MILLISECONDS.toNanos(150), TimeUnit.MILLISECONDS.toNanos(1001)};
            for (long d : durations) {
                Completion t = new Completion();
                long[] firedAt = {0};
                int[] calls = {0};
                long start = System.nanoTime();
                ring.timeout(d, t, c -> {
                    firedAt[0] = System.nanoTime();
                    calls[0]++;
                });
                await(ring, () -> calls[0] > 0, "a timeout of " + d + " ns");
                ok(t);
                assertEquals(0, t.result(), "a timeout that expired completes with 0");
                assertEquals(1, calls[0]);
                assertTrue(firedAt[0] - start >= d, "a timeout of " + d + " ns fired after only " + (firedAt[0] - start) + " ns");
            }
        }
    }

    /**
     * 64 timeouts, 3 ms apart, submitted in shuffled order in one batch. Each is armed somewhere
     * between its own submission and the return of the {@code tick()} that hands the batch to
     * the backend (poll submits everything queued), so each expires in a known window; wherever one window ends before another begins, the
     * earlier one must complete first. Only those pairs are checked, so a slow machine weakens
     * the test but cannot fail it.
     */
    @Test
    void timeoutsCompleteInDeadlineOrder() throws Exception {
        final int count = 64;
        final long stepNanos = TimeUnit.MILLISECONDS.toNanos(3);
        final long baseNanos = TimeUnit.MILLISECONDS.toNanos(20);
        final long slackNanos = TimeUnit.MILLISECONDS.toNanos(1);
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < count; i++) order.add(i);
        Collections.shuffle(order, new Random(42));

        try (Ring ring = open()) {
            long[] submittedAt = new long[count];
            long[] durations = new long[count];
            int[] completionRank = new int[count];
            int[] completed = {0};
            for (int i : order) {
                durations[i] = baseNanos + i * stepNanos;
                submittedAt[i] = System.nanoTime();
                ring.timeout(durations[i], new Completion(), c -> {
                    ok(c);
                    completionRank[i] = completed[0]++;
                });
            }
            ring.tick();
            long armedBy = System.nanoTime();
            await(ring, () -> completed[0] == count, count + " timeouts");

            int checked = 0;
            for (int i = 0; i < count; i++) {
                long latestExpiry = armedBy + durations[i] + slackNanos;
                for (int j = 0; j < count; j++) {
                    long earliestExpiry = submittedAt[j] + durations[j];
                    if (latestExpiry >= earliestExpiry) continue;
                    checked++;
                    assertTrue(completionRank[i] < completionRank[j], "timeout of " + durations[i] + " ns completed after one of " + durations[j] + " ns");
                }
            }
            Assumptions.assumeTrue(checked > 0, "the machine was too slow to order any pair");
            System.out.printf("[%s] timeout order: %d of %d pairs had disjoint windows and were in order%n", backend, checked, count * (count - 1) / 2);
        }
    }
}
