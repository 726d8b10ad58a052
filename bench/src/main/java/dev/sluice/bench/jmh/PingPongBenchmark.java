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

    // b echoes what it receives; a marks the round trip done when the echo is back.
    final Handler bReceived = c -> ring.send(b, bufB, 0, c.result(), c, this::bSent);
    final Handler aSent = c -> ring.recv(a, bufA, ca, this::aReceived);

    void bSent(Completion c) {
        ring.recv(b, bufB, cb, bReceived);
    }

    void aReceived(Completion c) {
        if (!c.ok() || c.result() != MESSAGE_BYTES) throw new IllegalStateException("short or failed echo: " + c);
        done = true;
    }

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
