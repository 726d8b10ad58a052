package dev.sluice.iouring;

import static dev.sluice.bindings.linux.io_uring_h.IORING_SETUP_COOP_TASKRUN;
import static dev.sluice.bindings.linux.io_uring_h.IORING_SETUP_DEFER_TASKRUN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.sluice.RingConfig;
import org.junit.jupiter.api.Test;

/** -Dsluice.iouring.deferTaskrun=false really gives a ring without DEFER_TASKRUN, and it works. */
class DeferTaskrunSwitchTest {
    /** A small ring opened with -Dsluice.iouring.deferTaskrun=false (the property restored after), for tests of the COOP_TASKRUN ring. */
    static IoUringBackend openWithoutDeferTaskrun() throws Exception {
        String old = System.getProperty(IoUring.DEFER_TASKRUN_PROPERTY);
        System.setProperty(IoUring.DEFER_TASKRUN_PROPERTY, "false");
        try {
            return IoUringBackend.open(new RingConfig(8, 16, "io_uring"));
        } finally {
            if (old == null) System.clearProperty(IoUring.DEFER_TASKRUN_PROPERTY);
            else System.setProperty(IoUring.DEFER_TASKRUN_PROPERTY, old);
        }
    }

    @Test
    void switchOffTakesTheCoopTaskrunSet() throws Exception {
        IoUringProbe.Result probe = IoUringProbe.cached();
        assumeTrue(probe.available(), probe.reason());
        IoUringBackend b = openWithoutDeferTaskrun();
        try {
            assertEquals(0, b.setupFlags() & IORING_SETUP_DEFER_TASKRUN, b.describeSetup());
            assumeTrue((b.setupFlags() & IORING_SETUP_COOP_TASKRUN) != 0, "kernel without COOP_TASKRUN: " + b.describeSetup());
            TestOp nop = new TestOp(dev.sluice.Op.NOP, op -> ((TestOp) op).completions++);
            b.submit(nop.arm());
            long end = System.nanoTime() + 10_000_000_000L;
            while (nop.completions == 0 && System.nanoTime() < end) b.poll(10_000_000L);
            assertEquals(1, nop.completions, "the NOP completed once");
        } finally {
            b.close();
        }
    }
}
