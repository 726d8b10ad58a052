package dev.sluice.iouring;

import static dev.sluice.bindings.linux.errno_h.ENOMEM;
import static dev.sluice.bindings.linux.errno_h.ENOSYS;
import static dev.sluice.bindings.linux.errno_h.EPERM;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.sluice.RingConfig;
import dev.sluice.spi.BackendProvider;
import java.util.ServiceLoader;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class IoUringProbeTest {
    @Test
    void enosysNamesSeccompAndTheFix() {
        String m = IoUringProbe.explainSetupError(ENOSYS, "0", null);
        assertTrue(m.startsWith("ENOSYS [errno 38]"), m);
        assertTrue(m.contains("seccomp") && m.contains("Docker") && m.contains("epoll"), m);
    }

    @Test
    void epermSaysTheSysctlValueAndTheFix() {
        String two = IoUringProbe.explainSetupError(EPERM, "2", "-1");
        assertTrue(two.contains("kernel.io_uring_disabled=2") && two.contains("sysctl -w kernel.io_uring_disabled=0"), two);
        String one = IoUringProbe.explainSetupError(EPERM, "1", "1000");
        assertTrue(one.contains("kernel.io_uring_disabled=1") && one.contains("kernel.io_uring_group (1000)"), one);
        String zero = IoUringProbe.explainSetupError(EPERM, "0", null);
        assertTrue(zero.contains("kernel.io_uring_disabled is 0") && zero.contains("seccomp"), zero);
        String absent = IoUringProbe.explainSetupError(EPERM, null, null);
        assertTrue(absent.contains("absent"), absent);
    }

    @Test
    void enomemNamesMemlock() {
        String m = IoUringProbe.explainSetupError(ENOMEM, null, null);
        assertTrue(m.contains("RLIMIT_MEMLOCK") && m.contains("ulimit -l"), m);
    }

    @Test
    void missingOpcodesAreNamed() {
        java.util.BitSet ops = new java.util.BitSet();
        for (int op = 0; op < 64; op++) ops.set(op);
        assertEquals(null, IoUringProbe.missingOpcodes(ops, "6.1"));
        ops.clear(dev.sluice.bindings.linux.io_uring_h.IORING_OP_SEND);
        ops.clear(dev.sluice.bindings.linux.io_uring_h.IORING_OP_LINK_TIMEOUT);
        String m = IoUringProbe.missingOpcodes(ops, "5.4.0");
        assertTrue(m.contains("IORING_OP_LINK_TIMEOUT, IORING_OP_SEND") && m.contains("5.4.0") && m.contains("epoll"), m);
    }

    @Test
    void providerIsRegisteredAndProbes() {
        BackendProvider found = null;
        for (BackendProvider p : ServiceLoader.load(BackendProvider.class)) if (p.name().equals("io_uring")) found = p;
        assertTrue(found != null, "io_uring provider not registered in META-INF/services");
        assertEquals(100, found.priority());
        IoUringProbe.Result r = IoUringProbe.cached();
        assertEquals(r.available(), found.probe().available());
        assertTrue(r.reason().contains(r.kernel()), r.reason());
    }

    private static int[] kernelVersion(String release) {
        String[] p = release.split("[.-]");
        return new int[] {Integer.parseInt(p[0]), Integer.parseInt(p[1])};
    }

    @Test
    void ownerThreadGetsDeferTaskrunOnLinux61AndNewer() throws Exception {
        IoUringProbe.Result r = IoUringProbe.cached();
        assumeTrue(r.available(), r.reason());
        int[] v = kernelVersion(r.kernel());
        IoUringBackend b = IoUringBackend.open(RingConfig.DEFAULT);
        try {
            String setup = b.describeSetup();
            System.out.println("platform thread: " + setup);
            if (v[0] > 6 || v[0] == 6 && v[1] >= 1) {
                assertTrue(setup.contains("SINGLE_ISSUER") && setup.contains("DEFER_TASKRUN") && setup.contains("SUBMIT_ALL"), setup);
                assertTrue(b.capabilities().feature(dev.sluice.Feature.DEFER_TASKRUN));
            }
            if (v[0] > 5 || v[0] == 5 && v[1] >= 19) assertTrue(setup.contains("cancel-by-fd"), setup);
            // 2 × 4096 in flight + internal, rounded up to a power of two.
            assertEquals(16384, b.cqEntries());
        } finally {
            b.close();
        }
    }

    @Test
    void virtualThreadOwnerGetsARingWithoutSingleIssuer() throws Exception {
        IoUringProbe.Result r = IoUringProbe.cached();
        assumeTrue(r.available(), r.reason());
        AtomicReference<Object> out = new AtomicReference<>();
        Thread t = Thread.ofVirtual().start(() -> {
            try {
                IoUringBackend b = IoUringBackend.open(RingConfig.DEFAULT);
                try {
                    int[] done = new int[1];
                    TestOp op = new TestOp(dev.sluice.Op.NOP, x -> done[0]++);
                    b.submit(op.arm());
                    while (done[0] == 0) b.poll(-1);
                    out.set(b.describeSetup());
                } finally {
                    b.close();
                }
            } catch (Throwable e) {
                out.set(e);
            }
        });
        t.join();
        if (out.get() instanceof Throwable e) throw new AssertionError(e);
        String setup = (String) out.get();
        System.out.println("virtual thread: " + setup);
        assertFalse(setup.contains("SINGLE_ISSUER"), setup);
        assertFalse(setup.contains("DEFER_TASKRUN"), setup);
    }
}
