package dev.sluice.epoll;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.Completion;
import dev.sluice.Errno;
import dev.sluice.Family;
import dev.sluice.IPv4Address;
import dev.sluice.Ring;
import dev.sluice.RingConfig;
import dev.sluice.Shutdown;
import dev.sluice.Socket;
import dev.sluice.SocketOption;
import dev.sluice.SocketType;
import dev.sluice.UnixAddress;
import dev.sluice.UnixSocket;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** How each operation maps onto readiness on epoll: the paths the engine takes besides plain send/recv. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ReadinessOpsTest {
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
        ring.close();
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

    @Test
    void udpSendtoRecvfromReportsTheSender() throws Exception {
        Socket a = ring.openUdp(Family.INET);
        Socket b = ring.openUdp(Family.INET);
        a.bind(IPv4Address.LOOPBACK);
        b.bind(IPv4Address.LOOPBACK);
        MemorySegment buf = arena.allocate(64);
        Completion recv = new Completion();
        Completion send = new Completion();
        ring.recvfrom(b, buf, recv, c -> { });
        ring.tick();
        ring.sendto(a, text("datagram"), b.localAddress(), send, c -> { });
        await(() -> !recv.isPending(), "recvfrom");
        assertTrue(recv.ok(), () -> "recvfrom " + recv.error());
        assertEquals("datagram", text(buf, recv.result()));
        assertEquals(a.localAddress(), recv.peer());
        assertFalse(recv.truncated());
        a.close();
        b.close();
    }

    @Test
    void sendmsgGathersAndRecvmsgScatters() throws Exception {
        UnixSocket[] pair = ring.socketpair(SocketType.SEQPACKET);
        MemorySegment[] out = {text("one-"), text("two-"), text("three")};
        MemorySegment[] in = {arena.allocate(3), arena.allocate(10)};
        Completion recv = new Completion();
        Completion send = new Completion();
        ring.recvmsg(pair[1], in, recv, c -> { });
        ring.tick();
        ring.sendmsg(pair[0], out, null, send, c -> { });
        await(() -> !recv.isPending(), "recvmsg");
        assertEquals(13, send.result());
        assertEquals(13, recv.result());
        assertEquals("one", text(in[0], 3));
        assertEquals("-two-three", text(in[1], 10));
    }

    @Test
    void shutdownWriteGivesThePeerEndOfStream() throws Exception {
        UnixSocket[] pair = ring.socketpair(SocketType.STREAM);
        Completion recv = new Completion();
        Completion shut = new Completion();
        ring.recv(pair[1], arena.allocate(8), recv, c -> { });
        ring.tick();
        ring.shutdown(pair[0], Shutdown.WRITE, shut, c -> { });
        await(() -> !recv.isPending(), "end of stream");
        assertTrue(shut.ok());
        assertTrue(recv.ok());
        assertEquals(0, recv.result(), "recv after the peer's FIN reads 0");
    }

    /** A reset while a recv waits arrives as EPOLLERR/EPOLLHUP and surfaces as the recv's error. */
    @Test
    void peerResetFailsTheWaitingRecv() throws Exception {
        Socket listener = ring.listen(IPv4Address.LOOPBACK, 4);
        Socket client = ring.openTcp(Family.INET);
        Completion accept = new Completion();
        Completion connect = new Completion();
        ring.accept(listener, accept, c -> { });
        ring.connect(client, listener.localAddress(), connect, c -> { });
        await(() -> !accept.isPending() && !connect.isPending(), "connection");
        Socket server = accept.accepted();
        Completion recv = new Completion();
        ring.recv(client, arena.allocate(8), recv, c -> { });
        ring.tick();
        // SO_LINGER 0 turns close into a RST.
        server.setOption(SocketOption.LINGER_SECONDS, 0);
        server.close();
        await(() -> !recv.isPending(), "recv after reset");
        assertEquals(Errno.ECONNRESET, recv.error());
        client.close();
        listener.close();
    }

    /**
     * Non-blocking AF_UNIX connect answers EAGAIN while the listener's backlog is full, and no
     * readiness event announces room: the engine retries it on a short timer. A retried connect
     * can also be cancelled. (Backlog 1 admits two queued connections on Linux: the check is
     * "queue length > backlog".)
     */
    @Test
    void unixConnectWithAFullBacklogRetriesUntilAccepted() throws Exception {
        UnixAddress address = UnixAddress.abstractName("sluice-epoll-" + ProcessHandle.current().pid() + "-" + System.nanoTime());
        Socket listener = ring.listen(address, 1);
        Completion[] connects = new Completion[4];
        for (int i = 0; i < connects.length; i++) {
            connects[i] = new Completion();
            ring.connect(ring.openUnix(SocketType.STREAM), address, connects[i], c -> { });
            ring.run(TimeUnit.MILLISECONDS.toNanos(5));
        }
        ring.run(TimeUnit.MILLISECONDS.toNanos(20));
        assertTrue(connects[0].ok() && connects[1].ok(), "two fit the backlog");
        assertTrue(connects[2].isPending(), "the third waits for room");
        assertTrue(connects[3].isPending());
        Completion cancel = new Completion();
        ring.cancel(connects[3], cancel, c -> { });
        ring.tick();
        assertEquals(Errno.ECANCELED, connects[3].error());
        assertTrue(cancel.ok());
        Completion accept = new Completion();
        ring.accept(listener, accept, c -> { });
        await(() -> !connects[2].isPending(), "third connect after an accept");
        assertTrue(connects[2].ok(), () -> "third connect " + connects[2].error());
        assertTrue(accept.ok());
    }

    /**
     * Sends submitted together on one stream are tried in submission order, each behind the one
     * before: the bytes that arrive are each send's accepted prefix, concatenated in that order.
     */
    @Test
    void queuedSendsOnOneStreamKeepTheirOrder() throws Exception {
        UnixSocket[] pair = ring.socketpair(SocketType.STREAM);
        pair[0].setOption(SocketOption.SEND_BUFFER, 4096);
        int count = 64;
        int size = 8 * 1024;
        Completion[] sends = new Completion[count];
        MemorySegment[] payloads = new MemorySegment[count];
        int[] completionOrder = new int[count];
        int[] completed = {0};
        for (int i = 0; i < count; i++) {
            int index = i;
            payloads[i] = arena.allocate(size);
            for (int k = 0; k < size; k++) payloads[i].set(ValueLayout.JAVA_BYTE, k, (byte) (i * 7 + k));
            sends[i] = new Completion();
            ring.send(pair[0], payloads[i], sends[i], c -> completionOrder[completed[0]++] = index);
        }
        MemorySegment received = arena.allocate((long) count * size);
        MemorySegment buf = arena.allocate(3000);
        long[] got = {0};
        Completion recv = new Completion();
        dev.sluice.Handler[] r = new dev.sluice.Handler[1];
        r[0] = c -> {
            if (!c.ok() || c.result() == 0) return;
            MemorySegment.copy(buf, 0, received, got[0], c.result());
            got[0] += c.result();
            ring.recv(pair[1], buf, recv, r[0]);
        };
        ring.recv(pair[1], buf, recv, r[0]);
        await(() -> completed[0] == count, "all sends");
        long expectedTotal = 0;
        for (int i = 0; i < count; i++) {
            assertEquals(i, completionOrder[i], "sends complete in submission order");
            assertTrue(sends[i].ok(), sends[i]::toString);
            expectedTotal += sends[i].result();
        }
        long total = expectedTotal;
        await(() -> got[0] == total, "the bytes sent");
        long at = 0;
        for (int i = 0; i < count; i++) {
            int n = sends[i].result();
            assertEquals(-1, received.asSlice(at, n).mismatch(payloads[i].asSlice(0, n)), "bytes of send " + i);
            at += n;
        }
    }

    /**
     * After a short read the engine parks the next recv without trying it (edge-triggered epoll
     * reports later data). The peer's FIN after that must still end the recv with 0.
     */
    @Test
    void endOfStreamAfterAShortReadIsSeen() throws Exception {
        UnixSocket[] pair = ring.socketpair(SocketType.STREAM);
        MemorySegment buf = arena.allocate(64);
        Completion first = new Completion();
        ring.send(pair[0], text("short"), new Completion(), c -> { });
        ring.recv(pair[1], buf, first, c -> { });
        await(() -> !first.isPending(), "short read");
        assertEquals(5, first.result());
        Completion second = new Completion();
        ring.recv(pair[1], buf, second, c -> { });
        ring.tick();
        assertTrue(second.isPending());
        ring.shutdown(pair[0], Shutdown.WRITE, new Completion(), c -> { });
        await(() -> !second.isPending(), "end of stream");
        assertTrue(second.ok());
        assertEquals(0, second.result());
        // And a recv after EOF completes at once.
        Completion third = new Completion();
        ring.recv(pair[1], buf, third, c -> { });
        await(() -> !third.isPending(), "recv after end of stream");
        assertEquals(0, third.result());
    }

    /** Shutting down our own read side ends a recv parked on it (with 0), whether or not the kernel raises an edge. */
    @Test
    void localShutdownReadEndsAParkedRecv() throws Exception {
        UnixSocket[] pair = ring.socketpair(SocketType.STREAM);
        Completion recv = new Completion();
        ring.recv(pair[1], arena.allocate(16), recv, c -> { });
        ring.tick();
        assertTrue(recv.isPending());
        ring.shutdown(pair[1], Shutdown.READ, new Completion(), c -> { });
        await(() -> !recv.isPending(), "recv after SHUT_RD");
        assertTrue(recv.ok(), () -> "recv " + recv.error());
        assertEquals(0, recv.result());
    }

    /** {client, server}: a TCP connection over loopback, with the server's fd already registered (a recv done). */
    private Socket[] tcpConnection(Socket listener) throws Exception {
        Socket client = ring.openTcp(Family.INET);
        Completion accept = new Completion();
        Completion connect = new Completion();
        ring.accept(listener, accept, c -> { });
        ring.connect(client, listener.localAddress(), connect, c -> { });
        await(() -> !accept.isPending() && !connect.isPending(), "connection");
        return new Socket[] {client, accept.accepted()};
    }

    /** Registers the server's fd with a first recv of one byte, so later events reach the engine with no waiter. */
    private void primeWithOneByte(Socket from, Socket to) throws Exception {
        Completion recv = new Completion();
        ring.recv(to, arena.allocate(1), recv, c -> { });
        ring.tick();
        ring.send(from, text("x"), new Completion(), c -> { });
        await(() -> !recv.isPending(), "priming byte");
        assertEquals(1, recv.result());
    }

    /**
     * Data and FIN arrive together while no recv waits, and the event is consumed then. The next
     * recv reads the data short, stopping before the FIN; no further edge will come, so the recv
     * after it must try its syscall (and see 0) instead of waiting for one.
     */
    @Test
    void finQueuedBehindDataIsSeenAfterAShortRead() throws Exception {
        Socket listener = ring.listen(IPv4Address.LOOPBACK, 4);
        Socket[] c = tcpConnection(listener);
        primeWithOneByte(c[0], c[1]);
        Completion send = new Completion();
        Completion shut = new Completion();
        ring.send(c[0], text("abc"), send, x -> ring.shutdown(c[0], Shutdown.WRITE, shut, y -> { }));
        await(() -> !shut.isPending(), "send and FIN");
        ring.run(TimeUnit.MILLISECONDS.toNanos(10)); // the server's edge is harvested with nobody waiting
        MemorySegment buf = arena.allocate(64);
        Completion first = new Completion();
        ring.recv(c[1], buf, first, x -> { });
        await(() -> !first.isPending(), "data");
        assertEquals("abc", text(buf, first.result()));
        Completion second = new Completion();
        ring.recv(c[1], buf, second, x -> { });
        await(() -> !second.isPending(), "end of stream behind the data");
        assertEquals(0, second.result());
        for (Socket s : c) s.close();
        listener.close();
    }

    /** recv stops short at a TCP urgent mark with data after it: the next recv must not wait for an edge. */
    @Test
    void dataAfterAnUrgentMarkIsReceived() throws Exception {
        Socket listener = ring.listen(IPv4Address.LOOPBACK, 4);
        Completion accept = new Completion();
        ring.accept(listener, accept, x -> { });
        IPv4Address at = (IPv4Address) listener.localAddress();
        try (java.net.Socket jdk = new java.net.Socket()) {
            jdk.connect(new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), at.port()));
            await(() -> !accept.isPending(), "accept");
            Socket server = accept.accepted();
            Completion prime = new Completion();
            ring.recv(server, arena.allocate(1), prime, x -> { });
            ring.tick();
            jdk.getOutputStream().write('x');
            await(() -> !prime.isPending(), "priming byte");
            jdk.getOutputStream().write("abc".getBytes(StandardCharsets.US_ASCII));
            jdk.sendUrgentData('!');
            jdk.getOutputStream().write("def".getBytes(StandardCharsets.US_ASCII));
            ring.run(TimeUnit.MILLISECONDS.toNanos(20));
            MemorySegment buf = arena.allocate(64);
            StringBuilder got = new StringBuilder();
            while (got.length() < 6) {
                Completion recv = new Completion();
                ring.recv(server, buf, recv, x -> { });
                await(() -> !recv.isPending(), "data around the urgent mark, have '" + got + "'");
                assertTrue(recv.ok() && recv.result() > 0, recv::toString);
                got.append(text(buf, recv.result()));
            }
            assertEquals("abcdef", got.toString(), "the urgent byte is out of band (SO_OOBINLINE is off)");
            server.close();
        }
        listener.close();
    }

    /** On AF_UNIX a stream read stops at a message that carries fds: the data queued after it must still arrive. */
    @Test
    void unixDataAfterAMessageWithFdsIsReceived() throws Exception {
        UnixSocket[] pair = ring.socketpair(SocketType.STREAM);
        UnixSocket[] passed = ring.socketpair(SocketType.STREAM);
        primeUnix(pair);
        Completion sendFds = new Completion();
        Completion send = new Completion();
        ring.sendFds(pair[0], text("with-fd"), new int[] {(int) passed[0].handle()}, sendFds, x -> { });
        ring.send(pair[0], text("tail"), send, x -> { });
        await(() -> !send.isPending() && !sendFds.isPending(), "sends");
        ring.run(TimeUnit.MILLISECONDS.toNanos(10));
        MemorySegment buf = arena.allocate(64);
        StringBuilder got = new StringBuilder();
        while (got.length() < "with-fdtail".length()) {
            Completion recv = new Completion();
            ring.recv(pair[1], buf, recv, x -> { });
            await(() -> !recv.isPending(), "data after the fd-carrying message, have '" + got + "'");
            assertTrue(recv.ok() && recv.result() > 0, recv::toString);
            got.append(text(buf, recv.result()));
        }
        assertEquals("with-fdtail", got.toString());
    }

    private void primeUnix(UnixSocket[] pair) throws Exception {
        Completion recv = new Completion();
        ring.recv(pair[1], arena.allocate(1), recv, c -> { });
        ring.tick();
        ring.send(pair[0], text("x"), new Completion(), c -> { });
        await(() -> !recv.isPending(), "priming byte");
    }

    /** The conformance suite's echo shape, repeated: 300 kB echoed through 8 KiB recvs, then half-close both ways. */
    @Test
    void tcpEchoWithHalfCloseEndsEveryTime() throws Exception {
        for (int i = 0; i < 10; i++) {
            Socket listener = ring.listen(IPv4Address.LOOPBACK, 4);
            Socket[] c = tcpConnection(listener);
            int total = 300_000;
            MemorySegment data = arena.allocate(total);
            for (int k = 0; k < total; k++) data.set(ValueLayout.JAVA_BYTE, k, (byte) (k * 13 + i));
            MemorySegment serverBuf = arena.allocate(8192);
            MemorySegment clientBuf = arena.allocate(16384);
            MemorySegment echoed = arena.allocate(total);
            long[] sent = {0};
            long[] got = {0};
            boolean[] serverDone = {false};
            boolean[] clientEof = {false};
            Completion serverOp = new Completion();
            long[] pending = {0};
            long[] back = {0};
            dev.sluice.Handler[] server = new dev.sluice.Handler[1];
            server[0] = x -> {
                if (!x.ok()) throw new AssertionError(x.toString());
                if (x.op() == dev.sluice.Op.RECV) {
                    if (x.result() == 0) {
                        c[1].close();
                        serverDone[0] = true;
                        return;
                    }
                    pending[0] = x.result();
                    back[0] = 0;
                } else {
                    back[0] += x.result();
                }
                if (back[0] < pending[0]) ring.send(c[1], serverBuf.asSlice(back[0], pending[0] - back[0]), serverOp, server[0]);
                else ring.recv(c[1], serverBuf, serverOp, server[0]);
            };
            ring.recv(c[1], serverBuf, serverOp, server[0]);
            Completion clientSend = new Completion();
            dev.sluice.Handler[] sender = new dev.sluice.Handler[1];
            sender[0] = x -> {
                sent[0] += x.result();
                if (sent[0] < total) ring.send(c[0], data.asSlice(sent[0]), clientSend, sender[0]);
                else ring.shutdown(c[0], Shutdown.WRITE, clientSend, y -> { });
            };
            ring.send(c[0], data, clientSend, sender[0]);
            Completion clientRecv = new Completion();
            dev.sluice.Handler[] receiver = new dev.sluice.Handler[1];
            receiver[0] = x -> {
                if (x.result() <= 0) {
                    clientEof[0] = true;
                    return;
                }
                MemorySegment.copy(clientBuf, 0, echoed, got[0], x.result());
                got[0] += x.result();
                ring.recv(c[0], clientBuf, clientRecv, receiver[0]);
            };
            ring.recv(c[0], clientBuf, clientRecv, receiver[0]);
            int round = i;
            await(() -> serverDone[0] && clientEof[0], "round " + round + ": echo and both FINs (got " + got[0] + ")");
            assertEquals(total, got[0]);
            assertEquals(-1, echoed.mismatch(data));
            c[0].close();
            listener.close();
        }
    }
}
