package dev.sluice;

import java.util.function.LongConsumer;

/**
 * Seed loops for fuzz tests. {@code -Dsluice.fuzz.seed=N} replays one seed; {@code
 * -Dsluice.fuzz.seeds=N} changes how many run. A failure names its seed and how to replay it.
 */
final class Fuzz {
    private Fuzz() {
    }

    /** Runs {@code body} for {@code defaultCount} seeds from {@code base} (or the one given on the command line). */
    static void seeds(String name, long base, int defaultCount, LongConsumer body) {
        String one = System.getProperty("sluice.fuzz.seed");
        int count = Integer.getInteger("sluice.fuzz.seeds", defaultCount);
        long first = one != null ? Long.parseLong(one) : base;
        int n = one != null ? 1 : count;
        for (long seed = first; seed < first + n; seed++) {
            try {
                body.accept(seed);
            } catch (Throwable e) {
                AssertionError failure = new AssertionError(name + " failed at seed " + seed
                        + " (replay: -Dsluice.fuzz.seed=" + seed + "): " + e, e);
                throw failure;
            }
        }
    }
}
