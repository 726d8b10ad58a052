package dev.sluice.bench.jmh;

import dev.sluice.Completion;
import dev.sluice.Handler;
import dev.sluice.Ring;
import dev.sluice.RingConfig;
import dev.sluice.SocketType;
import dev.sluice.UnixSocket;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
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
 * The blocking form: a virtual thread sends 64 bytes and waits for the echo with plain blocking
 * calls while a ring on its own thread does the I/O and echoes in callbacks.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED"})
public class BlockingPingPongBenchmark {
    @Param({"io_uring", "epoll"})
    public String backend;

    Ring ring;
    Arena arena;
    UnixSocket a;
    UnixSocket b;
    MemorySegment ping;
    MemorySegment bufA;
    MemorySegment bufB;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        ring = Ring.start(RingConfig.DEFAULT.withBackend(backend));
        arena = Arena.ofShared();
        UnixSocket[] pair = ring.socketpair(SocketType.STREAM);
        a = pair[0];
        b = pair[1];
        ping = arena.allocate(PingPongBenchmark.MESSAGE_BYTES);
        bufA = arena.allocate(PingPongBenchmark.MESSAGE_BYTES);
        bufB = arena.allocate(PingPongBenchmark.MESSAGE_BYTES);
        Completion cb = new Completion();
        // The echo side's handlers are made once, so what -prof gc reports is the blocking path's.
        Handler[] echo = new Handler[2];
        echo[1] = s -> ring.recv(b, bufB, s, echo[0]);
        echo[0] = c -> {
            if (!c.ok() || c.result() == 0) return;
            ring.send(b, bufB, 0, c.result(), c, echo[1]);
        };
        ring.recv(b, bufB, cb, echo[0]);
    }

    @Benchmark
    public int virtualThread() throws Exception {
        CompletableFuture<Integer> r = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try {
                a.sendAll(ping);
                r.complete(a.recv(bufA));
            } catch (Throwable e) {
                r.completeExceptionally(e);
            }
        });
        return r.get(10, TimeUnit.SECONDS);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        ring.close();
        arena.close();
    }
}
