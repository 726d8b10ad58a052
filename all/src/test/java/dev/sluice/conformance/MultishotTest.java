package dev.sluice.conformance;

import static dev.sluice.conformance.Conformance.await;
import static dev.sluice.conformance.Conformance.failed;
import static dev.sluice.conformance.Conformance.ok;
import static dev.sluice.conformance.Conformance.segment;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.BufferPool;
import dev.sluice.Completion;
import dev.sluice.Errno;
import dev.sluice.Family;
import dev.sluice.IPv4Address;
import dev.sluice.Ring;
import dev.sluice.Shutdown;
import dev.sluice.Socket;
import dev.sluice.SocketOption;
import dev.sluice.SocketType;
import java.io.ByteArrayOutputStream;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Multishot accept and multishot receive into a {@link BufferPool}: one request, many results,
 * each handed to the handler with {@code more()} true, then exactly one final result. Results
 * produced before a cancel or close are still delivered; a pool that runs dry pauses the receive
 * without losing a byte (io_uring's ENOBUFS is handled inside); buffers come back to the pool.
 */
class MultishotTest extends RingTest {

    /** The bytes of one multishot receive result, copied out of its pool buffer. */
    private static byte[] received(Completion c) {
        return c.buffer().asSlice(0, c.result()).toArray(ValueLayout.JAVA_BYTE);
    }

    @Test
    void acceptMultishotTakesManyConnectionsThenCancels() throws Exception {
        try (Ring ring = open()) {
            Socket listener = ring.listen(IPv4Address.LOOPBACK, 128);
            List<Socket> accepted = new ArrayList<>();
            int[] finals = {0};
            Completion acceptAll = new Completion();
            ring.acceptMultishot(listener, acceptAll, c -> {
                if (c.more()) {
                    accepted.add(ok(c).accepted());
                } else {
                    finals[0]++;
                }
            });
            int clients = 60;
            Socket[] client = new Socket[clients];
            int[] connected = {0};
            for (int i = 0; i < clients; i++) {
                client[i] = ring.openTcp(Family.INET);
                ring.connect(client[i], listener.localAddress(), new Completion(), c -> {
                    ok(c);
                    connected[0]++;
                });
            }
            await(ring, () -> connected[0] == clients && accepted.size() == clients, clients + " connections accepted by one multishot accept");
            assertTrue(acceptAll.isPending(), "the multishot accept goes on after its results");
            assertEquals(0, finals[0]);

            // Every accepted socket is a live connection: a byte sent on it reaches one of the clients.
            MemorySegment one = segment(new byte[] {42});
            int[] sent = {0};
            for (Socket s : accepted) ring.send(s, one, new Completion(), c -> sent[0] += ok(c).result());
            int[] received = {0};
            for (Socket s : client) ring.recv(s, Conformance.allocate(8), new Completion(), c -> received[0] += ok(c).result());
            await(ring, () -> sent[0] == clients && received[0] == clients, "a byte over each accepted connection");

            Completion cancel = new Completion();
            ring.cancel(acceptAll, cancel, c -> ok(c));
            await(ring, () -> finals[0] == 1 && !cancel.isPending(), "the multishot accept's final result after a cancel");
            failed(acceptAll, Errno.ECANCELED);
            assertFalse(acceptAll.more());
            assertEquals(clients, accepted.size(), "no connection reported after the final result");

            // The listener still accepts, one at a time.
            Socket late = ring.openTcp(Family.INET);
            Socket[] got = {null};
            ring.accept(listener, new Completion(), c -> got[0] = ok(c).accepted());
            ring.connect(late, listener.localAddress(), new Completion(), c -> ok(c));
            await(ring, () -> got[0] != null, "a plain accept after the multishot one ended");
        }
    }

    @Test
    void recvMultishotDeliversAStreamInOrderThenEndOfStream() throws Exception {
        try (Ring ring = open()) {
            Socket[] pair = tcpPair(ring, IPv4Address.LOOPBACK);
            BufferPool pool = ring.openBufferPool(16, 4096);
            int total = 8 << 20;
            byte[] data = new Pattern(7).bytes(total);
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            Completion recv = new Completion();
            int[] results = {0, 0};
            ring.recvMultishot(pair[1], pool, recv, c -> {
                if (c.more()) {
                    ok(c);
                    assertTrue(c.result() > 0 && c.result() <= 4096, "one result fits one buffer: " + c.result());
                    assertTrue(c.bufferId() >= 0 && c.bufferId() < 16);
                    got.writeBytes(received(c));
                    results[0]++;
                } else {
                    results[1]++;
                }
            });
            SendAll send = new SendAll(ring, pair[0], segment(data), () -> ring.shutdown(pair[0], Shutdown.WRITE, new Completion(), c -> ok(c))).start();
            await(ring, () -> results[1] == 1, "end of stream through a multishot receive");
            assertTrue(send.done);
            ok(recv);
            assertEquals(0, recv.result(), "the final result of a stream that ended is 0");
            assertFalse(recv.more());
            assertArrayEquals(data, got.toByteArray(), "every byte, in order, once");
            assertTrue(results[0] >= total / 4096, "results: " + results[0]);
            assertEquals(16, pool.available(), "every buffer went back to the pool");
            assertEquals(0, pool.keptCount());
            pool.close();
        }
    }

    /**
     * A result the kernel posts outside the loop's wait must be delivered without another event.
     * The peer here writes from the ring's own thread with a plain syscall: on an io_uring ring
     * without DEFER_TASKRUN the receive's CQE is posted when that write returns, before the loop
     * turns; on epoll the data is there when the loop harvests. A loop that counted only final
     * results went to sleep with this one undelivered (an echo peer then waits forever). Without
     * a deadline that wait never ends, and the timeout fails the test.
     */
    @Test
    @org.junit.jupiter.api.Timeout(value = 30, unit = java.util.concurrent.TimeUnit.SECONDS,
            threadMode = org.junit.jupiter.api.Timeout.ThreadMode.SEPARATE_THREAD)
    void aResultPostedOutsideTheWaitIsDeliveredWithoutAnotherEvent() throws Exception {
        try (Ring ring = open(); java.net.Socket peer = new java.net.Socket()) {
            Socket listener = ring.listen(IPv4Address.LOOPBACK, 4);
            Socket[] accepted = {null};
            ring.accept(listener, new Completion(), c -> accepted[0] = ok(c).accepted());
            peer.connect(((IPv4Address) listener.localAddress()).toJava(), 10_000);
            await(ring, () -> accepted[0] != null, "the connection");
            listener.close();
            BufferPool pool = ring.openBufferPool(8, 256);
            int[] got = {0};
            Completion recv = new Completion();
            ring.recvMultishot(accepted[0], pool, recv, c -> {
                if (c.more()) got[0] += c.result();
            });
            ring.tick(); // the receive is armed, with nothing to read yet
            peer.getOutputStream().write(new byte[100]);
            // No deadline: nothing else will happen on this ring, so only the result itself can end the wait.
            assertTrue(ring.runUntil(() -> got[0] == 100, Long.MAX_VALUE));
            ring.cancel(recv, new Completion(), c -> { });
            await(ring, () -> recv.state() == dev.sluice.spi.Operation.State.IDLE, "the cancelled receive's end");
            pool.close();
        }
    }

    @Test
    void keptBuffersStarveTheReceiveWithoutLosingData() throws Exception {
        try (Ring ring = open()) {
            Socket[] pair = tcpPair(ring, IPv4Address.LOOPBACK);
            BufferPool pool = ring.openBufferPool(4, 1024);
            int total = 256 * 1024;
            byte[] data = new Pattern(11).bytes(total);
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            List<int[]> kept = new ArrayList<>();
            boolean[] ended = {false};
            Completion recv = new Completion();
            ring.recvMultishot(pair[1], pool, recv, c -> {
                if (!c.more()) {
                    ended[0] = true;
                    return;
                }
                ok(c);
                kept.add(new int[] {c.keepBuffer(), c.result()});
            });
            SendAll send = new SendAll(ring, pair[0], segment(data), () -> ring.shutdown(pair[0], Shutdown.WRITE, new Completion(), c -> ok(c))).start();
            int starvations = 0;
            while (!ended[0]) {
                // All four buffers kept: the receive must pause, not fail, whatever the kernel says meanwhile.
                await(ring, () -> kept.size() == 4 || ended[0], "the pool to run dry or the stream to end");
                if (kept.size() == 4) {
                    starvations++;
                    ring.run(2_000_000);
                    assertEquals(4, kept.size(), "no result can come while every buffer is kept");
                    assertTrue(recv.isPending(), "a starved multishot receive is paused, not ended");
                }
                for (int[] k : kept) {
                    got.write(pool.buffer(k[0]).asSlice(0, k[1]).toArray(ValueLayout.JAVA_BYTE), 0, k[1]);
                    pool.release(k[0]);
                }
                kept.clear();
            }
            assertTrue(send.done);
            ok(recv);
            assertEquals(0, recv.result());
            assertArrayEquals(data, got.toByteArray(), "no byte lost or reordered across " + starvations + " starvations");
            assertTrue(starvations > 0, "the pool ran dry at least once");
            assertThrows(IllegalStateException.class, () -> pool.release(0), "releasing a buffer that is not kept is refused");
            assertEquals(4, pool.available());
        }
    }

    @Test
    void cancelEndsTheReceiveAndThePlainRecvGetsTheRest() throws Exception {
        try (Ring ring = open()) {
            Socket[] pair = tcpPair(ring, IPv4Address.LOOPBACK);
            pair[1].setOption(SocketOption.RECEIVE_BUFFER, 16 * 1024);
            BufferPool pool = ring.openBufferPool(8, 2048);
            int total = 4 << 20;
            byte[] data = new Pattern(23).bytes(total);
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            Completion recv = new Completion();
            Completion cancel = new Completion();
            boolean[] ended = {false};
            ring.recvMultishot(pair[1], pool, recv, c -> {
                if (!c.more()) {
                    ended[0] = true;
                    return;
                }
                got.writeBytes(received(c));
                if (got.size() >= total / 4 && !cancel.isPending() && cancel.op() == null) ring.cancel(recv, cancel, x -> { });
            });
            SendAll send = new SendAll(ring, pair[0], segment(data), () -> ring.shutdown(pair[0], Shutdown.WRITE, new Completion(), c -> ok(c))).start();
            await(ring, () -> ended[0], "the multishot receive's final result after a cancel mid-stream");
            failed(recv, Errno.ECANCELED);
            int before = got.size();
            assertTrue(before >= total / 4 && before < total, "received before the cancel: " + before);
            RecvAll rest = new RecvAll(ring, pair[1], 64 * 1024, total - before, null).start();
            await(ring, () -> rest.done && send.done, "the rest of the stream with plain recv");
            got.write(rest.bytes(), 0, rest.bytes().length);
            assertArrayEquals(data, got.toByteArray(), "results before the cancel + plain recv after it == the stream");
            assertEquals(8, pool.available());
        }
    }

    @Test
    void peerResetEndsTheReceiveWithTheError() throws Exception {
        try (Ring ring = open()) {
            Socket[] pair = tcpPair(ring, IPv4Address.LOOPBACK);
            BufferPool pool = ring.openBufferPool(4, 512);
            Completion recv = new Completion();
            int[] calls = {0, 0};
            ring.recvMultishot(pair[1], pool, recv, c -> calls[c.more() ? 0 : 1]++);
            ring.send(pair[0], segment(new byte[100]), new Completion(), c -> ok(c));
            await(ring, () -> calls[0] == 1, "data before the reset");
            pair[0].setOption(SocketOption.LINGER_SECONDS, 0);
            pair[0].close();
            await(ring, () -> calls[1] == 1, "the final result after a reset");
            failed(recv, Errno.ECONNRESET);
            assertEquals(1, calls[0]);
        }
    }

    @Test
    void closingTheSocketOrTheRingEndsMultishotOperationsOnce() throws Exception {
        int[] finals = new int[3];
        Completion[] ops = {new Completion(), new Completion(), new Completion()};
        try (Ring ring = open()) {
            Socket[] pair = tcpPair(ring, IPv4Address.LOOPBACK);
            Socket listener = ring.listen(IPv4Address.LOOPBACK, 8);
            BufferPool pool = ring.openBufferPool(2, 256);
            Socket[] other = tcpPair(ring, IPv4Address.LOOPBACK);
            ring.recvMultishot(pair[1], pool, ops[0], c -> finals[0] += c.more() ? 0 : 1);
            ring.acceptMultishot(listener, ops[1], c -> finals[1] += c.more() ? 0 : 1);
            ring.recvMultishot(other[1], pool, ops[2], c -> finals[2] += c.more() ? 0 : 1);
            ring.tick();
            assertThrows(IllegalStateException.class, pool::close, "a pool in use cannot be closed");
            pair[1].close();
            await(ring, () -> finals[0] == 1, "the final result of a receive whose socket was closed");
            failed(ops[0], Errno.ECANCELED);
            assertTrue(ops[1].isPending() && ops[2].isPending());
        }
        assertArrayEquals(new int[] {1, 1, 1}, finals, "closing the ring ends each multishot operation exactly once");
        failed(ops[1], Errno.ECANCELED);
        failed(ops[2], Errno.ECANCELED);
    }

    @Test
    void echoOverManyConnectionsWithOneSharedPool() throws Exception {
        try (Ring ring = open()) {
            BufferPool pool = ring.openBufferPool(64, 2048);
            int connections = 40;
            int perConnection = 128 * 1024;
            Socket[][] pairs = new Socket[connections][];
            ByteArrayOutputStream[] echoed = new ByteArrayOutputStream[connections];
            byte[][] data = new byte[connections][];
            int[] ended = {0};
            for (int i = 0; i < connections; i++) {
                Socket[] p = tcpPair(ring, IPv4Address.LOOPBACK);
                pairs[i] = p;
                data[i] = new Pattern(100 + i).bytes(perConnection);
                echoed[i] = new ByteArrayOutputStream();
                // Server side: echo every result back with a copy (the buffer returns to the pool when the handler does).
                // The FIN goes out only after every echo send has completed: a SHUTDOWN is not ordered
                // after sends still in flight on either backend (both run shutdown(2) when it is
                // started), and a send overtaken by it fails with EPIPE (PITFALLS: half-close).
                int[] sending = {0};
                boolean[] eof = {false};
                Runnable finish = () -> {
                    if (eof[0] && sending[0] == 0) ring.shutdown(p[1], Shutdown.WRITE, new Completion(), x -> ok(x));
                };
                ring.recvMultishot(p[1], pool, new Completion(), c -> {
                    if (!c.more()) {
                        ok(c);
                        eof[0] = true;
                        finish.run();
                        return;
                    }
                    byte[] copy = received(c);
                    sending[0]++;
                    new SendAll(ring, p[1], segment(copy), () -> {
                        sending[0]--;
                        finish.run();
                    }).start();
                });
                int index = i;
                new SendAll(ring, p[0], segment(data[i]), () -> ring.shutdown(p[0], Shutdown.WRITE, new Completion(), x -> ok(x))).start();
                RecvAll[] back = new RecvAll[1];
                back[0] = new RecvAll(ring, p[0], 16 * 1024, perConnection, () -> {
                    echoed[index].write(back[0].bytes(), 0, back[0].bytes().length);
                    ended[0]++;
                }).start();
            }
            await(ring, () -> ended[0] == connections, connections + " echoes through multishot receives");
            for (int i = 0; i < connections; i++) assertArrayEquals(data[i], echoed[i].toByteArray(), "connection " + i);
        }
    }

    @Test
    void aHandlerThatThrowsLosesNoLaterResult() throws Exception {
        try (Ring ring = open()) {
            Socket[] pair = tcpPair(ring, IPv4Address.LOOPBACK);
            BufferPool pool = ring.openBufferPool(8, 256);
            int total = 64 * 1024;
            byte[] data = new Pattern(31).bytes(total);
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            boolean[] ended = {false};
            int[] calls = {0};
            ring.recvMultishot(pair[1], pool, new Completion(), c -> {
                if (!c.more()) {
                    ended[0] = true;
                    return;
                }
                got.writeBytes(received(c));
                if (++calls[0] % 10 == 3) throw new IllegalStateException("handler failure " + calls[0]);
            });
            new SendAll(ring, pair[0], segment(data), () -> ring.shutdown(pair[0], Shutdown.WRITE, new Completion(), c -> ok(c))).start();
            int thrown = 0;
            while (!ended[0]) {
                try {
                    await(ring, () -> ended[0], "end of stream despite handler failures");
                } catch (IllegalStateException e) {
                    assertTrue(e.getMessage().startsWith("handler failure"), e.getMessage());
                    thrown++;
                }
            }
            assertTrue(thrown > 0);
            assertArrayEquals(data, got.toByteArray(), "every result after a throwing handler call still arrived, in order");
            assertEquals(8, pool.available(), "buffers of the failed calls went back to the pool");
        }
    }

    @Test
    void closingTheRingFromAMultishotHandlerEndsEverythingOnce() throws Exception {
        Ring ring = open();
        Socket[] pair = tcpPair(ring, IPv4Address.LOOPBACK);
        BufferPool pool = ring.openBufferPool(4, 64);
        int[] calls = {0, 0};
        Completion recv = new Completion();
        ring.recvMultishot(pair[1], pool, recv, c -> {
            if (c.more()) {
                calls[0]++;
                ring.close();
            } else {
                calls[1]++;
            }
        });
        ring.send(pair[0], segment(new byte[200]), new Completion(), c -> { });
        ring.runUntil(() -> ring.isClosed(), Conformance.WAIT_NANOS);
        assertTrue(ring.isClosed());
        assertTrue(calls[0] >= 1, "at least the result whose handler closed the ring");
        assertEquals(1, calls[1], "one final result");
        failed(recv, Errno.ECANCELED);
        assertTrue(pool.isClosed(), "closing the ring closed its pool");
    }

    @Test
    void badArgumentsAreRefused() throws Exception {
        try (Ring ring = open()) {
            BufferPool pool = ring.openBufferPool(4, 64);
            Socket udp = ring.openUdp(Family.INET);
            assertThrows(IllegalArgumentException.class, () -> ring.recvMultishot(udp, pool, new Completion(), c -> { }));
            Socket[] pair = tcpPair(ring, IPv4Address.LOOPBACK);
            assertThrows(IllegalArgumentException.class,
                    () -> ring.recvMultishot(pair[0], pool, new Completion().timeoutNanos(1_000_000), c -> { }), "no deadline on multishot");
            assertThrows(IllegalArgumentException.class, () -> ring.openBufferPool(3, 64), "count must be a power of two");
            assertThrows(IllegalArgumentException.class, () -> ring.openBufferPool(4, 0));
            pool.close();
            assertThrows(IllegalStateException.class, () -> ring.recvMultishot(pair[0], pool, new Completion(), c -> { }));
            assertThrows(IllegalStateException.class, () -> pool.buffer(0).get(ValueLayout.JAVA_BYTE, 0), "a closed pool's memory is gone");
            assertEquals(SocketType.DGRAM, udp.type());
        }
    }
}
