package dev.sluice.iouring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.sluice.Completion;
import dev.sluice.Errno;
import dev.sluice.Feature;
import dev.sluice.IPv4Address;
import dev.sluice.Op;
import dev.sluice.Ring;
import dev.sluice.RingConfig;
import dev.sluice.Shutdown;
import dev.sluice.Socket;
import dev.sluice.SocketType;
import dev.sluice.Support;
import dev.sluice.UnixSocket;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The io_uring backend through the public API, focused on what is io_uring specific (link
 * timeouts, cancel by fd, draining at close, the eventfd wakeup). The backend-agnostic
 * conformance suite lives in all/.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class IoUringRingTest {
    private static final long SECOND = 1_000_000_000L;

    private Arena arena;
    private Ring ring;
    private long fdsBefore;

    static long openFds() throws IOException {
        try (Stream<Path> s = Files.list(Path.of("/proc/self/fd"))) {
            return s.count();
        }
    }

    @BeforeEach
    void open() throws Exception {
        IoUringProbe.Result probe = IoUringProbe.cached();
        assumeTrue(probe.available(), probe.reason());
        fdsBefore = openFds();
        arena = Arena.ofShared();
        ring = Ring.open(RingConfig.DEFAULT.withBackend("io_uring"));
    }

    @AfterEach
    void close() throws Exception {
        if (ring != null) ring.close();
        if (arena != null) arena.close();
        if (ring != null) assertEquals(fdsBefore, openFds(), "fds leaked (ring, eventfd or sockets)");
    }

    private MemorySegment bytes(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        MemorySegment m = arena.allocate(b.length);
        m.copyFrom(MemorySegment.ofArray(b));
        return m;
    }

    private static String string(MemorySegment m, int n) {
        return new String(m.asSlice(0, n).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE), StandardCharsets.UTF_8);
    }

    private void await(Completion c) throws Exception {
        assertTrue(ring.runUntil(() -> !c.isPending(), 10 * SECOND), "timed out waiting for " + c);
    }

    /** A connected TCP pair on loopback: {client, server side}. */
    private Socket[] tcpPair() throws Exception {
        Socket listener = ring.listen(IPv4Address.LOOPBACK, 16);
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

    @Test
    void backendIsIoUringAndReportsCapabilities() {
        assertEquals("io_uring", ring.backend().name());
        assertEquals(Support.NATIVE, ring.capabilities().support(Op.RECV));
        assertEquals(Support.NATIVE, ring.capabilities().support(Op.CANCEL));
        assertEquals(Support.EMULATED, ring.capabilities().support(Op.SPLICE));
        assertTrue(ring.capabilities().feature(Feature.SPLICE));
        assertTrue(ring.capabilities().feature(Feature.FD_PASSING));
        // On this kernel generation (6.1+) the owner-only setup must have been accepted.
        if (ring.capabilities().feature(Feature.DEFER_TASKRUN)) assertFalse(Thread.currentThread().isVirtual());
    }

    @Test
    void tcpEchoRoundTrip() throws Exception {
        Socket[] p = tcpPair();
        MemorySegment out = bytes("hello io_uring");
        Completion send = new Completion();
        ring.send(p[0], out, send, c -> { });
        MemorySegment in = arena.allocate(64);
        Completion recv = new Completion();
        ring.recv(p[1], in, recv, c -> { });
        await(recv);
        assertTrue(recv.ok(), recv.toString());
        assertEquals("hello io_uring", string(in, recv.result()));
        // Echo it back.
        Completion back = new Completion();
        ring.send(p[1], in.asSlice(0, recv.result()), back, c -> { });
        MemorySegment in2 = arena.allocate(64);
        Completion recv2 = new Completion();
        ring.recv(p[0], in2, recv2, c -> { });
        await(recv2);
        assertEquals("hello io_uring", string(in2, recv2.result()));
        // Half-close: the peer reads end of stream.
        Completion shut = new Completion();
        ring.shutdown(p[0], Shutdown.WRITE, shut, c -> { });
        Completion eof = new Completion();
        ring.recv(p[1], in, eof, c -> { });
        await(eof);
        assertTrue(shut.ok(), shut.toString());
        assertTrue(eof.ok());
        assertEquals(0, eof.result());
        p[0].close();
        p[1].close();
    }

    @Test
    void timeoutCompletesWithZero() throws Exception {
        Completion t = new Completion();
        long start = System.nanoTime();
        ring.timeout(20_000_000L, t, c -> { });
        await(t);
        assertTrue(t.ok(), t.toString());
        assertEquals(0, t.result());
        assertTrue(System.nanoTime() - start >= 20_000_000L, "timeout fired early");
    }

    @Test
    void cancelOfPendingRecv() throws Exception {
        Socket[] p = tcpPair();
        Completion recv = new Completion();
        ring.recv(p[1], arena.allocate(16), recv, c -> { });
        ring.tick();
        assertTrue(recv.isPending());
        Completion cancel = new Completion();
        ring.cancel(recv, cancel, c -> { });
        await(recv);
        await(cancel);
        assertEquals(Errno.ECANCELED, recv.error(), recv.toString());
        assertTrue(cancel.ok(), cancel.toString());
        // Cancelling what has completed: ENOENT.
        Completion again = new Completion();
        ring.cancel(recv, again, c -> { });
        await(again);
        assertEquals(Errno.ENOENT, again.error());
        p[0].close();
        p[1].close();
    }

    @Test
    void closeSocketWithPendingRecvCompletesEcanceled() throws Exception {
        Socket[] p = tcpPair();
        Completion recv = new Completion();
        Completion recv2 = new Completion();
        ring.recv(p[1], arena.allocate(16), recv, c -> { });
        ring.tick();
        ring.recv(p[1], arena.allocate(16), recv2, c -> { });
        p[1].close();
        await(recv);
        await(recv2);
        assertEquals(Errno.ECANCELED, recv.error(), recv.toString());
        assertEquals(Errno.ECANCELED, recv2.error(), recv2.toString());
        // The peer sees the close: end of stream.
        Completion eof = new Completion();
        ring.recv(p[0], arena.allocate(16), eof, c -> { });
        await(eof);
        assertTrue(eof.ok(), eof.toString());
        assertEquals(0, eof.result());
        p[0].close();
    }

    @Test
    void closeSocketWithPendingAccept() throws Exception {
        Socket listener = ring.listen(IPv4Address.LOOPBACK, 4);
        Completion accept = new Completion();
        ring.accept(listener, accept, c -> { });
        ring.tick();
        listener.close();
        await(accept);
        assertEquals(Errno.ECANCELED, accept.error(), accept.toString());
    }

    @Test
    void deadlineOnRecvGivesEtimedout() throws Exception {
        Socket[] p = tcpPair();
        Completion recv = new Completion().timeoutNanos(30_000_000L);
        ring.recv(p[1], arena.allocate(16), recv, c -> { });
        await(recv);
        assertEquals(Errno.ETIMEDOUT, recv.error(), recv.toString());
        // A deadline that is not reached leaves the result alone, and the slot is reusable.
        recv.timeoutNanos(10 * SECOND);
        ring.recv(p[1], arena.allocate(16), recv, c -> { });
        Completion send = new Completion();
        ring.send(p[0], bytes("x"), send, c -> { });
        await(recv);
        assertTrue(recv.ok(), recv.toString());
        assertEquals(1, recv.result());
        p[0].close();
        p[1].close();
    }

    @Test
    void deadlineOnTimeoutOpShorterThanTheTimer() throws Exception {
        Completion t = new Completion().timeoutNanos(10_000_000L);
        ring.timeout(10 * SECOND, t, c -> { });
        await(t);
        assertEquals(Errno.ETIMEDOUT, t.error(), t.toString());
    }

    @Test
    void ringCloseWithOpsInFlightCompletesEachOnce() throws Exception {
        Socket[] p = tcpPair();
        List<Completion> ops = new ArrayList<>();
        AtomicInteger handled = new AtomicInteger();
        for (int i = 0; i < 8; i++) {
            Completion c = new Completion();
            ops.add(c);
            ring.recv(p[i % 2], arena.allocate(16), c, x -> handled.incrementAndGet());
        }
        for (int i = 0; i < 4; i++) {
            Completion c = new Completion().timeoutNanos(i % 2 == 0 ? 60 * SECOND : 0);
            ops.add(c);
            ring.timeout(60 * SECOND, c, x -> handled.incrementAndGet());
        }
        ring.tick();
        ring.close();
        assertEquals(ops.size(), handled.get());
        for (Completion c : ops) assertEquals(Errno.ECANCELED, c.error(), c.toString());
        assertEquals(0, ring.openSockets());
    }

    @Test
    void wakeupFromAnotherThreadEndsAWait() throws Exception {
        Ring r = Ring.start(RingConfig.DEFAULT.withBackend("io_uring"));
        try {
            // Each future call hands over to the ring thread and wakes it through the eventfd.
            for (int i = 0; i < 50; i++) {
                assertEquals(null, r.timeout(0).get(5, TimeUnit.SECONDS));
            }
        } finally {
            r.close();
        }
    }

    @Test
    void unixFdPassingAndDatagrams() throws Exception {
        UnixSocket[] pair = ring.socketpair(SocketType.DGRAM);
        UnixSocket[] passed = ring.socketpair(SocketType.STREAM);
        Completion send = new Completion();
        ring.sendFds(pair[0], bytes("fd"), new int[] {(int) passed[0].handle()}, send, c -> { });
        int[] fds = new int[2];
        MemorySegment data = arena.allocate(8);
        Completion recv = new Completion();
        ring.recvFds(pair[1], data, fds, recv, c -> { });
        await(recv);
        assertTrue(send.ok(), send.toString());
        assertTrue(recv.ok(), recv.toString());
        assertEquals(2, recv.result());
        assertEquals(1, recv.fdCount());
        assertTrue(fds[0] > 2);
        ring.closeHandle(fds[0]);
        // sendmsg/recvmsg with several buffers.
        Completion sm = new Completion();
        ring.sendmsg(pair[0], new MemorySegment[] {bytes("ab"), bytes("cd")}, null, sm, c -> { });
        MemorySegment b1 = arena.allocate(1);
        MemorySegment b2 = arena.allocate(8);
        Completion rm = new Completion();
        ring.recvmsg(pair[1], new MemorySegment[] {b1, b2}, rm, c -> { });
        await(rm);
        assertTrue(rm.ok(), rm.toString());
        assertEquals(4, rm.result());
        assertEquals("a", string(b1, 1));
        assertEquals("bcd", string(b2, 3));
        for (UnixSocket s : pair) s.close();
        for (UnixSocket s : passed) s.close();
    }

    @Test
    void udpSendtoRecvfrom() throws Exception {
        Socket a = ring.openUdp(dev.sluice.Family.INET);
        Socket b = ring.openUdp(dev.sluice.Family.INET);
        a.bind(IPv4Address.LOOPBACK);
        b.bind(IPv4Address.LOOPBACK);
        Completion send = new Completion();
        ring.sendto(a, bytes("dgram"), b.localAddress(), send, c -> { });
        MemorySegment in = arena.allocate(3);
        Completion recv = new Completion();
        ring.recvfrom(b, in, recv, c -> { });
        await(recv);
        assertTrue(recv.ok(), recv.toString());
        assertTrue(recv.truncated());
        assertEquals(a.localAddress(), recv.peer());
        assertNotNull(recv.peer());
        a.close();
        b.close();
    }

    @Test
    void connectRefused() throws Exception {
        Socket listener = ring.listen(IPv4Address.LOOPBACK, 1);
        IPv4Address addr = (IPv4Address) listener.localAddress();
        listener.close();
        Socket s = ring.openTcp(dev.sluice.Family.INET);
        Completion c = new Completion();
        ring.connect(s, addr, c, x -> { });
        await(c);
        assertEquals(Errno.ECONNREFUSED, c.error(), c.toString());
        s.close();
    }
}
