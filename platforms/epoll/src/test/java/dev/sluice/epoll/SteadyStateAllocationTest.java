package dev.sluice.epoll;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.Completion;
import dev.sluice.Handler;
import dev.sluice.Ring;
import dev.sluice.RingConfig;
import dev.sluice.SocketType;
import dev.sluice.UnixSocket;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.management.ManagementFactory;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Ping-pong over a socketpair with preallocated completions, buffers and handlers, driven by
 * {@link Ring#tick()}: after warm-up (so the JIT has compiled and scalar-replaced what it can),
 * the ring thread must allocate (almost) nothing per round trip. Measured with
 * {@code com.sun.management.ThreadMXBean#getThreadAllocatedBytes}, which counts TLAB and
 * outside-TLAB allocation of one thread; JIT work happens on compiler threads and is not counted.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SteadyStateAllocationTest {
    private static final int MESSAGE_BYTES = 64;

    /** One side of the ping-pong: recv a message, send it back, recv again. */
    private static final class Side implements Handler {
        final Ring ring;
        final UnixSocket socket;
        final MemorySegment buffer;
        final Completion recv = new Completion();
        final Completion send = new Completion();
        final Handler sent = c -> { };
        long roundTrips;
        boolean failed;

        Side(Ring ring, UnixSocket socket, MemorySegment buffer) {
            this.ring = ring;
            this.socket = socket;
            this.buffer = buffer;
        }

        void start() {
            ring.recv(socket, buffer, recv, this);
        }

        @Override
        public void completed(Completion c) {
            if (!c.ok() || c.result() != MESSAGE_BYTES) {
                failed = true;
                return;
            }
            roundTrips++;
            if (send.isPending()) {
                failed = true;
                return;
            }
            ring.send(socket, buffer, send, sent);
            ring.recv(socket, buffer, recv, this);
        }
    }

    @Test
    void pingPongAllocatesNothingPerRoundTrip() throws Exception {
        var bean = ManagementFactory.getThreadMXBean();
        Assumptions.assumeTrue(bean instanceof com.sun.management.ThreadMXBean, "needs com.sun.management.ThreadMXBean");
        var threads = (com.sun.management.ThreadMXBean) bean;
        Assumptions.assumeTrue(threads.isThreadAllocatedMemorySupported(), "thread allocation accounting unsupported");
        threads.setThreadAllocatedMemoryEnabled(true);
        long self = Thread.currentThread().threadId();
        try (Arena arena = Arena.ofConfined(); Ring ring = Ring.open(RingConfig.DEFAULT.withBackend("epoll"))) {
            UnixSocket[] pair = ring.socketpair(SocketType.STREAM);
            Side a = new Side(ring, pair[0], arena.allocate(MESSAGE_BYTES));
            Side b = new Side(ring, pair[1], arena.allocate(MESSAGE_BYTES));
            a.start();
            b.start();
            ring.send(pair[0], a.buffer, a.send, a.sent);
            run(ring, a, b, 200_000);
            long before = threads.getThreadAllocatedBytes(self);
            long start = a.roundTrips;
            long t0 = System.nanoTime();
            run(ring, a, b, 100_000);
            long elapsed = System.nanoTime() - t0;
            long allocated = threads.getThreadAllocatedBytes(self) - before;
            long trips = a.roundTrips - start;
            System.out.printf("epoll ping-pong: %d round trips, %d bytes allocated (%.3f B/round trip), %.1f us/round trip%n",
                    trips, allocated, (double) allocated / trips, elapsed / 1000.0 / trips);
            // A few hundred bytes of slack for one-off events (a deoptimization, a lazily grown JDK table).
            assertTrue(allocated < 4096, "steady state allocated " + allocated + " bytes over " + trips + " round trips");
        }
    }

    private static void run(Ring ring, Side a, Side b, long trips) throws Exception {
        long target = a.roundTrips + trips;
        while (a.roundTrips < target) {
            ring.tick();
            if (a.failed || b.failed) throw new AssertionError("ping-pong failed: " + a.recv + " " + b.recv);
        }
    }
}
