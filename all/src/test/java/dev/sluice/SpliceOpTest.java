package dev.sluice;

import static org.junit.jupiter.api.Assertions.*;

import dev.sluice.spi.Operation;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The SPLICE operation itself, on every backend that splices (the package-private
 * {@link Ring#splice} that {@link Join} uses): bytes and EOF, cancel, deadline, closing the
 * socket, and cancelling a pipe-to-socket splice stuck on a peer that does not read, after which
 * the result says exactly how many bytes left the pipe.
 */
@Timeout(60)
class SpliceOpTest {
    private static final long WAIT_NANOS = TimeUnit.SECONDS.toNanos(30);
    private static final int PIPE_BYTES = 64 * 1024;

    static Stream<String> backends() {
        return Backends.available().stream();
    }

    private static Ring open(String backend) throws SluiceException {
        Ring ring = Ring.open(RingConfig.DEFAULT.withBackend(backend));
        assertNotEquals(Support.UNSUPPORTED, ring.capabilities().support(Op.SPLICE), backend + " must splice on Linux");
        assertTrue(ring.capabilities().feature(Feature.SPLICE));
        return ring;
    }

    private static void await(Ring ring, BooleanSupplier done, String what) throws SluiceException {
        assertTrue(ring.runUntil(done, WAIT_NANOS), "timed out waiting for " + what + " on " + ring.backend().name());
    }

    private static Socket[] tcpPair(Ring ring) throws Exception {
        try (Socket listener = ring.listen(IPv4Address.LOOPBACK, 4)) {
            Socket client = ring.openTcp(Family.INET);
            CompletableFuture<Socket> accepted = ring.accept(listener);
            CompletableFuture<Void> connected = ring.connect(client, listener.localAddress());
            await(ring, () -> accepted.isDone() && connected.isDone(), "a TCP connection");
            connected.get();
            return new Socket[] {client, accepted.get()};
        }
    }

    private static Completion splice(Ring ring, Socket s, long pipe, int direction, int length, Completion c) {
        ring.splice(s, pipe, direction, length, c, x -> { });
        return c;
    }

    private static MemorySegment bytes(Arena arena, byte[] b) {
        MemorySegment m = arena.allocate(Math.max(1, b.length));
        m.copyFrom(MemorySegment.ofArray(b));
        return m;
    }

    @ParameterizedTest(name = "[{0}]")
    @MethodSource("backends")
    void movesBytesThroughAPipeAndReportsEof(String backend) throws Exception {
        try (Ring ring = open(backend); Arena arena = Arena.ofConfined()) {
            Socket[] in = tcpPair(ring);
            Socket[] out = tcpPair(ring);
            long[] pipe = ring.openPipe(PIPE_BYTES);
            try {
                byte[] message = new byte[10_000];
                new Random(1).nextBytes(message);
                CompletableFuture<Integer> sent = ring.send(in[0], bytes(arena, message));
                Completion fill = splice(ring, in[1], pipe[1], Operation.SPLICE_SOCKET_TO_PIPE, (int) pipe[2], new Completion());
                await(ring, () -> sent.isDone() && !fill.isPending(), "socket to pipe");
                assertTrue(fill.ok(), fill::describe);
                int held = fill.result();
                assertTrue(held > 0 && held <= message.length, "held " + held);
                int moved = 0;
                while (moved < held) {
                    Completion drain = splice(ring, out[0], pipe[0], Operation.SPLICE_PIPE_TO_SOCKET, held - moved, new Completion());
                    await(ring, () -> !drain.isPending(), "pipe to socket");
                    assertTrue(drain.ok(), drain::describe);
                    moved += drain.result();
                }
                MemorySegment got = arena.allocate(held);
                int at = 0;
                while (at < held) {
                    CompletableFuture<Integer> r = ring.recv(out[1], got.asSlice(at));
                    await(ring, r::isDone, "recv");
                    at += r.get();
                }
                assertArrayEquals(Arrays.copyOf(message, held), got.toArray(ValueLayout.JAVA_BYTE));

                // EOF: the rest of the message first, then 0.
                in[0].close();
                int rest = 0;
                while (true) {
                    Completion more = splice(ring, in[1], pipe[1], Operation.SPLICE_SOCKET_TO_PIPE, (int) pipe[2], new Completion());
                    await(ring, () -> !more.isPending(), "socket to pipe at EOF");
                    assertTrue(more.ok(), more::describe);
                    if (more.result() == 0) break;
                    rest += more.result();
                    MemorySegment sink = arena.allocate(more.result());
                    int r = 0;
                    while (r < more.result()) r += Math.max(0, ring.sockets().readNow(pipe[0], sink.asSlice(r)));
                }
                assertEquals(message.length - held, rest);
            } finally {
                ring.closeHandle(pipe[0]);
                ring.closeHandle(pipe[1]);
            }
        }
    }

    /**
     * SPLICE_PUMP (socket → pipe → socket in one operation): a 2 MiB stream through a pump whose
     * destination has small buffers and is not read at first, so pumps stop with bytes left in the
     * pipe (held), which plain splices then write; every byte arrives once and in order, and the
     * source's end of stream comes back as 0 with nothing held.
     */
    @ParameterizedTest(name = "[{0}]")
    @MethodSource("backends")
    void pumpMovesAStreamReportsHeldBytesAndEof(String backend) throws Exception {
        try (Ring ring = open(backend); Arena arena = Arena.ofShared()) {
            assertTrue(ring.canPump(), backend + " should pump");
            Socket[] in = tcpPair(ring);
            Socket[] out = tcpPair(ring);
            out[0].setOption(SocketOption.SEND_BUFFER, 16 * 1024);
            out[1].setOption(SocketOption.RECEIVE_BUFFER, 16 * 1024);
            long[] pipe = ring.openPipe(PIPE_BYTES);
            byte[] message = new byte[2 * 1024 * 1024];
            new Random(7).nextBytes(message);
            MemorySegment src = bytes(arena, message);
            MemorySegment dst = arena.allocate(message.length + 1);
            var st = new Object() {
                long sent;
                long delivered;
                int held;
                long received;
                int pumps;
                int heldSeen;
                boolean eof;
                boolean reading;
                boolean done;
                String failure;
            };
            Completion send = new Completion();
            Completion pump = new Completion();
            Completion drain = new Completion();
            Completion recv = new Completion();
            try {
                Handler[] h = new Handler[4];
                Runnable[] startReading = new Runnable[1];
                h[0] = c -> { // send
                    if (!c.ok()) {
                        st.failure = c.describe();
                        return;
                    }
                    st.sent += c.result();
                    if (st.sent < message.length) ring.send(in[0], src, st.sent, (int) Math.min(64 * 1024, message.length - st.sent), send, h[0]);
                    else in[0].close();
                };
                h[1] = c -> { // pump
                    st.pumps++;
                    if (!c.ok()) {
                        st.failure = c.describe();
                        return;
                    }
                    st.delivered += c.result();
                    st.held = c.spliceHeld();
                    assertTrue(st.held >= 0 && st.held <= pipe[2], "held " + st.held);
                    if (st.held > 0) {
                        st.heldSeen++;
                        startReading[0].run();
                        ring.splice(out[0], pipe[0], Operation.SPLICE_PIPE_TO_SOCKET, st.held, drain, h[2]);
                    } else if (c.result() > 0) {
                        ring.pump(in[1], pipe[1], pipe[0], out[0], (int) pipe[2], pump, h[1]);
                    } else {
                        st.eof = true;
                        out[0].close();
                        startReading[0].run();
                    }
                };
                h[2] = c -> { // drain
                    if (!c.ok()) {
                        st.failure = c.describe();
                        return;
                    }
                    st.held -= c.result();
                    st.delivered += c.result();
                    if (st.held > 0) ring.splice(out[0], pipe[0], Operation.SPLICE_PIPE_TO_SOCKET, st.held, drain, h[2]);
                    else ring.pump(in[1], pipe[1], pipe[0], out[0], (int) pipe[2], pump, h[1]);
                };
                h[3] = c -> { // recv
                    if (!c.ok()) {
                        st.failure = c.describe();
                        return;
                    }
                    if (c.result() == 0) {
                        st.done = true;
                        return;
                    }
                    st.received += c.result();
                    ring.recv(out[1], dst, st.received, (int) (dst.byteSize() - st.received), recv, h[3]);
                };
                startReading[0] = () -> {
                    if (st.reading) return;
                    st.reading = true;
                    ring.recv(out[1], dst, 0, (int) dst.byteSize(), recv, h[3]);
                };
                ring.send(in[0], src, 0, 64 * 1024, send, h[0]);
                ring.pump(in[1], pipe[1], pipe[0], out[0], (int) pipe[2], pump, h[1]);
                await(ring, () -> st.done || st.failure != null, "the stream through pumps");
                assertNull(st.failure);
                assertTrue(st.eof);
                assertEquals(0, st.held);
                assertEquals(message.length, st.delivered);
                assertEquals(message.length, st.received);
                assertArrayEquals(message, dst.asSlice(0, message.length).toArray(ValueLayout.JAVA_BYTE));
                assertTrue(st.heldSeen > 0, "a destination that is not read must leave bytes in the pipe");
                assertTrue(st.pumps < message.length / 4096, "pumps " + st.pumps);
            } finally {
                ring.closeHandle(pipe[0]);
                ring.closeHandle(pipe[1]);
                for (Socket x : new Socket[] {in[1], out[1]}) x.close();
            }
        }
    }

    /**
     * A pump whose bursts are delivered whole and leave the source dry stays pending between them
     * (parked in the backend, counting in spliceMoved) instead of completing per burst. Stopped
     * from outside it reports what it moved, never ECANCELED: cancelled (the cancel completes 0),
     * or its source socket closed. Ended by the source's end of stream, it reports its bytes, and
     * the next pump reports the 0.
     */
    @ParameterizedTest(name = "[{0}]")
    @MethodSource("backends")
    void aPumpParksBetweenBurstsAndReportsItsBytesWhenStopped(String backend) throws Exception {
        // Parking is opt-in; the backends read the switch when they open.
        String before = System.getProperty("sluice.splice.pumpReportBytes");
        System.setProperty("sluice.splice.pumpReportBytes", String.valueOf(1 << 20));
        Ring opened;
        try {
            opened = open(backend);
        } finally {
            if (before == null) System.clearProperty("sluice.splice.pumpReportBytes");
            else System.setProperty("sluice.splice.pumpReportBytes", before);
        }
        try (Ring ring = opened; Arena arena = Arena.ofConfined()) {
            Socket[] in = tcpPair(ring);
            Socket[] out = tcpPair(ring);
            long[] pipe = ring.openPipe(PIPE_BYTES);
            MemorySegment got = arena.allocate(64 * 1024);
            try {
                // Bursts then cancel.
                Completion pump = new Completion();
                ring.pump(in[1], pipe[1], pipe[0], out[0], (int) pipe[2], pump, c -> { });
                int moved = 0;
                for (int burst : new int[] {1000, 3000, 20_000}) {
                    CompletableFuture<Integer> sent = ring.send(in[0], bytes(arena, new byte[burst]));
                    int received = 0;
                    while (received < burst) {
                        CompletableFuture<Integer> r = ring.recv(out[1], got);
                        await(ring, r::isDone, "burst at the destination");
                        received += r.get();
                    }
                    await(ring, sent::isDone, "send");
                    moved += burst;
                    assertTrue(pump.isPending(), "a pump that has nothing to report stays pending: " + pump.describe());
                    assertEquals(moved, pump.spliceMoved());
                }
                CompletableFuture<Void> cancelled = new CompletableFuture<>();
                Completion cancel = new Completion();
                ring.cancel(pump, cancel, c -> cancelled.complete(null));
                await(ring, () -> !pump.isPending() && cancelled.isDone(), "a cancelled parked pump");
                assertTrue(pump.ok(), pump::describe);
                assertEquals(moved, pump.result());
                assertEquals(0, pump.spliceHeld());
                assertTrue(cancel.ok(), cancel::describe);

                // A burst, then the source's end of stream: the bytes, then 0 from the next pump.
                Completion ending = new Completion();
                ring.pump(in[1], pipe[1], pipe[0], out[0], (int) pipe[2], ending, c -> { });
                CompletableFuture<Integer> sent = ring.send(in[0], bytes(arena, new byte[500]));
                CompletableFuture<Integer> r = ring.recv(out[1], got);
                await(ring, () -> sent.isDone() && r.isDone(), "a burst");
                assertTrue(ending.isPending(), ending::describe);
                in[0].close();
                await(ring, () -> !ending.isPending(), "a parked pump at end of stream");
                assertTrue(ending.ok(), ending::describe);
                assertEquals(500, ending.result());
                Completion eof = new Completion();
                ring.pump(in[1], pipe[1], pipe[0], out[0], (int) pipe[2], eof, c -> { });
                await(ring, () -> !eof.isPending(), "the pump after end of stream");
                assertEquals(0, eof.result(), eof::describe);
                assertEquals(0, eof.spliceHeld());

                // A burst, then its source socket closed under it.
                Socket[] in2 = tcpPair(ring);
                Completion closed = new Completion();
                ring.pump(in2[1], pipe[1], pipe[0], out[0], (int) pipe[2], closed, c -> { });
                CompletableFuture<Integer> sent2 = ring.send(in2[0], bytes(arena, new byte[700]));
                CompletableFuture<Integer> r2 = ring.recv(out[1], got);
                await(ring, () -> sent2.isDone() && r2.isDone(), "a burst");
                assertTrue(closed.isPending(), closed::describe);
                in2[1].close();
                await(ring, () -> !closed.isPending(), "a parked pump whose socket was closed");
                assertTrue(closed.ok(), closed::describe);
                assertEquals(700, closed.result());
                in2[0].close();
            } finally {
                ring.closeHandle(pipe[0]);
                ring.closeHandle(pipe[1]);
            }
        }
    }

    @ParameterizedTest(name = "[{0}]")
    @MethodSource("backends")
    void cancelDeadlineAndCloseEndAnIdleSplice(String backend) throws Exception {
        try (Ring ring = open(backend)) {
            Socket[] p = tcpPair(ring);
            Socket[] q = tcpPair(ring);
            long[] pipe = ring.openPipe(PIPE_BYTES);
            try {
                // Cancel: no byte ever arrives, the splice ends with ECANCELED, its cancel with 0.
                Completion idle = splice(ring, p[1], pipe[1], Operation.SPLICE_SOCKET_TO_PIPE, PIPE_BYTES, new Completion());
                ring.tick();
                CompletableFuture<Void> cancelled = new CompletableFuture<>();
                Completion cancel = new Completion();
                ring.cancel(idle, cancel, c -> cancelled.complete(null));
                await(ring, () -> !idle.isPending() && cancelled.isDone(), "a cancelled splice");
                assertEquals(Errno.ECANCELED, idle.error(), idle::describe);
                assertTrue(cancel.ok(), cancel::describe);

                // Deadline: ETIMEDOUT.
                Completion bounded = new Completion().timeoutNanos(TimeUnit.MILLISECONDS.toNanos(50));
                splice(ring, p[1], pipe[1], Operation.SPLICE_SOCKET_TO_PIPE, PIPE_BYTES, bounded);
                await(ring, () -> !bounded.isPending(), "a splice past its deadline");
                assertEquals(Errno.ETIMEDOUT, bounded.error(), bounded::describe);

                // Closing the socket: ECANCELED.
                Completion closed = splice(ring, q[1], pipe[1], Operation.SPLICE_SOCKET_TO_PIPE, PIPE_BYTES, new Completion());
                ring.tick();
                q[1].close();
                await(ring, () -> !closed.isPending(), "a splice whose socket was closed");
                assertEquals(Errno.ECANCELED, closed.error(), closed::describe);

                // The socket of the cancelled splices still works.
                try (Arena arena = Arena.ofConfined()) {
                    CompletableFuture<Integer> sent = ring.send(p[0], bytes(arena, new byte[] {42}));
                    Completion after = splice(ring, p[1], pipe[1], Operation.SPLICE_SOCKET_TO_PIPE, PIPE_BYTES, new Completion());
                    await(ring, () -> sent.isDone() && !after.isPending(), "a splice after cancelled ones");
                    assertEquals(1, after.result(), after::describe);
                }
            } finally {
                ring.closeHandle(pipe[0]);
                ring.closeHandle(pipe[1]);
            }
        }
    }

    @ParameterizedTest(name = "[{0}]")
    @MethodSource("backends")
    void cancellingAStuckPipeToSocketSpliceTellsExactlyWhatMoved(String backend) throws Exception {
        try (Ring ring = open(backend); Arena arena = Arena.ofConfined()) {
            Socket[] src = tcpPair(ring);
            Socket[] dst = tcpPair(ring);
            // Small socket buffers, so the peer that never reads stops the splice well before the pipe is empty.
            dst[0].setOption(SocketOption.SEND_BUFFER, 8192);
            dst[1].setOption(SocketOption.RECEIVE_BUFFER, 8192);
            long[] pipe = ring.openPipe(1 << 20);
            try {
                // Fill the pipe with a known pattern.
                int want = (int) Math.min(pipe[2], 1 << 20);
                byte[] pattern = new byte[want];
                new Random(2).nextBytes(pattern);
                MemorySegment data = bytes(arena, pattern);
                int held = 0;
                int sentAt = 0;
                while (held < want) {
                    if (sentAt < want) {
                        CompletableFuture<Integer> s = ring.send(src[0], data.asSlice(sentAt));
                        await(ring, s::isDone, "send");
                        sentAt += s.get();
                    }
                    Completion fill = splice(ring, src[1], pipe[1], Operation.SPLICE_SOCKET_TO_PIPE, want - held, new Completion());
                    await(ring, () -> !fill.isPending(), "fill");
                    assertTrue(fill.ok(), fill::describe);
                    held += fill.result();
                }
                // Nobody reads dst[1]: keep splicing into dst[0] until a splice stays pending, then cancel it.
                long delivered = 0;
                Completion stuck = null;
                while (held > 0) {
                    Completion drain = splice(ring, dst[0], pipe[0], Operation.SPLICE_PIPE_TO_SOCKET, held, new Completion());
                    ring.runUntil(() -> !drain.isPending(), TimeUnit.MILLISECONDS.toNanos(200));
                    if (drain.isPending()) {
                        stuck = drain;
                        break;
                    }
                    assertTrue(drain.ok(), drain::describe);
                    held -= drain.result();
                    delivered += drain.result();
                }
                assertNotNull(stuck, "a socket buffer swallowed " + want + " bytes; the peer never reads, so a splice must stall");
                Completion stalled = stuck;
                ring.cancel(stalled, new Completion(), c -> { });
                await(ring, () -> !stalled.isPending(), "a cancelled stuck splice");
                if (stalled.ok()) {
                    held -= stalled.result();
                    delivered += stalled.result();
                } else {
                    assertEquals(Errno.ECANCELED, stalled.error(), stalled::describe);
                }
                // What the pipe still holds is exactly the rest of the pattern.
                MemorySegment rest = arena.allocate(Math.max(1, held));
                int got = 0;
                while (got < held) {
                    int n = ring.sockets().readNow(pipe[0], rest.asSlice(got, held - got));
                    assertTrue(n > 0, "the pipe held " + got + " of " + held + " bytes");
                    got += n;
                }
                assertArrayEquals(Arrays.copyOfRange(pattern, (int) delivered, want), rest.asSlice(0, held).toArray(ValueLayout.JAVA_BYTE));
                // And the peer gets exactly the first `delivered` bytes.
                dst[0].close();
                MemorySegment buf = arena.allocate(1 << 16);
                long read = 0;
                byte[] seen = new byte[(int) delivered];
                while (true) {
                    CompletableFuture<Integer> r = ring.recv(dst[1], buf);
                    await(ring, r::isDone, "recv at the peer");
                    int n = r.get();
                    if (n == 0) break;
                    assertTrue(read + n <= delivered, "the peer got more than the splices reported");
                    MemorySegment.copy(buf, ValueLayout.JAVA_BYTE, 0, seen, (int) read, n);
                    read += n;
                }
                assertEquals(delivered, read);
                assertArrayEquals(Arrays.copyOf(pattern, (int) delivered), seen);
            } finally {
                ring.closeHandle(pipe[0]);
                ring.closeHandle(pipe[1]);
            }
        }
    }
}
