package dev.sluice.iouring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.sluice.Errno;
import dev.sluice.Op;
import dev.sluice.Ring;
import dev.sluice.RingConfig;
import dev.sluice.spi.Operation;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The backend without a Ring: in-flight limits, SQ full, CQ overflow, exactly-once completion. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class IoUringBackendTest {
    private final List<Operation> done = new ArrayList<>();
    private final Operation.Sink sink = op -> {
        ((TestOp) op).completions++;
        done.add(op);
    };

    @BeforeEach
    void available() {
        IoUringProbe.Result probe = IoUringProbe.cached();
        assumeTrue(probe.available(), probe.reason());
    }

    private void pollUntil(IoUringBackend b, int count) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (done.size() < count) {
            if (System.nanoTime() > end) throw new AssertionError("only " + done.size() + " of " + count + " completed; " + b);
            b.poll(10_000_000L);
        }
    }

    @Test
    void cqOverflowIsDrainedAndEveryOpCompletesOnce() throws Exception {
        // SQ 4, CQ 4, 256 operations: the kernel must park most CQEs on its overflow list.
        IoUringBackend b = IoUringBackend.open(new RingConfig(4, 256, "io_uring"), 4);
        try {
            assertEquals(4, b.cqEntries(), b.describeSetup());
            List<TestOp> ops = new ArrayList<>();
            for (int i = 0; i < 256; i++) {
                TestOp op = switch (i % 4) {
                    case 0, 1 -> new TestOp(Op.NOP, sink);
                    case 2 -> new TestOp(Op.TIMEOUT, sink).timeout(0);
                    default -> new TestOp(Op.NOP, sink).deadline(TimeUnit.SECONDS.toNanos(10));
                };
                ops.add(op);
                b.submit(op.arm());
            }
            assertTrue(done.isEmpty(), "completions must not be delivered inside submit()");
            assertTrue(b.cqOverflowed(), "the CQ should have overflowed: " + b);
            pollUntil(b, ops.size());
            for (TestOp op : ops) {
                assertEquals(1, op.completions, op.op() + " completed " + op.completions + " times");
                assertNull(op.error(), op.op() + " failed with " + op.error());
            }
            assertEquals(0, b.active());
            assertTrue(!b.cqOverflowed());
        } finally {
            b.close();
        }
    }

    @Test
    void slotsAreReusedAcrossManyRounds() throws Exception {
        IoUringBackend b = IoUringBackend.open(new RingConfig(2, 8, "io_uring"));
        try {
            TestOp[] ops = new TestOp[8];
            for (int i = 0; i < ops.length; i++) ops[i] = new TestOp(i % 2 == 0 ? Op.NOP : Op.TIMEOUT, sink);
            for (int round = 0; round < 500; round++) {
                done.clear();
                for (TestOp op : ops) {
                    op.idle();
                    b.submit(op.arm());
                }
                pollUntil(b, ops.length);
                assertEquals(0, b.active());
            }
            for (TestOp op : ops) assertEquals(500, op.completions);
        } finally {
            b.close();
        }
    }

    @Test
    void cancelOfQueuedAndSubmittedTimeouts() throws Exception {
        // SQ of 1: the second timeout waits in the backlog, so both cancel paths run.
        IoUringBackend b = IoUringBackend.open(new RingConfig(1, 8, "io_uring"));
        try {
            TestOp t1 = new TestOp(Op.TIMEOUT, sink).timeout(TimeUnit.SECONDS.toNanos(30));
            TestOp t2 = new TestOp(Op.TIMEOUT, sink).timeout(TimeUnit.SECONDS.toNanos(30));
            b.submit(t1.arm());
            b.submit(t2.arm());
            TestOp c1 = new TestOp(Op.CANCEL, sink).target(t1);
            TestOp c2 = new TestOp(Op.CANCEL, sink).target(t2);
            b.submit(c1.arm());
            b.submit(c2.arm());
            pollUntil(b, 4);
            assertEquals(Errno.ECANCELED, t1.error());
            assertEquals(Errno.ECANCELED, t2.error());
            assertNull(c1.error());
            assertNull(c2.error());
            assertEquals(0, b.active());
        } finally {
            b.close();
        }
    }

    @Test
    void closeCompletesQueuedAndSubmittedOpsOnce() throws Exception {
        IoUringBackend b = IoUringBackend.open(new RingConfig(2, 16, "io_uring"));
        List<TestOp> ops = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            TestOp op = new TestOp(Op.TIMEOUT, sink).timeout(TimeUnit.SECONDS.toNanos(60));
            if (i % 3 == 0) op.deadline(TimeUnit.SECONDS.toNanos(60));
            ops.add(op);
            b.submit(op.arm());
        }
        b.poll(0);
        b.close();
        for (TestOp op : ops) {
            assertEquals(1, op.completions);
            assertEquals(Errno.ECANCELED, op.error());
        }
        b.close();
    }

    @Test
    void staleCqeIsCaught() throws Exception {
        IoUringBackend b = IoUringBackend.open(new RingConfig(4, 8, "io_uring"));
        TestOp nop = new TestOp(Op.NOP, sink);
        b.submit(nop.arm());
        pollUntil(b, 1);
        // The NOP's slot is free again; a CQE naming its old generation must not complete anything.
        b.submitRawNop(UserData.pack(0, 1, Op.NOP.ordinal()));
        AssertionError e = org.junit.jupiter.api.Assertions.assertThrows(AssertionError.class, () -> b.poll(1_000_000_000L));
        assertTrue(e.getMessage().contains("stale CQE nop slot 0 gen 1"), e.getMessage());
        // close() meets the same CQE again, but still releases the ring, the eventfd and the memory.
        org.junit.jupiter.api.Assertions.assertThrows(AssertionError.class, b::close);
        assertEquals(1, nop.completions);
    }

    @Test
    void inflightLimitThroughTheRing() throws Exception {
        try (Ring ring = Ring.open(new RingConfig(4, 8, "io_uring"))) {
            int[] handled = new int[1];
            List<dev.sluice.Completion> cs = new ArrayList<>();
            for (int i = 0; i < 300; i++) {
                dev.sluice.Completion c = new dev.sluice.Completion();
                cs.add(c);
                if (i % 2 == 0) ring.nop(c, x -> handled[0]++);
                else ring.timeout(100_000L, c, x -> handled[0]++);
            }
            assertTrue(ring.runUntil(() -> handled[0] == 300, TimeUnit.SECONDS.toNanos(20)), "handled " + handled[0]);
            for (dev.sluice.Completion c : cs) assertTrue(c.ok(), c.toString());
        }
    }
}
