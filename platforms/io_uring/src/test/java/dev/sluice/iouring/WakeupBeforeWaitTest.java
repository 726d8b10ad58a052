package dev.sluice.iouring;

import static dev.sluice.bindings.linux.io_uring_h.IORING_SETUP_COOP_TASKRUN;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A wakeup whose CQE is already in the CQ when poll() starts must end that poll. On a ring
 * without DEFER_TASKRUN the kernel posts the eventfd read's CQE at the waker's next return to
 * user mode; when the owner itself signals, that is the return from its write(2), before poll().
 * poll() used to reap the wakeup at its top, count nothing and sleep in io_uring_enter for good:
 * a close requested from another thread then waited forever (seen once in session 2, rare because
 * there the CQE must land between the ring's last check and its reap, e.g. at a timer tick).
 */
class WakeupBeforeWaitTest {
    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void aWakeupPostedBeforePollEndsIt() throws Exception {
        IoUringProbe.Result probe = IoUringProbe.cached();
        assumeTrue(probe.available(), probe.reason());
        IoUringBackend b = DeferTaskrunSwitchTest.openWithoutDeferTaskrun();
        try {
            assumeTrue((b.setupFlags() & IORING_SETUP_COOP_TASKRUN) != 0, "kernel without COOP_TASKRUN: " + b.describeSetup());
            for (int round = 0; round < 100; round++) {
                b.poll(0); // the wakeup read is submitted and waits on the eventfd
                b.wakeup();
                b.poll(-1); // must return: nothing else will ever complete on this ring
            }
        } finally {
            b.close();
        }
    }
}
