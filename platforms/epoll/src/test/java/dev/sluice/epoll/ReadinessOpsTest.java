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
}
