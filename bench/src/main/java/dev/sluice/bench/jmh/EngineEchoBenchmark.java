package dev.sluice.bench.jmh;

import dev.sluice.Completion;
import dev.sluice.Family;
import dev.sluice.Handler;
import dev.sluice.Protocol;
import dev.sluice.Ring;
import dev.sluice.RingConfig;
import dev.sluice.Socket;
import dev.sluice.SocketType;
import dev.sluice.bench.sim.SimulatedReadinessProvider;
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
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The readiness engine's and the ring's own cost per echoed message, without the kernel: the echo
 * server's handler (as in {@code sluice echo}) on {@code connections} connections of the
 * simulated kernel ({@link SimulatedReadinessProvider}), driven by {@link Ring#runUntil} as the
 * echo server's loop is. Each message is one recv and one send completion; the score is ns per
 * message, the user-space part of what {@code bench/compare.sh} measures as server user µs/msg
 * for {@code sluice-epoll} (minus the downcalls). Must allocate nothing ({@code -prof gc}).
 * {@code connections=4000} models the server's cache misses (see {@link #connections}).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 4, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "-Xms512m", "-Xmx512m"})
public class EngineEchoBenchmark {
    static final int MESSAGES_PER_INVOCATION = 10_000;

    /**
     * 50 connections: everything the loop touches stays in L1/L2, as no kernel runs between the
     * turns. 4000: the per-connection objects (about 2.5 MB of them) no longer fit this machine's
     * L2 (1 MiB per core), so each connection's data comes from L3 when its turn comes, as it does
     * in the real server, where each message's kernel TCP work (~6 µs) evicts the loop's data. The
     * difference between the two is the cost of the cache lines a message touches.
     */
    @Param({"50", "4000"})
    public int connections;

    Ring ring;
    long messages;
    long target;
    final BooleanSupplier reached = () -> messages >= target;

    /** The echo server's handler: receive, send it all back, receive again. */
    final class Echo implements Handler {
        final Socket socket;
        final Arena arena = Arena.ofConfined();
        final Completion completion = new Completion();
        final MemorySegment buffer = arena.allocate(2048, 64);
        int pending;
        int sent;

        Echo(Socket socket) {
            this.socket = socket;
        }

        @Override
        public void completed(Completion c) {
            if (!c.ok() || c.result() == 0) {
                if (c.error() != dev.sluice.Errno.ECANCELED) throw new IllegalStateException("echo failed: " + c);
                return;
            }
            switch (c.op()) {
                case RECV -> {
                    pending = c.result();
                    sent = 0;
                    messages++;
                    ring.send(socket, buffer, 0, pending, c, this);
                }
                case SEND -> {
                    sent += c.result();
                    if (sent < pending) {
                        ring.send(socket, buffer, sent, pending - sent, c, this);
                        return;
                    }
                    ring.recv(socket, buffer, c, this);
                }
                default -> throw new AssertionError("unexpected " + c);
            }
        }
    }

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        ring = Ring.open(RingConfig.DEFAULT.withBackend(SimulatedReadinessProvider.NAME));
        for (int i = 0; i < connections; i++) {
            Socket s = ring.adopt(100 + i, Family.INET, SocketType.STREAM, Protocol.TCP);
            Echo e = new Echo(s);
            ring.recv(s, e.buffer, e.completion, e);
        }
    }

    @Benchmark
    @OperationsPerInvocation(MESSAGES_PER_INVOCATION)
    public long echo() throws Exception {
        target = messages + MESSAGES_PER_INVOCATION;
        if (!ring.runUntil(reached, TimeUnit.SECONDS.toNanos(10))) throw new IllegalStateException("stalled at " + messages);
        return messages;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        ring.close();
    }
}
