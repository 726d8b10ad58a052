package dev.sluice.iouring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.sluice.Op;
import dev.sluice.Ring;
import dev.sluice.RingConfig;
import dev.sluice.SocketType;
import dev.sluice.UnixSocket;
import dev.sluice.spi.Operation;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.management.ManagementFactory;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Submit, poll and complete of NOP, TIMEOUT, SEND and RECV allocate nothing in steady state
 * (slots, SQE/CQE views and timespecs are set up at open). Measured with the per-thread
 * allocation counter after a warm-up that lets the JIT compile the path; the bench module's JMH
 * {@code -prof gc} run is the precise check.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class HotPathAllocationTest {
    private static final int ROUNDS = 20_000;

    private int completions;
    private final Operation.Sink sink = op -> {
        completions++;
        ((TestOp) op).completions++;
    };

    private static long allocatedBytes() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }

    private void rounds(IoUringBackend b, TestOp[] ops, int n) throws Exception {
        for (int r = 0; r < n; r++) {
            int target = completions + ops.length;
            for (TestOp op : ops) {
                op.idle();
                b.submit(op.arm());
            }
            while (completions < target) b.poll(1_000_000_000L);
        }
    }

    @Test
    void nopTimeoutSendRecvAllocateNothing() throws Exception {
        hotPath(true);
    }

    /** The same with the registered file table off (requests name the sockets by fd). */
    @Test
    void withPlainFdsTooAllocateNothing() throws Exception {
        hotPath(false);
    }

    private void hotPath(boolean registeredFiles) throws Exception {
        System.setProperty(IoUringBackend.REGISTERED_FILES_PROPERTY, Boolean.toString(registeredFiles));
        try {
            hotPathWith(registeredFiles);
        } finally {
            System.clearProperty(IoUringBackend.REGISTERED_FILES_PROPERTY);
        }
    }

    private void hotPathWith(boolean registeredFiles) throws Exception {
        IoUringProbe.Result probe = IoUringProbe.cached();
        assumeTrue(probe.available(), probe.reason());
        assumeTrue(ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean, "no per-thread allocation counter");
        try (Ring sockets = Ring.open(RingConfig.DEFAULT.withBackend("io_uring")); Arena arena = Arena.ofConfined()) {
            UnixSocket[] pair = sockets.socketpair(SocketType.STREAM);
            MemorySegment out = arena.allocate(64);
            MemorySegment in = arena.allocate(64);
            IoUringBackend b = IoUringBackend.open(new RingConfig(8, 16, "io_uring"));
            try {
                assertEquals(registeredFiles, b.files() != null, b.describeSetup());
                TestOp[] ops = {
                    new TestOp(Op.NOP, sink),
                    new TestOp(Op.TIMEOUT, sink).timeout(0),
                    new TestOp(Op.SEND, sink).on(pair[0], out),
                    new TestOp(Op.RECV, sink).on(pair[1], in),
                };
                rounds(b, ops, ROUNDS);
                long before = allocatedBytes();
                rounds(b, ops, ROUNDS);
                long bytes = allocatedBytes() - before;
                double perOp = (double) bytes / (ROUNDS * ops.length);
                System.out.printf("io_uring hot path%s: %d bytes over %d operations (%.3f bytes/op)%n",
                        registeredFiles ? " (registered files)" : "", bytes, ROUNDS * ops.length, perOp);
                if (registeredFiles) assertTrue(b.files().registered((int) pair[0].handle()), "the send's socket is in the table");
                for (TestOp op : ops) assertEquals(2 * ROUNDS, op.completions);
                // A few hundred bytes of slack for JIT/deoptimisation bookkeeping charged to this thread.
                assertTrue(perOp < 0.1, "hot path allocates " + perOp + " bytes per operation (" + bytes + " bytes)");
            } finally {
                b.close();
            }
        }
    }
}
