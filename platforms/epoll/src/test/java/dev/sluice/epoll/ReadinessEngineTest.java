package dev.sluice.epoll;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.Completion;
import dev.sluice.Errno;
import dev.sluice.Family;
import dev.sluice.Feature;
import dev.sluice.IPv4Address;
import dev.sluice.Op;
import dev.sluice.Ring;
import dev.sluice.RingConfig;
import dev.sluice.Socket;
import dev.sluice.SocketOption;
import dev.sluice.SocketType;
import dev.sluice.Support;
import dev.sluice.UnixSocket;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The readiness engine through the public API on the epoll backend: queue discipline, timers,
 * cancellation without readiness, exactly-once completion when sockets and the ring close.
 * Backend-agnostic behaviour is the conformance suite's (all/).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ReadinessEngineTest {
    private static final long WAIT_NANOS = TimeUnit.SECONDS.toNanos(20);

    private Arena arena;
    private Ring ring;

    @BeforeEach
    void open() throws Exception {
        arena = Arena.ofShared();
        ring = Ring.open(RingConfig.DEFAULT.withBackend("epoll"));
    }

    @AfterEach
    void close() {
        if (ring != null) ring.close();
        arena.close();
    }

    private void await(BooleanSupplier done, String what) throws Exception {
        assertTrue(ring.runUntil(done, WAIT_NANOS), "timed out waiting for " + what);
    }

    private MemorySegment text(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        MemorySegment m = arena.allocate(b.length);
        MemorySegment.copy(MemorySegment.ofArray(b), 0, m, 0, b.length);
        return m;
    }

    private static String text(MemorySegment m, int length) {
        return new String(m.asSlice(0, length).toArray(ValueLayout.JAVA_BYTE), StandardCharsets.UTF_8);
    }

    /** {client, server, listener}, connected over loopback TCP. */
    private Socket[] tcpPair(int bufferBytes) throws Exception {
        Socket listener = ring.openTcp(Family.INET);
        listener.setOption(SocketOption.REUSE_ADDRESS, true);
        if (bufferBytes > 0) listener.setOption(SocketOption.RECEIVE_BUFFER, bufferBytes);
        listener.bind(IPv4Address.LOOPBACK);
        listener.listen(16);
        Socket client = ring.openTcp(Family.INET);
        if (bufferBytes > 0) client.setOption(SocketOption.SEND_BUFFER, bufferBytes);
        Completion accept = new Completion();
        Completion connect = new Completion();
        ring.accept(listener, accept, c -> { });
        ring.connect(client, listener.localAddress(), connect, c -> { });
        await(() -> !accept.isPending() && !connect.isPending(), "accept and connect");
        assertTrue(accept.ok(), () -> "accept: " + accept.error());
        assertTrue(connect.ok(), () -> "connect: " + connect.error());
        return new Socket[] {client, accept.accepted(), listener};
    }

    @Test
    void reportsEmulatedOpsAndFdPassing() {
        assertEquals("epoll", ring.backend().name());
        assertEquals(Support.EMULATED, ring.capabilities().support(Op.RECV));
        assertEquals(Support.EMULATED, ring.capabilities().support(Op.SEND_FDS));
        assertEquals(Support.EMULATED, ring.capabilities().support(Op.SPLICE));
        assertTrue(ring.capabilities().feature(Feature.FD_PASSING));
        assertTrue(ring.capabilities().feature(Feature.SPLICE));
    }

    @Test
    void tcpEchoRoundTrip() throws Exception {
        Socket[] p = tcpPair(0);
        MemorySegment hello = text("hello, epoll");
        MemorySegment serverBuf = arena.allocate(64);
        MemorySegment clientBuf = arena.allocate(64);
        Completion serverRecv = new Completion();
        Completion echo = new Completion();
        Completion clientSend = new Completion();
        Completion clientRecv = new Completion();
        // The server's recv is submitted first and has to wait for readiness.
        ring.recv(p[1], serverBuf, serverRecv, c -> ring.send(p[1], serverBuf.asSlice(0, c.result()), echo, e -> { }));
        ring.recv(p[0], clientBuf, clientRecv, c -> { });
        ring.send(p[0], hello, clientSend, c -> { });
        await(() -> !clientRecv.isPending(), "echo");
        assertTrue(clientRecv.ok(), () -> "recv: " + clientRecv.error());
        assertEquals("hello, epoll", text(clientBuf, clientRecv.result()));
        assertEquals(hello.byteSize(), echo.result());
        for (Socket s : p) s.close();
    }

    /** Several MiB through 4 KiB socket buffers: many short sends and EAGAINs, verified byte for byte. */
    @Test
    void largeTransferWithShortWritesArrivesIntact() throws Exception {
        Socket[] p = tcpPair(4096);
        int total = 8 << 20;
        MemorySegment data = arena.allocate(total);
        byte[] expected = new byte[total];
        new Random(42).nextBytes(expected);
        MemorySegment.copy(MemorySegment.ofArray(expected), 0, data, 0, total);
        MemorySegment received = arena.allocate(total);
        MemorySegment chunk = arena.allocate(16 * 1024);
        long[] sent = {0};
        long[] got = {0};
        int[] sends = {0};
        int[] shortSends = {0};
        boolean[] failed = {false};
        Completion send = new Completion();
        Completion recv = new Completion();
        class Sender implements dev.sluice.Handler {
            void next() {
                int len = (int) Math.min(256 * 1024, total - sent[0]);
                ring.send(p[0], data.asSlice(sent[0], len), send, this);
            }

            @Override
            public void completed(Completion c) {
                if (!c.ok()) {
                    failed[0] = true;
                    return;
                }
                sends[0]++;
                if (c.result() < Math.min(256 * 1024, total - sent[0])) shortSends[0]++;
                sent[0] += c.result();
                if (sent[0] < total) next();
            }
        }
        class Receiver implements dev.sluice.Handler {
            @Override
            public void completed(Completion c) {
                if (!c.ok() || c.result() == 0) {
                    failed[0] = true;
                    return;
                }
                MemorySegment.copy(chunk, 0, received, got[0], c.result());
                got[0] += c.result();
                if (got[0] < total) ring.recv(p[1], chunk, recv, this);
            }
        }
        new Sender().next();
        ring.recv(p[1], chunk, recv, new Receiver());
        await(() -> failed[0] || got[0] == total, "8 MiB transfer");
        assertFalse(failed[0], () -> "send " + send.error() + ", recv " + recv.error());
        assertEquals(total, sent[0]);
        assertEquals(-1, received.mismatch(data), "received bytes differ from sent");
        assertTrue(shortSends[0] > 0, "expected short sends through a 4 KiB send buffer, got " + sends[0] + " full ones");
        for (Socket s : p) s.close();
    }

    /** Timers fire in expiry order, equal expiries in submission order, whatever order they were submitted in. */
    @Test
    void timeoutsCompleteInExpiryOrder() throws Exception {
        long[] millis = {40, 10, 30, 0, 20, 20};
        List<Integer> order = new ArrayList<>();
        List<Completion> all = new ArrayList<>();
        for (int i = 0; i < millis.length; i++) {
            int index = i;
            Completion c = new Completion();
            all.add(c);
            ring.timeout(TimeUnit.MILLISECONDS.toNanos(millis[i]), c, x -> order.add(index));
        }
        await(() -> order.size() == millis.length, "timeouts");
        assertEquals(List.of(3, 1, 4, 5, 2, 0), order);
        for (Completion c : all) {
            assertTrue(c.ok());
            assertEquals(0, c.result());
        }
    }

    @Test
    void nopAndTimeoutNeverCompleteInsideSubmit() throws Exception {
        Completion nop = new Completion();
        Completion zero = new Completion();
        boolean[] ran = {false, false};
        ring.nop(nop, c -> ran[0] = true);
        ring.timeout(0, zero, c -> ran[1] = true);
        assertTrue(nop.isPending());
        assertTrue(zero.isPending());
        assertFalse(ran[0] || ran[1]);
        ring.tick();
        assertTrue(ran[0] && ran[1], "a NOP and a zero timeout complete at the next poll");
    }

    /** compio #345: cancel must not wait for readiness; the recv ends at the very next poll. */
    @Test
    void cancelEndsPendingRecvAtTheNextPoll() throws Exception {
        UnixSocket[] pair = ring.socketpair(SocketType.STREAM);
        Completion recv = new Completion();
        Completion cancel = new Completion();
        ring.recv(pair[0], arena.allocate(16), recv, c -> { });
        ring.tick();
        ring.tick();
        assertTrue(recv.isPending(), "no data was sent");
        ring.cancel(recv, cancel, c -> { });
        ring.tick();
        assertFalse(recv.isPending(), "cancel completed the recv in one poll");
        assertEquals(Errno.ECANCELED, recv.error());
        assertTrue(cancel.ok(), () -> "cancel: " + cancel.error());
        // Cancelling something that is done reports ENOENT.
        Completion late = new Completion();
        ring.cancel(recv, late, c -> { });
        ring.tick();
        assertEquals(Errno.ENOENT, late.error());
        // The socket still works afterwards.
        Completion again = new Completion();
        Completion send = new Completion();
        MemorySegment buf = arena.allocate(16);
        ring.recv(pair[0], buf, again, c -> { });
        ring.send(pair[1], text("after"), send, c -> { });
        await(() -> !again.isPending(), "recv after cancel");
        assertEquals("after", text(buf, again.result()));
    }

    @Test
    void cancelEndsPendingAcceptAndTimeout() throws Exception {
        Socket listener = ring.listen(IPv4Address.LOOPBACK, 4);
        Completion accept = new Completion();
        Completion timeout = new Completion();
        ring.accept(listener, accept, c -> { });
        ring.timeout(TimeUnit.HOURS.toNanos(1), timeout, c -> { });
        ring.tick();
        Completion c1 = new Completion();
        Completion c2 = new Completion();
        ring.cancel(accept, c1, c -> { });
        ring.cancel(timeout, c2, c -> { });
        ring.tick();
        assertEquals(Errno.ECANCELED, accept.error());
        assertEquals(Errno.ECANCELED, timeout.error());
        assertTrue(c1.ok() && c2.ok());
    }

    /** A recv and a cancel of it submitted together: the recv is tried first (it waits), then cancelled. */
    @Test
    void cancelSubmittedWithItsTargetStillCancels() throws Exception {
        UnixSocket[] pair = ring.socketpair(SocketType.STREAM);
        Completion recv = new Completion();
        Completion cancel = new Completion();
        ring.recv(pair[0], arena.allocate(16), recv, c -> { });
        ring.cancel(recv, cancel, c -> { });
        ring.tick();
        assertEquals(Errno.ECANCELED, recv.error());
        assertTrue(cancel.ok());
    }

    @Test
    void closingASocketCancelsItsPendingOps() throws Exception {
        UnixSocket[] pair = ring.socketpair(SocketType.STREAM);
        Completion recv1 = new Completion();
        Completion recv2 = new Completion();
        int[] calls = {0};
        ring.recv(pair[0], arena.allocate(16), recv1, c -> calls[0]++);
        ring.tick();
        // The second is still in the submission queue when the socket closes: it must not be tried on a closed fd.
        ring.recv(pair[0], arena.allocate(16), recv2, c -> calls[0]++);
        pair[0].close();
        await(() -> calls[0] == 2, "cancelled recvs");
        assertEquals(Errno.ECANCELED, recv1.error());
        assertEquals(Errno.ECANCELED, recv2.error());
        ring.tick();
        assertEquals(2, calls[0], "each completes once");
    }

    /** Every kind of in-flight op completes exactly once, with ECANCELED, when the ring closes. */
    @Test
    void ringCloseCompletesEachInFlightOpOnce() throws Exception {
        Socket[] p = tcpPair(4096);
        UnixSocket[] pair = ring.socketpair(SocketType.STREAM);
        List<Completion> ops = new ArrayList<>();
        int[] calls = new int[16];
        java.util.function.IntFunction<dev.sluice.Handler> counter = i -> c -> calls[i]++;
        Completion recv = new Completion();
        ring.recv(pair[0], arena.allocate(16), recv, counter.apply(0));
        Completion accept = new Completion();
        ring.accept(p[2], accept, counter.apply(1));
        Completion timeout = new Completion();
        ring.timeout(TimeUnit.HOURS.toNanos(1), timeout, counter.apply(2));
        Completion deadline = new Completion().timeoutNanos(TimeUnit.HOURS.toNanos(1));
        ring.recv(pair[1], arena.allocate(16), deadline, counter.apply(3));
        // Fill the client's send buffer until a send has to wait.
        MemorySegment big = arena.allocate(1 << 20);
        Completion send = new Completion();
        boolean[] waiting = {false};
        for (int i = 0; i < 64 && !waiting[0]; i++) {
            ring.send(p[0], big, send, counter.apply(4));
            ring.tick();
            ring.tick();
            if (send.isPending()) waiting[0] = true;
            else calls[4]--;
        }
        assertTrue(waiting[0], "a send never had to wait");
        Completion queuedSend = new Completion();
        ring.send(p[0], big, queuedSend, counter.apply(5));
        Completion nop = new Completion();
        ring.nop(nop, counter.apply(6));
        ops.addAll(List.of(recv, accept, timeout, deadline, send, queuedSend, nop));
        ring.tick();
        ring.close();
        for (int i = 0; i <= 6; i++) assertEquals(1, calls[i], "handler " + i + " calls");
        for (Completion c : ops) {
            assertFalse(c.isPending(), c::toString);
            if (c != nop) assertEquals(Errno.ECANCELED, c.error(), c::toString);
        }
        ring = null;
    }

    @Test
    void deadlineOnRecvTimesOut() throws Exception {
        UnixSocket[] pair = ring.socketpair(SocketType.STREAM);
        Completion recv = new Completion().timeoutNanos(TimeUnit.MILLISECONDS.toNanos(30));
        ring.recv(pair[0], arena.allocate(16), recv, c -> { });
        await(() -> !recv.isPending(), "deadline");
        assertEquals(Errno.ETIMEDOUT, recv.error());
        // A deadline that is not reached leaves the result alone.
        Completion quick = new Completion().timeoutNanos(TimeUnit.SECONDS.toNanos(30));
        Completion send = new Completion();
        MemorySegment buf = arena.allocate(16);
        ring.recv(pair[0], buf, quick, c -> { });
        ring.send(pair[1], text("in time"), send, c -> { });
        await(() -> !quick.isPending(), "recv within deadline");
        assertTrue(quick.ok());
        assertEquals("in time", text(buf, quick.result()));
    }

    @Test
    void connectRefused() throws Exception {
        Socket probe = ring.listen(IPv4Address.LOOPBACK, 1);
        var address = probe.localAddress();
        probe.close();
        Socket client = ring.openTcp(Family.INET);
        Completion connect = new Completion();
        ring.connect(client, address, connect, c -> { });
        await(() -> !connect.isPending(), "connect");
        assertEquals(Errno.ECONNREFUSED, connect.error());
        client.close();
    }

    /** Several recvs queued on one stream complete in submission order, each with the next bytes. */
    @Test
    void queuedRecvsOnOneSocketCompleteInOrder() throws Exception {
        UnixSocket[] pair = ring.socketpair(SocketType.STREAM);
        int n = 40;
        List<Integer> order = new ArrayList<>();
        StringBuilder bytes = new StringBuilder();
        for (int i = 0; i < n; i++) {
            int index = i;
            MemorySegment one = arena.allocate(1);
            ring.recv(pair[0], one, new Completion(), c -> {
                order.add(index);
                bytes.append((char) one.get(ValueLayout.JAVA_BYTE, 0));
            });
        }
        ring.tick();
        assertTrue(order.isEmpty());
        StringBuilder sent = new StringBuilder();
        for (int i = 0; i < n; i++) sent.append((char) ('A' + i % 26));
        ring.send(pair[1], text(sent.toString()), new Completion(), c -> { });
        await(() -> order.size() == n, "queued recvs");
        for (int i = 0; i < n; i++) assertEquals(i, order.get(i));
        assertEquals(sent.toString(), bytes.toString());
    }

    /**
     * One socket is flooded (a sender that never stops, 64 recvs always queued on the receiver);
     * a single message on another socket is still received.
     */
    @Test
    void floodedSocketDoesNotStarveAnother() throws Exception {
        UnixSocket[] flood = ring.socketpair(SocketType.STREAM);
        UnixSocket[] quiet = ring.socketpair(SocketType.STREAM);
        MemorySegment blob = arena.allocate(64 * 1024);
        boolean[] stop = {false};
        long[] flooded = {0};
        dev.sluice.Handler[] sender = new dev.sluice.Handler[1];
        Completion floodSend = new Completion();
        sender[0] = c -> {
            if (!stop[0] && c.ok()) ring.send(flood[1], blob, floodSend, sender[0]);
        };
        ring.send(flood[1], blob, floodSend, sender[0]);
        for (int i = 0; i < 64; i++) {
            MemorySegment buf = arena.allocate(4096);
            Completion r = new Completion();
            dev.sluice.Handler[] h = new dev.sluice.Handler[1];
            h[0] = c -> {
                if (!c.ok()) return;
                flooded[0] += c.result();
                if (!stop[0]) ring.recv(flood[0], buf, r, h[0]);
            };
            ring.recv(flood[0], buf, r, h[0]);
        }
        // Let the flood get going before the quiet socket's message is sent.
        ring.runUntil(() -> flooded[0] > (4 << 20), WAIT_NANOS);
        MemorySegment buf = arena.allocate(16);
        Completion quietRecv = new Completion();
        ring.recv(quiet[0], buf, quietRecv, c -> stop[0] = true);
        ring.send(quiet[1], text("ping"), new Completion(), c -> { });
        await(() -> !quietRecv.isPending(), "the quiet socket's recv during the flood");
        assertTrue(quietRecv.ok());
        assertEquals("ping", text(buf, quietRecv.result()));
        assertTrue(flooded[0] > (4 << 20), "the flood ran: " + flooded[0] + " bytes");
        for (UnixSocket s : flood) s.close();
        ring.run(TimeUnit.MILLISECONDS.toNanos(20));
    }

    /** A received fd may be blocking; the engine makes it O_NONBLOCK on first use so accept/connect never block the loop. */
    @Test
    void adoptedBlockingFdIsMadeNonBlocking() throws Exception {
        long[] blocking = dev.sluice.posix.PosixSockets.INSTANCE.pair(Family.UNIX, SocketType.STREAM, false);
        UnixSocket[] carrier = ring.socketpair(SocketType.STREAM);
        int[] out = new int[1];
        Completion send = new Completion();
        Completion recvFds = new Completion();
        ring.sendFds(carrier[1], text("x"), new int[] {(int) blocking[0]}, send, c -> { });
        ring.recvFds(carrier[0], arena.allocate(1), out, recvFds, c -> { });
        await(() -> !recvFds.isPending(), "fd passing");
        assertTrue(recvFds.ok(), () -> "recvFds: " + recvFds.error());
        assertEquals(1, recvFds.fdCount());
        dev.sluice.posix.PosixSockets.INSTANCE.close(blocking[0]);
        assertFalse(nonBlocking(out[0]));
        Socket adopted = ring.adopt(out[0], Family.UNIX, SocketType.STREAM, dev.sluice.Protocol.DEFAULT);
        MemorySegment buf = arena.allocate(16);
        Completion recv = new Completion();
        ring.recv(adopted, buf, recv, c -> { });
        ring.tick();
        assertTrue(nonBlocking(out[0]), "O_NONBLOCK set on first use");
        Completion peerSend = new Completion();
        ring.run(0);
        var fdSeg = arena.allocate(5);
        fdSeg.copyFrom(text("hello"));
        long w = dev.sluice.bindings.linux.unistd_h.write(dev.sluice.posix.ErrnoState.current(), (int) blocking[1], fdSeg, 5);
        assertEquals(5, w);
        await(() -> !recv.isPending(), "recv on adopted fd");
        assertEquals("hello", text(buf, recv.result()));
        assertNull(peerSend.error());
        adopted.close();
        dev.sluice.posix.PosixSockets.INSTANCE.close(blocking[1]);
    }

    private static boolean nonBlocking(int fd) {
        int flags = dev.sluice.bindings.linux.fcntl_h.fcntl(dev.sluice.posix.ErrnoState.current(), fd, dev.sluice.bindings.linux.fcntl_h.F_GETFL);
        assertTrue(flags >= 0);
        return (flags & dev.sluice.bindings.linux.fcntl_h.O_NONBLOCK) != 0;
    }

    @Test
    void fdCountReturnsToBaseline() throws Exception {
        ring.close();
        ring = null;
        // Warm up once so lazily opened JDK files are not counted as leaks.
        runRoundTripOnNewRing();
        int before = openFds();
        for (int i = 0; i < 3; i++) runRoundTripOnNewRing();
        assertEquals(before, openFds(), "fds leaked by open, round trip, close");
    }

    private void runRoundTripOnNewRing() throws Exception {
        ring = Ring.open(RingConfig.DEFAULT.withBackend("epoll"));
        Socket[] p = tcpPair(0);
        Completion send = new Completion();
        Completion recv = new Completion();
        ring.recv(p[1], arena.allocate(8), recv, c -> { });
        ring.send(p[0], text("x"), send, c -> { });
        // A pending op on a socket left open: ring close must cancel it and close the socket.
        Completion pending = new Completion();
        ring.recv(p[0], arena.allocate(8), pending, c -> { });
        await(() -> !recv.isPending(), "round trip");
        p[1].close();
        ring.close();
        assertEquals(Errno.ECANCELED, pending.error());
        ring = null;
    }

    private static int openFds() throws IOException {
        try (Stream<Path> s = Files.list(Path.of("/proc/self/fd"))) {
            return (int) s.count();
        }
    }

    /**
     * A wakeup from another thread ends a poll that would wait forever, and the loop notices the
     * task's effect at once. Without the wakeup this hangs until the JUnit timeout.
     */
    @Test
    @Timeout(value = 15, unit = TimeUnit.SECONDS)
    void wakeupFromAnotherThreadEndsAWait() throws Exception {
        for (int i = 0; i < 20; i++) {
            boolean[] ran = {false};
            Thread t = Thread.ofPlatform().start(() -> ring.execute(() -> ran[0] = true));
            assertTrue(ring.runUntil(() -> ran[0], Long.MAX_VALUE));
            t.join();
        }
    }

    @Test
    void spliceIsEmulatedNotNative() {
        assertEquals(Support.EMULATED, ring.capabilities().support(Op.SPLICE));
    }
}
