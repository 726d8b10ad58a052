package dev.sluice.bench.jmh;

import dev.sluice.Completion;
import dev.sluice.Handler;
import dev.sluice.Ring;
import dev.sluice.RingConfig;
import dev.sluice.SocketType;
import dev.sluice.UnixSocket;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One 64-byte round trip over a Unix socketpair on one ring: a sends, b receives and sends back,
 * a receives. The callback form must allocate nothing per round trip ({@code -prof gc}).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED"})
public class PingPongBenchmark {
    static final int MESSAGE_BYTES = 64;
    static final long LIMIT_NANOS = TimeUnit.SECONDS.toNanos(10);

    @Param({"io_uring", "epoll"})
    public String backend;

    Ring ring;
    Arena arena;
    UnixSocket a;
    UnixSocket b;
    MemorySegment ping;
    MemorySegment bufB;
    MemorySegment bufA;
    final Completion ca = new Completion();
    final Completion cb = new Completion();
    boolean done;
    final BooleanSupplier isDone = () -> done;

    // b echoes what it receives; a marks the round trip done when the echo is back. Every handler
    // is created once, here: a method reference or capturing lambda written at the call site
    // (ring.send(..., this::bSent)) would allocate a new object per call and show up in -prof gc
    // as the benchmark's own garbage, not the library's.
    final Handler aReceived = c -> {
        if (!c.ok() || c.result() != MESSAGE_BYTES) throw new IllegalStateException("short or failed echo: " + c);
        done = true;
    };
    final Handler aSent = c -> ring.recv(a, bufA, ca, aReceived);
    final Handler bSent = c -> {
        if (c.ok()) ring.recv(b, bufB, cb, this.bReceived);
    };
    // At tearDown the ring cancels b's pending recv (ECANCELED): nothing to echo then.
    final Handler bReceived = c -> {
        if (c.ok() && c.result() > 0) ring.send(b, bufB, 0, c.result(), c, bSent);
    };

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        ring = Ring.open(RingConfig.DEFAULT.withBackend(backend));
        arena = Arena.ofConfined();
        UnixSocket[] pair = ring.socketpair(SocketType.STREAM);
        a = pair[0];
        b = pair[1];
        ping = arena.allocate(MESSAGE_BYTES);
        bufB = arena.allocate(MESSAGE_BYTES);
        bufA = arena.allocate(MESSAGE_BYTES);
        ring.recv(b, bufB, cb, bReceived);
    }

    @Benchmark
    public boolean callbacks() throws Exception {
        done = false;
        ring.send(a, ping, ca, aSent);
        if (!ring.runUntil(isDone, LIMIT_NANOS)) throw new IllegalStateException("no echo within 10 s");
        return done;
    }

    @Benchmark
    public int futures() throws Exception {
        var f = ring.send(a, ping).thenCompose(n -> ring.recv(a, bufA));
        ring.runUntil(f::isDone, LIMIT_NANOS);
        return f.join();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        ring.close();
        arena.close();
    }
}
