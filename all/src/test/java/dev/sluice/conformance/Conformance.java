package dev.sluice.conformance;

import dev.sluice.Backends;
import dev.sluice.Completion;
import dev.sluice.Errno;
import dev.sluice.Ring;
import dev.sluice.SluiceException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

/**
 * What every conformance test shares: the backends to run on, how long to wait, and the small
 * checks that turn a completion into a test failure with the operation named in it.
 */
final class Conformance {
    /** The longest any single wait in a test may take before the test fails (not a timing assertion: a hang guard). */
    static final long WAIT_NANOS = TimeUnit.SECONDS.toNanos(30);
    static final long WAIT_SECONDS = TimeUnit.NANOSECONDS.toSeconds(WAIT_NANOS);

    /** Set to run the suite on machines that lack a backend this OS normally has (CI images without io_uring). */
    static final String ALLOW_MISSING = "SLUICE_ALLOW_MISSING_BACKEND";

    private static final AtomicLong NAMES = new AtomicLong();

    private Conformance() {
    }

    /**
     * The argument source of every {@link RingTest}: each backend that can run here. An empty
     * list fails the run (JUnit refuses a parameterized class with no invocations), so CI can
     * never pass by testing nothing.
     */
    static Stream<String> backends() {
        List<String> names = Backends.available();
        if (names.isEmpty()) {
            throw new IllegalStateException("no Sluice backend can run here: " + Backends.list());
        }
        // A second surefire run (all/pom.xml) repeats the suite on io_uring only, with other options.
        String only = System.getProperty(ONLY_BACKENDS);
        if (only != null) {
            List<String> wanted = List.of(only.split(","));
            names = names.stream().filter(wanted::contains).toList();
            if (names.isEmpty()) throw new IllegalStateException(ONLY_BACKENDS + "=" + only + " names no available backend: " + Backends.list());
        }
        return names.stream();
    }

    /** System property: run the suite on these backends only (comma-separated). */
    static final String ONLY_BACKENDS = "sluice.conformance.backends";

    /** The backends this OS must have, unless {@value #ALLOW_MISSING} is set. */
    static List<String> requiredBackends() {
        String os = System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT);
        if (os.contains("linux")) return List.of("io_uring", "epoll");
        return List.of();
    }

    /** Runs the ring until {@code done}, failing the test after {@link #WAIT_NANOS}. */
    static void await(Ring ring, BooleanSupplier done, String what) throws SluiceException {
        if (!ring.runUntil(done, WAIT_NANOS)) {
            throw new AssertionError("timed out after " + WAIT_SECONDS + " s waiting for " + what + " on " + ring.backend().name());
        }
    }

    /** Fails unless the completion succeeded; returns it for chaining. */
    static Completion ok(Completion c) {
        if (!c.ok()) throw new AssertionError(c.describe() + " failed: " + c.exception().getMessage());
        return c;
    }

    /** Fails unless the completion failed with one of {@code expected}. */
    static Errno failed(Completion c, Errno... expected) {
        if (c.ok()) {
            throw new AssertionError(c.describe() + " succeeded with result " + c.result() + "; expected " + Arrays.toString(expected));
        }
        for (Errno e : expected) if (c.error() == e) return e;
        throw new AssertionError(c.describe() + " failed with " + c.error() + " [errno " + c.nativeErrno() + "]; expected " + Arrays.toString(expected));
    }

    /** A native segment holding a copy of {@code bytes}; freed by the GC once unreachable (never while an operation holds it). */
    static MemorySegment segment(byte[] bytes) {
        MemorySegment s = allocate(bytes.length);
        MemorySegment.copy(bytes, 0, s, ValueLayout.JAVA_BYTE, 0, bytes.length);
        return s;
    }

    /** A zeroed native segment of {@code bytes}. */
    static MemorySegment allocate(long bytes) {
        // An automatic arena per segment: the memory lives as long as anything (a pending
        // operation included) can reach the segment, so a failed test cannot free memory that
        // the kernel still owns.
        return Arena.ofAuto().allocate(bytes, 8);
    }

    static MemorySegment ascii(String s) {
        return segment(s.getBytes(StandardCharsets.US_ASCII));
    }

    /** The first {@code n} bytes of a segment as an array. */
    static byte[] bytes(MemorySegment s, long n) {
        return s.asSlice(0, n).toArray(ValueLayout.JAVA_BYTE);
    }

    /** A test body that may throw, for threads a test starts. */
    interface Body {
        void run() throws Exception;
    }

    /** Runs {@code body}, keeping its first failure in {@code failure} for the test thread to rethrow. */
    static Runnable guard(java.util.concurrent.atomic.AtomicReference<Throwable> failure, Body body) {
        return () -> {
            try {
                body.run();
            } catch (Throwable e) {
                failure.compareAndSet(null, e);
            }
        };
    }

    /** A name unique in this JVM and among concurrent runs, for abstract sockets and paths. */
    static String uniqueName(String prefix) {
        return prefix + "-" + ProcessHandle.current().pid() + "-" + NAMES.incrementAndGet() + "-" + Long.toHexString(System.nanoTime());
    }
}
