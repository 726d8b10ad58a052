package dev.sluice.cli;

import dev.sluice.Join;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The arguments of {@code sluice proxy}: options first, then {@code [ADDR:]PORT HOST:PORT [BACKEND]}.
 * Sizes take a {@code k} or {@code m} suffix (KiB, MiB); times are seconds, fractions allowed.
 * Bad input throws {@link IllegalArgumentException} with a message naming the option.
 */
record ProxyArgs(String listen, String target, String backend, int rings, Join.Options options, long connectTimeoutNanos) {
    static final String USAGE = """
              proxy [OPTIONS] [ADDR:]PORT HOST:PORT [BACKEND]
                                      TCP proxy on 127.0.0.1:PORT (or ADDR:PORT) to HOST:PORT built on join
                  --rings N             rings (threads), each with its own listener (SO_REUSEPORT); default one per core
                  --copy                copy through a buffer per direction instead of splicing
                  --pipe-bytes SIZE     pipe per direction when splicing (default 256k)
                  --buffer-bytes SIZE   buffer per direction when copying (default 64k)
                  --idle-timeout SECS   close both sides after this long without a byte moving (default never)
                  --connect-timeout SECS  give up connecting to the target after this long (default 10)""";

    static final long CONNECT_TIMEOUT_DEFAULT_NANOS = TimeUnit.SECONDS.toNanos(10);

    static ProxyArgs parse(String[] args, int defaultRings) {
        Join.Options options = Join.Options.DEFAULT;
        int rings = defaultRings;
        long connectTimeout = CONNECT_TIMEOUT_DEFAULT_NANOS;
        List<String> positional = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("--")) {
                positional.add(a);
                continue;
            }
            if (a.equals("--copy")) {
                options = options.withZeroCopy(false);
                continue;
            }
            if (i + 1 >= args.length) throw new IllegalArgumentException(a + " needs a value");
            String v = args[++i];
            switch (a) {
                case "--rings" -> rings = (int) number(a, v, 1, 1024);
                case "--pipe-bytes" -> options = options.withPipeBytes((int) size(a, v, 4096, 64L << 20));
                case "--buffer-bytes" -> options = options.withBufferBytes((int) size(a, v, 1, 64L << 20));
                case "--idle-timeout" -> options = options.withIdleTimeoutNanos(seconds(a, v));
                case "--connect-timeout" -> {
                    connectTimeout = seconds(a, v);
                    if (connectTimeout == 0) throw new IllegalArgumentException("--connect-timeout must be above 0, got " + v);
                }
                default -> throw new IllegalArgumentException("unknown option " + a);
            }
        }
        if (positional.size() < 2 || positional.size() > 3) {
            throw new IllegalArgumentException("expected [ADDR:]PORT HOST:PORT [BACKEND], got " + positional);
        }
        return new ProxyArgs(positional.get(0), positional.get(1), positional.size() > 2 ? positional.get(2) : null, rings, options,
                connectTimeout);
    }

    private static long number(String option, String v, long min, long max) {
        long n;
        try {
            n = Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " takes a whole number, got " + v);
        }
        if (n < min || n > max) throw new IllegalArgumentException(option + " must be " + min + " to " + max + ", got " + v);
        return n;
    }

    /** Bytes, with an optional k (KiB) or m (MiB) suffix. */
    private static long size(String option, String v, long min, long max) {
        String s = v.toLowerCase(java.util.Locale.ROOT);
        long unit = 1;
        if (s.endsWith("k")) unit = 1024;
        else if (s.endsWith("m")) unit = 1024 * 1024;
        if (unit != 1) s = s.substring(0, s.length() - 1);
        long n;
        try {
            n = Math.multiplyExact(Long.parseLong(s), unit);
        } catch (NumberFormatException | ArithmeticException e) {
            throw new IllegalArgumentException(option + " takes a size in bytes (suffix k or m allowed), got " + v);
        }
        if (n < min || n > max) throw new IllegalArgumentException(option + " must be " + min + " to " + max + " bytes, got " + v);
        return n;
    }

    /** Seconds (fractions allowed) in nanoseconds; 0 allowed, for "never" where that applies. */
    private static long seconds(String option, String v) {
        double s;
        try {
            s = Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " takes seconds, got " + v);
        }
        if (!(s >= 0) || s > 1e6) throw new IllegalArgumentException(option + " must be 0 to 1000000 seconds, got " + v);
        return (long) (s * 1e9);
    }
}
