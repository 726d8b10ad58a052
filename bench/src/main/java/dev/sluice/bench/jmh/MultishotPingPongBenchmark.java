package dev.sluice.bench.jmh;

import dev.sluice.BufferPool;
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
 * {@link PingPongBenchmark}'s round trip with the echoing side on one multishot receive into a
 * {@link BufferPool}: b's receive is armed once for the whole run, each arrival is sent back from
 * the pool buffer it landed in (kept until the send is done, then released). Compare with
 * {@code PingPongBenchmark.callbacks} in the same run; {@code -prof gc} must show no allocation.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED"})
public class MultishotPingPongBenchmark {
    static final int MESSAGE_BYTES = PingPongBenchmark.MESSAGE_BYTES;

    @Param({"io_uring", "epoll"})
    public String backend;

    Ring ring;
    Arena arena;
    BufferPool pool;
    UnixSocket a;
    UnixSocket b;
    MemorySegment ping;
    MemorySegment bufA;
    final Completion ca = new Completion();
    final Completion bRecv = new Completion();
    final Completion bSend = new Completion();
    int keptId = -1;
    boolean done;
    final BooleanSupplier isDone = () -> done;

    final Handler aReceived = c -> {
        if (!c.ok() || c.result() != MESSAGE_BYTES) throw new IllegalStateException("short or failed echo: " + c);
        done = true;
    };
    final Handler aSent = c -> ring.recv(a, bufA, ca, aReceived);
    final Handler bSent = c -> {
        pool.release(keptId);
        keptId = -1;
    };
    // Runs once per arrival; the last call (more() false) comes at tearDown with ECANCELED.
    final Handler bReceived = c -> {
        if (!c.more()) return;
        if (keptId >= 0) throw new IllegalStateException("a second message arrived before the echo of the first was sent");
        keptId = c.keepBuffer();
        ring.send(b, pool.buffer(keptId), 0, c.result(), bSend, bSent);
    };

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        ring = Ring.open(RingConfig.DEFAULT.withBackend(backend));
        arena = Arena.ofConfined();
        pool = ring.openBufferPool(16, 4096);
        UnixSocket[] pair = ring.socketpair(SocketType.STREAM);
        a = pair[0];
        b = pair[1];
        ping = arena.allocate(MESSAGE_BYTES);
        bufA = arena.allocate(MESSAGE_BYTES);
        ring.recvMultishot(b, pool, bRecv, bReceived);
    }

    @Benchmark
    public boolean multishot() throws Exception {
        done = false;
        ring.send(a, ping, ca, aSent);
        if (!ring.runUntil(isDone, PingPongBenchmark.LIMIT_NANOS)) throw new IllegalStateException("no echo within 10 s");
        return done;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        ring.close();
        arena.close();
    }
}
