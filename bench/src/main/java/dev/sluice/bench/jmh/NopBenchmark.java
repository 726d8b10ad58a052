package dev.sluice.bench.jmh;

import dev.sluice.Completion;
import dev.sluice.Handler;
import dev.sluice.Ring;
import dev.sluice.RingConfig;
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

/** The cost of submitting and reaping one NOP, and of a batch of 32. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED"})
public class NopBenchmark {
    @Param({"io_uring", "epoll"})
    public String backend;

    Ring ring;
    final Completion[] completions = new Completion[32];
    int outstanding;
    final Handler counted = c -> outstanding--;
    final BooleanSupplier allDone = () -> outstanding == 0;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        ring = Ring.open(RingConfig.DEFAULT.withBackend(backend));
        for (int i = 0; i < completions.length; i++) completions[i] = new Completion();
    }

    @Benchmark
    public int one() throws Exception {
        outstanding = 1;
        ring.nop(completions[0], counted);
        ring.runUntil(allDone, TimeUnit.SECONDS.toNanos(10));
        return outstanding;
    }

    @Benchmark
    @org.openjdk.jmh.annotations.OperationsPerInvocation(32)
    public int batchOf32() throws Exception {
        outstanding = completions.length;
        for (Completion c : completions) ring.nop(c, counted);
        ring.runUntil(allDone, TimeUnit.SECONDS.toNanos(10));
        return outstanding;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        ring.close();
    }
}
