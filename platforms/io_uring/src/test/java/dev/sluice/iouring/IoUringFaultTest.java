package dev.sluice.iouring;

import static dev.sluice.bindings.linux.errno_h.EAGAIN;
import static dev.sluice.bindings.linux.errno_h.EBUSY;
import static dev.sluice.bindings.linux.errno_h.EINTR;
import static dev.sluice.bindings.linux.io_uring_h.IORING_SETUP_COOP_TASKRUN;
import static dev.sluice.bindings.linux.io_uring_h.IORING_SETUP_CQSIZE;
import static dev.sluice.bindings.linux.io_uring_h.IORING_SETUP_DEFER_TASKRUN;
import static dev.sluice.bindings.linux.io_uring_h.IORING_SETUP_SINGLE_ISSUER;
import static dev.sluice.bindings.linux.io_uring_h.IORING_SETUP_SUBMIT_ALL;
import static dev.sluice.bindings.linux.io_uring_h.IORING_SETUP_TASKRUN_FLAG;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.sluice.Completion;
import dev.sluice.Errno;
import dev.sluice.Feature;
import dev.sluice.IPv4Address;
import dev.sluice.Op;
import dev.sluice.Ring;
import dev.sluice.RingConfig;
import dev.sluice.SluiceException;
import dev.sluice.Socket;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The paths a healthy 6.x kernel never takes, driven through {@link Faults}: setup flags refused
 * (older kernels answer EINVAL), io_uring_enter failing with EINTR/EAGAIN/EBUSY, and requests
 * coming back with -EINTR/-EAGAIN (resubmitted, never reported). After each, the ring must still
 * do real work: a TCP round trip, a deadline, a cancel, a cross-thread wakeup, and a clean close.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class IoUringFaultTest {
    private static final long SECOND = 1_000_000_000L;

    private Arena arena;
    private Ring ring;
    private long fdsBefore;

    @BeforeEach
    void available() throws Exception {
        IoUringProbe.Result probe = IoUringProbe.cached();
        assumeTrue(probe.available(), probe.reason());
        fdsBefore = IoUringRingTest.openFds();
        arena = Arena.ofShared();
    }

    @AfterEach
    void close() throws Exception {
        Faults.NEXT_OPEN.remove();
        if (ring != null) ring.close();
        arena.close();
        assertEquals(fdsBefore, IoUringRingTest.openFds(), "fds leaked");
    }

    private IoUringBackend open(Faults faults) throws Exception {
        Faults.NEXT_OPEN.set(faults);
        ring = Ring.open(RingConfig.DEFAULT.withBackend("io_uring"));
        assertTrue(Faults.NEXT_OPEN.get() == null, "the backend took the faults");
        return RegisteredFilesTest.backendOf(ring);
    }

    private void await(Completion c) throws Exception {
        assertTrue(ring.runUntil(() -> !c.isPending(), 10 * SECOND), "timed out waiting for " + c);
    }

    private Socket[] tcpPair() throws Exception {
        Socket listener = ring.listen(IPv4Address.LOOPBACK, 4);
        Socket client = ring.openTcp(dev.sluice.Family.INET);
        Completion accept = new Completion();
        Completion connect = new Completion();
        ring.accept(listener, accept, c -> { });
        ring.connect(client, listener.localAddress(), connect, c -> { });
        await(accept);
        await(connect);
        assertTrue(accept.ok(), accept.toString());
        assertTrue(connect.ok(), connect.toString());
        listener.close();
        return new Socket[] {client, accept.accepted()};
    }

    /** Real work on the ring: round trips, a deadline that fires, a cancel, a wakeup from another thread. */
    private void ringStillWorks() throws Exception {
        Socket[] p = tcpPair();
        MemorySegment out = arena.allocate(8);
        MemorySegment in = arena.allocate(8);
        for (int i = 0; i < 20; i++) {
            out.set(ValueLayout.JAVA_LONG, 0, i);
            Completion send = new Completion();
            Completion recv = new Completion().timeoutNanos(10 * SECOND);
            ring.send(p[0], out, send, c -> { });
            ring.recv(p[1], in, recv, c -> { });
            await(recv);
            await(send);
            assertEquals(8, send.result(), send.toString());
            assertEquals(8, recv.result(), recv.toString());
            assertEquals(i, in.get(ValueLayout.JAVA_LONG, 0));
        }
        Completion late = new Completion().timeoutNanos(20_000_000L);
        ring.recv(p[1], in, late, c -> { });
        await(late);
        assertEquals(Errno.ETIMEDOUT, late.error(), late.toString());
        Completion pending = new Completion();
        ring.recv(p[0], in, pending, c -> { });
        ring.tick();
        Completion cancel = new Completion();
        ring.cancel(pending, cancel, c -> { });
        await(pending);
        await(cancel);
        assertEquals(Errno.ECANCELED, pending.error(), pending.toString());
        CompletableFuture<Void> woke = new CompletableFuture<>();
        Thread.ofPlatform().start(() -> ring.execute(() -> woke.complete(null)));
        assertTrue(ring.runUntil(woke::isDone, 10 * SECOND), "a task handed over from another thread did not run");
        p[0].close();
        p[1].close();
    }

    @ParameterizedTest(name = "refused {0} -> {1}")
    @CsvSource({
        // refused flags (names joined by |), flags the ring must end up with
        "SINGLE_ISSUER, COOP_TASKRUN|TASKRUN_FLAG|SUBMIT_ALL",
        "DEFER_TASKRUN, COOP_TASKRUN|TASKRUN_FLAG|SUBMIT_ALL",
        "DEFER_TASKRUN|COOP_TASKRUN, SUBMIT_ALL",
        "TASKRUN_FLAG, SUBMIT_ALL",
        "SUBMIT_ALL, ''",
    })
    void setupFallsBackAndTheRingWorks(String refused, String expected) throws Exception {
        Faults f = new Faults();
        f.refuseSetupFlags = flags(refused);
        IoUringBackend b = open(f);
        int all = IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_DEFER_TASKRUN | IORING_SETUP_COOP_TASKRUN | IORING_SETUP_TASKRUN_FLAG | IORING_SETUP_SUBMIT_ALL;
        assertEquals(flags(expected), b.setupFlags() & all, b.describeSetup());
        assertFalse(ring.capabilities().feature(Feature.DEFER_TASKRUN), b.describeSetup());
        ringStillWorks();
    }

    @Test
    void setupRefusedAltogetherIsAClearError() {
        Faults f = new Faults();
        f.refuseSetupFlags = IORING_SETUP_CQSIZE;
        Faults.NEXT_OPEN.set(f);
        SluiceException e = assertThrows(SluiceException.class, () -> Ring.open(RingConfig.DEFAULT.withBackend("io_uring")));
        assertTrue(e.getMessage().contains("io_uring_setup") && e.getMessage().contains("EINVAL"), e.getMessage());
    }

    @ParameterizedTest(name = "io_uring_enter fails with {0}")
    @CsvSource({"EINTR", "EAGAIN", "EBUSY"})
    void enterFailuresAreRetried(String errno) throws Exception {
        Faults f = new Faults();
        IoUringBackend b = open(f);
        f.enterErrno = switch (errno) {
            case "EINTR" -> EINTR;
            case "EAGAIN" -> EAGAIN;
            default -> EBUSY;
        };
        // Every other enter fails, from here through close().
        for (int round = 0; round < 10; round++) {
            f.enterFailures = 1;
            Completion t = new Completion();
            ring.timeout(1_000_000L, t, c -> { });
            await(t);
            assertTrue(t.ok(), t.toString());
        }
        f.enterFailures = 3;
        ringStillWorks();
        assertTrue(f.enterInjected >= 11, "injected " + f.enterInjected);
        f.enterFailures = 2;
        Completion pending = new Completion();
        Socket[] p = tcpPair();
        ring.recv(p[0], arena.allocate(8), pending, c -> { });
        ring.tick();
        f.enterFailures = 2;
        ring.close();
        assertEquals(Errno.ECANCELED, pending.error(), pending.toString());
        assertEquals(0, b.active());
        ring = null;
    }

    /** The kernel's IORING_NOP_INJECT_RESULT (6.10) carries injected results; older kernels skip. */
    private static void assumeNopInjectResult() {
        String[] v = IoUringProbe.cached().kernel().split("[.-]");
        int major = Integer.parseInt(v[0]);
        int minor = Integer.parseInt(v[1]);
        assumeTrue(major > 6 || major == 6 && minor >= 10, "IORING_NOP_INJECT_RESULT needs Linux 6.10; this is " + IoUringProbe.cached().kernel());
    }

    @ParameterizedTest(name = "{0} comes back {1} twice")
    @CsvSource({"RECV, EINTR", "RECV, EAGAIN", "SEND, EINTR", "SEND, EAGAIN", "ACCEPT, EINTR", "CONNECT, EAGAIN"})
    void interruptedRequestsAreSubmittedAgainAndNeverReported(Op op, String errno) throws Exception {
        assumeNopInjectResult();
        Faults f = new Faults();
        open(f);
        f.op = op;
        f.opResult = errno.equals("EINTR") ? -EINTR : -EAGAIN;
        f.opFailures = 2;
        ringStillWorks();
        assertEquals(2, f.opInjected, op + " was not injected into");
        // And with a deadline on the operation (a linked timeout that the injected NOP breaks off).
        f.opFailures = 2;
        f.opInjected = 0;
        ringStillWorks();
        assertEquals(2, f.opInjected);
    }

    @Test
    void aDeadlinePassingWhileRetryingGivesEtimedout() throws Exception {
        assumeNopInjectResult();
        Faults f = new Faults();
        open(f);
        f.op = Op.TIMEOUT;
        f.opResult = -EAGAIN;
        f.opFailures = Integer.MAX_VALUE;
        Completion t = new Completion().timeoutNanos(20_000_000L);
        ring.timeout(10 * SECOND, t, c -> { });
        await(t);
        assertEquals(Errno.ETIMEDOUT, t.error(), t.toString());
        assertTrue(f.opInjected > 1, "retried " + f.opInjected + " times");
        f.opFailures = 0;
    }

    @Test
    void aCancelBetweenTwoSubmissionsStillCancels() throws Exception {
        assumeNopInjectResult();
        Faults f = new Faults();
        open(f);
        Socket[] p = tcpPair();
        f.op = Op.RECV;
        f.opResult = -EINTR;
        f.opFailures = Integer.MAX_VALUE;
        Completion recv = new Completion();
        ring.recv(p[0], arena.allocate(8), recv, c -> { });
        ring.tick();
        Completion cancel = new Completion();
        ring.cancel(recv, cancel, c -> { });
        await(recv);
        await(cancel);
        assertEquals(Errno.ECANCELED, recv.error(), recv.toString());
        assertTrue(cancel.ok(), cancel.toString());
        f.opFailures = 0;
        p[0].close();
        p[1].close();
    }

    private static int flags(String names) {
        int v = 0;
        if (names == null || names.isBlank()) return 0;
        for (String n : names.split("\\|")) {
            v |= switch (n.trim()) {
                case "SINGLE_ISSUER" -> IORING_SETUP_SINGLE_ISSUER;
                case "DEFER_TASKRUN" -> IORING_SETUP_DEFER_TASKRUN;
                case "COOP_TASKRUN" -> IORING_SETUP_COOP_TASKRUN;
                case "TASKRUN_FLAG" -> IORING_SETUP_TASKRUN_FLAG;
                case "SUBMIT_ALL" -> IORING_SETUP_SUBMIT_ALL;
                default -> throw new IllegalArgumentException(n);
            };
        }
        return v;
    }
}
