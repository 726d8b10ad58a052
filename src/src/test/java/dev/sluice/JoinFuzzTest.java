package dev.sluice;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayOutputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link Join} over the simulated backend: client ↔ front joined to back ↔ server, random data
 * both ways in random chunks, short reads and writes, delays, shuffled completions, random
 * half-closes, resets and unjoins, on the splice and the copy path. Each seed runs on the test
 * thread with {@link Ring#tick()}, so it replays exactly.
 *
 * <p>Resets are checked as Linux reports them (see {@link SimBackend}): every socket the test
 * reads shows its bytes in order and ECONNRESET at most once, to a receive or a send, whichever
 * looks first; a receive reports it only after the last byte (then end of stream), and never
 * after end of stream. Where an RST set ECONNRESET and the test kept looking (receives to the end, then one
 * send), the error must have been seen exactly once: sockets the join hands back by unjoin
 * included, whether the kernel or the join took the error meanwhile.
 */
@Timeout(120)
class JoinFuzzTest {
    private static final int SEEDS = 200;
    private static final int TICKS_MAX = 400_000;
    /** Ticks without any byte moving before a seed counts as stalled (delays are a few polls). */
    private static final int STALL_TICKS = 10_000;

    enum Mode {
        /** Both sides send everything and FIN: the join finishes with every byte delivered. */
        FINISH,
        /** One side resets (SO_LINGER 0, close) partway: the join ends RESET and the other side sees it. */
        RESET,
        /** unjoin() at a random tick: nothing lost, nothing duplicated. */
        UNJOIN,
        /** The sim resets connections at random: the join ends, and no side ever sees bytes out of order. */
        SIM_RESETS,
        /**
         * unjoin() with resets around it (a peer's SO_LINGER 0 close, or an RST to both ends of a
         * connection): each socket handed back reports its reset exactly once, after its bytes.
         */
        UNJOIN_RESETS,
        /**
         * unjoin() at a random tick while both sides keep talking, the caller delivers the bytes
         * the join held, then joins the same two sockets again, to the end: every byte arrives
         * once, in order.
         */
        REJOIN,
        /**
         * REJOIN with resets around the unjoin: a reset that a socket keeps from the first join
         * reaches the caller's delivery or ends the second join (never a clean finish), and each
         * peer sees its reset exactly once.
         */
        REJOIN_RESETS
    }

    @Test
    void finishesSplicing() {
        long parks = SimBackend.PUMP_PARKS.get();
        run(Mode.FINISH, true, 1_000);
        assertTrue(SimBackend.PUMP_PARKS.get() > parks, "no seed parked a pump between bursts");
    }

    @Test
    void finishesCopying() {
        run(Mode.FINISH, false, 2_000);
    }

    @Test
    void passesResetsSplicing() {
        run(Mode.RESET, true, 3_000);
    }

    @Test
    void passesResetsCopying() {
        run(Mode.RESET, false, 4_000);
    }

    @Test
    void unjoinsWithoutLossSplicing() {
        long parks = SimBackend.PUMP_PARKS.get();
        run(Mode.UNJOIN, true, 5_000);
        assertTrue(SimBackend.PUMP_PARKS.get() > parks, "no seed parked a pump between bursts");
    }

    @Test
    void unjoinsWithoutLossCopying() {
        run(Mode.UNJOIN, false, 6_000);
    }

    @Test
    void unjoinsAroundResetsSplicing() {
        run(Mode.UNJOIN_RESETS, true, 9_000);
    }

    @Test
    void unjoinsAroundResetsCopying() {
        run(Mode.UNJOIN_RESETS, false, 10_000);
    }

    @Test
    void rejoinsSplicing() {
        run(Mode.REJOIN, true, 11_000);
    }

    @Test
    void rejoinsCopying() {
        run(Mode.REJOIN, false, 12_000);
    }

    @Test
    void rejoinsAroundResetsSplicing() {
        run(Mode.REJOIN_RESETS, true, 13_000);
    }

    @Test
    void rejoinsAroundResetsCopying() {
        run(Mode.REJOIN_RESETS, false, 14_000);
    }

    @Test
    void survivesRandomResets() {
        run(Mode.SIM_RESETS, true, 7_000);
        run(Mode.SIM_RESETS, false, 8_000);
    }

    private static void run(Mode mode, boolean splice, long base) {
        Fuzz.seeds("JoinFuzz " + mode + (splice ? " splice" : " copy"), base, SEEDS, seed -> {
            try {
                new Scenario(seed, mode, splice).run();
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
    }

    /**
     * One test-side socket: sends its data in random chunks (then maybe FIN), reads until end of
     * stream or an error other than ECONNRESET (after which a reset socket must read end of stream).
     */
    static final class Peer implements Handler {
        final String name;
        final Ring ring;
        final Socket socket;
        final byte[] data;
        final Random r;
        final Completion sendC = new Completion();
        final Completion recvC = new Completion();
        final Completion shutC = new Completion();
        final MemorySegment sendBuf;
        final MemorySegment recvBuf;
        final ByteArrayOutputStream got = new ByteArrayOutputStream();
        final int maxChunk;
        final int maxRead;
        boolean shutdownAtEnd;
        int resetAt = -1;
        int sent;
        boolean sending;
        boolean receiving;
        boolean shutting;
        boolean shutDone;
        boolean resetDone;
        boolean eof;
        boolean stopSending;
        boolean stopReceiving;
        Errno sendError;
        /** A receive's error other than ECONNRESET (which {@link #resetReports} counts). */
        Errno recvError;
        Errno shutError;
        /** ECONNRESET seen by this socket's receives and sends: at most once, as the kernel reports it. */
        int resetReports;
        /** The operation that saw the ECONNRESET. */
        String resetBy;

        Peer(String name, Ring ring, Socket socket, byte[] data, Random r, Arena arena) {
            this.name = name;
            this.ring = ring;
            this.socket = socket;
            this.data = data;
            this.r = r;
            this.maxChunk = 1 + r.nextInt(r.nextBoolean() ? 100 : 32768);
            this.maxRead = 1 + r.nextInt(r.nextBoolean() ? 100 : 32768);
            this.sendBuf = arena.allocate(maxChunk);
            this.recvBuf = arena.allocate(maxRead);
        }

        void pumpSend() {
            if (sending || shutting || !socket.isOpen() || sendError != null) return;
            if (resetAt >= 0 && sent >= resetAt) {
                resetNow();
                return;
            }
            if (stopSending) return;
            if (sent < data.length) {
                int n = 1 + r.nextInt(Math.min(maxChunk, data.length - sent));
                MemorySegment.copy(data, sent, sendBuf, ValueLayout.JAVA_BYTE, 0, n);
                sending = true;
                ring.send(socket, sendBuf, 0, n, sendC, this);
            } else if (shutdownAtEnd && !shutDone) {
                shutting = true;
                ring.shutdown(socket, Shutdown.WRITE, shutC, this);
            }
        }

        void pumpRecv() {
            if (receiving || eof || recvError != null || stopReceiving || !socket.isOpen()) return;
            receiving = true;
            ring.recv(socket, recvBuf, 0, 1 + r.nextInt(maxRead), recvC, this);
        }

        void resetNow() {
            try {
                socket.setOption(SocketOption.LINGER_SECONDS, 0);
            } catch (SluiceException e) {
                throw new AssertionError(e);
            }
            socket.close();
            resetDone = true;
        }

        /** Sends one byte now (after the reads ended: a reset socket must answer EPIPE, or its unreported reset). */
        void sendOne() {
            if (sending || shutting) throw new AssertionError(name + ": busy");
            sending = true;
            ring.send(socket, sendBuf, 0, 1, sendC, this);
        }

        /** The socket reported ECONNRESET: allowed once, and never after end of stream. */
        private void reportReset(String by) {
            if (eof) throw new AssertionError(name + ": ECONNRESET to a " + by + " after end of stream");
            if (resetReports > 0) throw new AssertionError(name + ": ECONNRESET reported twice, to a " + resetBy + " and then a " + by);
            resetReports++;
            resetBy = by;
        }

        /** Nothing more will be sent: all sent (and FIN'd if asked), stopped, reset, or failed. */
        boolean sendEnded() {
            if (sending || shutting) return false;
            return resetDone || sendError != null || stopSending || (sent == data.length && (!shutdownAtEnd || shutDone));
        }

        boolean recvEnded() {
            return !receiving && (eof || recvError != null || stopReceiving || !socket.isOpen());
        }

        @Override
        public void completed(Completion c) {
            if (c == sendC) {
                if (!sending) throw new AssertionError(name + ": send completed twice");
                sending = false;
                if (c.ok()) {
                    if (c.result() <= 0) throw new AssertionError(name + ": stream send moved " + c.result() + " bytes");
                    sent += c.result();
                } else {
                    if (c.error() == Errno.ECONNRESET) reportReset("send");
                    sendError = c.error();
                }
                pumpSend();
            } else if (c == recvC) {
                if (!receiving) throw new AssertionError(name + ": recv completed twice");
                receiving = false;
                if (c.ok() && c.result() == 0) {
                    eof = true;
                } else if (c.ok()) {
                    // Receives report the error only with the queue empty; a send may take it first (then bytes, then 0).
                    if ("recv".equals(resetBy)) throw new AssertionError(name + ": " + c.result() + " bytes received after a receive's ECONNRESET");
                    byte[] b = new byte[c.result()];
                    MemorySegment.copy(recvBuf, ValueLayout.JAVA_BYTE, 0, b, 0, b.length);
                    got.writeBytes(b);
                } else if (c.error() == Errno.ECONNRESET) {
                    reportReset("recv");
                } else {
                    recvError = c.error();
                }
                pumpRecv();
            } else {
                if (!shutting) throw new AssertionError(name + ": shutdown completed twice");
                shutting = false;
                shutDone = true;
                if (!c.ok()) shutError = c.error();
            }
        }

        @Override
        public String toString() {
            return name + "[sent " + sent + "/" + data.length + ", got " + got.size() + (eof ? ", eof" : "") + (recvError != null ? ", recv " + recvError : "")
                    + (resetReports > 0 ? ", ECONNRESET to a " + resetBy : "")
                    + (sendError != null ? ", send " + sendError : "") + (shutDone ? ", fin" : "") + (resetDone ? ", reset" : "")
                    + (sending ? ", sending" : "") + (receiving ? ", receiving" : "") + "]";
        }
    }

    static final class Scenario {
        final long seed;
        final Mode mode;
        final boolean splice;
        final Random r;
        Ring ring;
        SimBackend sim;
        Peer client;
        Peer server;
        Socket front;
        Socket back;
        Join join;
        long ticks;
        /** UNJOIN_RESETS: resets to do at given ticks ({@link #ticks}), each once. */
        final java.util.TreeMap<Long, Runnable> scheduled = new java.util.TreeMap<>();
        Arena arena;

        Scenario(long seed, Mode mode, boolean splice) {
            this.seed = seed;
            this.mode = mode;
            this.splice = splice;
            this.r = new Random(seed);
        }

        /** Random bytes; up to 300 KB, but less when the join's buffer is tiny, to keep each seed fast. */
        byte[] randomData(int bufferBytes) {
            int n = switch (r.nextInt(10)) {
                case 0 -> 0;
                case 1 -> r.nextInt(bufferBytes < 1024 ? 20_000 : 300_000);
                default -> r.nextInt(bufferBytes < 1024 ? 4_000 : 40_000);
            };
            byte[] b = new byte[n];
            r.nextBytes(b);
            return b;
        }

        void run() throws Exception {
            SimBackend.Faults faults = SimBackend.Faults.random(seed).withSplice(splice);
            if (mode == Mode.SIM_RESETS) faults = faults.withResetProb(0.001 + r.nextDouble() * 0.02);
            ring = SimBackend.open(faults, 64);
            sim = SimBackend.lastOpened();
            try (Arena arena = Arena.ofConfined()) {
                this.arena = arena;
                try {
                    UnixSocket[] p1 = ring.socketpair(SocketType.STREAM);
                    UnixSocket[] p2 = ring.socketpair(SocketType.STREAM);
                    Join.Options options = Join.Options.DEFAULT.withZeroCopy(splice)
                            .withPipeBytes(4096 + r.nextInt(65536 - 4096 + 1))
                            .withBufferBytes(1 + r.nextInt(r.nextBoolean() ? 64 : 16384));
                    int scale = splice ? options.pipeBytes() : options.bufferBytes();
                    client = new Peer("client", ring, p1[0], randomData(scale), r, arena);
                    front = p1[1];
                    back = p2[0];
                    server = new Peer("server", ring, p2[1], randomData(scale), r, arena);
                    join = Join.start(front, back, options);
                    assertEquals(splice, join.zeroCopy(), "splice path chosen from the capabilities");
                    switch (mode) {
                        case FINISH -> finish();
                        case RESET -> reset();
                        case UNJOIN -> unjoin(false);
                        case UNJOIN_RESETS -> unjoin(true);
                        case REJOIN -> rejoin(false, options);
                        case REJOIN_RESETS -> rejoin(true, options);
                        case SIM_RESETS -> simResets();
                    }
                    client.socket.close();
                    server.socket.close();
                    front.close();
                    back.close();
                    ring.tick();
                    assertEquals(0, ring.openSockets(), "sockets left open");
                } finally {
                    ring.close();
                }
                assertEquals(0, sim.inflight(), "operations left in the sim after the ring closed");
                assertEquals(0, sim.openHandles(), "handles (sockets or pipes) leaked\n" + sim.describe());
            }
        }

        /** Ticks until {@code done}, starting each peer's sends at a random tick. */
        void tickUntil(BooleanSupplier done, String what, long unjoinAt, Runnable atUnjoin) throws SluiceException {
            long clientStart = r.nextInt(4) == 0 ? r.nextInt(200) : 0;
            long serverStart = r.nextInt(4) == 0 ? r.nextInt(200) : 0;
            client.pumpRecv();
            server.pumpRecv();
            long lastProgress = 0;
            long progressSeen = -1;
            for (long t = 0; !done.getAsBoolean(); t++) {
                long progress = progress();
                if (progress != progressSeen) {
                    progressSeen = progress;
                    lastProgress = t;
                }
                if (t - lastProgress >= STALL_TICKS) throw new AssertionError("nothing moved for " + STALL_TICKS + " ticks (of " + t + ") waiting for " + what + "\n" + state());
                if (t == clientStart) client.pumpSend();
                if (t == serverStart) server.pumpSend();
                if (t == unjoinAt) atUnjoin.run();
                tick();
            }
        }

        /** One loop turn, after any reset scheduled for this tick. */
        void tick() throws SluiceException {
            Runnable due = scheduled.remove(ticks);
            if (due != null) due.run();
            ring.tick();
            ticks++;
        }

        /** Changes whenever a byte, FIN or error moves anywhere. */
        long progress() {
            long p = client.sent + client.got.size() + server.sent + server.got.size() + join.bytesAtoB() + join.bytesBtoA();
            for (Peer x : new Peer[] {client, server}) {
                p = p * 31 + (x.eof ? 1 : 0) + (x.shutDone ? 2 : 0) + (x.resetDone ? 4 : 0) + (x.recvError != null ? 8 : 0) + (x.sendError != null ? 16 : 0);
            }
            return p * 31 + (join.ended().isDone() ? 1 : 0);
        }

        String state() {
            return client + "\n" + server + "\njoin " + join.bytesAtoB() + "/" + join.bytesBtoA() + " " + (join.ended().isDone() ? join.ended().join() : "running")
                    + "\n" + sim.describe();
        }

        void finish() throws SluiceException {
            client.shutdownAtEnd = server.shutdownAtEnd = true;
            tickUntil(() -> join.ended().isDone() && client.eof && server.eof && client.sendEnded() && server.sendEnded(), "the join to finish", -1, null);
            Join.Ended ended = join.ended().join();
            assertEquals(Join.Reason.FINISHED, ended.reason(), () -> "reason; cause " + ended.cause() + "\n" + state());
            assertNull(ended.cause());
            assertEquals(client.data.length, ended.bytesAtoB(), "bytes client to server");
            assertEquals(server.data.length, ended.bytesBtoA(), "bytes server to client");
            assertBytes(client.data, server.got.toByteArray(), "server received (FIN after all data)");
            assertBytes(server.data, client.got.toByteArray(), "client received (FIN after all data)");
            assertNull(client.shutError);
            assertNull(server.shutError);
            assertFalse(front.isOpen() || back.isOpen(), "the join closes its sockets when it ends");
        }

        void reset() throws SluiceException {
            Peer resetter = r.nextBoolean() ? client : server;
            Peer survivor = resetter == client ? server : client;
            resetter.resetAt = resetter.data.length == 0 ? 0 : r.nextInt(resetter.data.length);
            survivor.shutdownAtEnd = r.nextBoolean();
            tickUntil(() -> join.ended().isDone() && resetter.resetDone && survivor.recvEnded() && survivor.sendEnded(), "the reset to pass", -1, null);
            Join.Ended ended = join.ended().join();
            assertEquals(Join.Reason.RESET, ended.reason(), () -> "reason; cause " + ended.cause() + "\n" + state());
            Errno cause = ended.cause().errno();
            assertTrue(cause == Errno.ECONNRESET || cause == Errno.EPIPE, "cause " + ended.cause());
            assertEquals(Errno.ECONNRESET, sim.resetError(survivor.socket.handle()), () -> "the join passes the reset on\n" + state());
            assertNull(survivor.recvError, () -> "the survivor reads to the end\n" + state());
            assertEquals(1, survivor.resetReports, () -> "the survivor sees the reset once\n" + state());
            assertPrefix(resetter.data, resetter.sent, survivor.got.toByteArray(), survivor.name + " received");
            assertPrefix(survivor.data, survivor.sent, resetter.got.toByteArray(), resetter.name + " received");
            Peer a = client;
            assertTrue(ended.bytesAtoB() <= a.sent && ended.bytesBtoA() <= server.sent, "delivered more than was sent");
        }

        void unjoin(boolean resets) throws SluiceException {
            client.shutdownAtEnd = r.nextBoolean();
            server.shutdownAtEnd = r.nextBoolean();
            long at = r.nextInt(r.nextBoolean() ? 30 : 600);
            if (resets) scheduleResets(at);
            @SuppressWarnings("unchecked")
            CompletableFuture<Join.Unjoined>[] f = new CompletableFuture[1];
            tickUntil(() -> f[0] != null, "the unjoin tick", at, () -> f[0] = join.unjoin());
            client.stopSending = server.stopSending = true;
            tickUntil(() -> f[0].isDone(), "unjoin to complete", -1, null);
            if (f[0].isCompletedExceptionally()) {
                // The join ended before the unjoin: both sides had FIN'd (or, with resets, one reset).
                assertThrows(IllegalStateException.class, () -> {
                    try {
                        f[0].join();
                    } catch (java.util.concurrent.CompletionException e) {
                        throw e.getCause();
                    }
                });
                Join.Reason reason = join.ended().join().reason();
                if (resets) {
                    assertTrue(reason == Join.Reason.FINISHED || reason == Join.Reason.RESET, () -> "reason " + reason + "\n" + state());
                    return;
                }
                assertEquals(Join.Reason.FINISHED, reason);
                client.stopSending = server.stopSending = false;
                tickUntil(() -> client.eof && server.eof, "the finished join's EOFs", -1, null);
                assertBytes(client.data, server.got.toByteArray(), "server received");
                assertBytes(server.data, client.got.toByteArray(), "client received");
                return;
            }
            Join.Unjoined u = f[0].join();
            assertSame(front, u.a());
            assertSame(back, u.b());
            assertTrue(front.isOpen() && back.isOpen(), "unjoined sockets stay open");
            Join.Ended ended = join.ended().join();
            assertEquals(Join.Reason.UNJOINED, ended.reason());
            // Read front and back through the ring from now on, as a caller would, while the peers stop:
            // cancel their receives and let their last sends land.
            Peer frontReader = new Peer("front", ring, front, new byte[0], r, arena);
            Peer backReader = new Peer("back", ring, back, new byte[0], r, arena);
            frontReader.pumpRecv();
            backReader.pumpRecv();
            client.stopReceiving = server.stopReceiving = true;
            if (client.receiving) ring.cancel(client.recvC, new Completion(), c -> { });
            if (server.receiving) ring.cancel(server.recvC, new Completion(), c -> { });
            for (long t = 0; client.sending || server.sending || client.shutting || server.shutting || client.receiving || server.receiving; t++) {
                if (t >= TICKS_MAX) throw new AssertionError("peers did not stop after unjoin\n" + state());
                tick();
            }
            byte[] atServer = received(server);
            byte[] atClient = received(client);
            // End the peers' streams (FIN, where their sockets still live) so front and back read to the end.
            client.socket.close();
            server.socket.close();
            for (long t = 0; !frontReader.recvEnded() || !backReader.recvEnded() || !scheduled.isEmpty(); t++) {
                if (t >= TICKS_MAX) throw new AssertionError("front and back did not read to the end after unjoin\n" + frontReader + "\n" + backReader + "\n" + state());
                tick();
            }
            // A reset socket answers a send with its unreported reset, or EPIPE.
            frontReader.sendOne();
            backReader.sendOne();
            for (long t = 0; frontReader.sending || backReader.sending; t++) {
                if (t >= TICKS_MAX) throw new AssertionError("the last sends did not complete\n" + state());
                tick();
            }
            for (Peer reader : new Peer[] {frontReader, backReader}) {
                assertNull(reader.recvError, () -> reader.name + " reads to the end\n" + reader);
                assertTrue(reader.eof, () -> reader.name + " reads end of stream\n" + reader);
                assertTrue(reader.sendError == Errno.EPIPE || reader.sendError == Errno.ECONNRESET || reader.sent == 1,
                        () -> reader.name + ": send after the end " + reader.sendError);
                assertResetSeenOnce(reader);
            }
            checkDirection(client, server, frontReader, front, ended.bytesAtoB(), atServer, u.pendingAtoB(), "client to server");
            checkDirection(server, client, backReader, back, ended.bytesBtoA(), atClient, u.pendingBtoA(), "server to client");
        }

        /** See {@link Mode#REJOIN} and {@link Mode#REJOIN_RESETS}. */
        void rejoin(boolean resets, Join.Options options) throws SluiceException {
            client.shutdownAtEnd = server.shutdownAtEnd = true;
            long at = r.nextInt(r.nextBoolean() ? 30 : 600);
            if (resets) scheduleResets(at);
            @SuppressWarnings("unchecked")
            CompletableFuture<Join.Unjoined>[] f = new CompletableFuture[1];
            tickUntil(() -> f[0] != null, "the unjoin tick", at, () -> f[0] = join.unjoin());
            // The peers go on sending and receiving: while unjoined, their bytes wait in front and back.
            tickUntil(() -> f[0].isDone(), "unjoin to complete", -1, null);
            Join first = join;
            Join.Ended firstEnded = first.ended().join();
            if (f[0].isCompletedExceptionally()) {
                // The join ended before the unjoin: both sides had FIN'd (or, with resets, one reset).
                assertTrue(firstEnded.reason() == Join.Reason.FINISHED || (resets && firstEnded.reason() == Join.Reason.RESET),
                        () -> "reason " + firstEnded + "\n" + state());
                if (firstEnded.reason() == Join.Reason.FINISHED) {
                    tickUntil(() -> client.recvEnded() && server.recvEnded(), "the finished join's EOFs", -1, null);
                    if (!resets) {
                        assertBytes(client.data, server.got.toByteArray(), "server received");
                        assertBytes(server.data, client.got.toByteArray(), "client received");
                    }
                }
                return;
            }
            Join.Unjoined u = f[0].join();
            assertEquals(Join.Reason.UNJOINED, firstEnded.reason());
            if (resets && r.nextBoolean()) {
                // A join takes a reset only in the few turns while it stops, so few seeds get one that way; in half
                // of them one of the sockets is reset here and its error taken, as the join would have taken it.
                Socket x = r.nextBoolean() ? front : back;
                if (x.pendingError == null) {
                    sim.resetConnection(x.handle(), false);
                    Errno taken = sim.takeError(x.handle());
                    if (taken == Errno.ECONNRESET) {
                        x.pendingError = taken;
                        x.pendingNativeErrno = 104;
                    }
                }
            }
            Errno keptFront = front.pendingError;
            Errno keptBack = back.pendingError;
            // The caller's part: deliver what the join held, then join the same sockets again.
            Delivery toBack = new Delivery(ring, back, u.pendingAtoB(), arena);
            Delivery toFront = new Delivery(ring, front, u.pendingBtoA(), arena);
            for (long t = 0; !toBack.done || !toFront.done; t++) {
                if (t >= TICKS_MAX) throw new AssertionError("the held bytes were not delivered\n" + state());
                tick();
            }
            if (!resets) {
                assertNull(toBack.error, "delivery to back");
                assertNull(toFront.error, "delivery to front");
            }
            // A delivery takes a kept error as any send does, or a reset that arrived after the unjoin; then EPIPE.
            for (Delivery d : new Delivery[] {toBack, toFront}) {
                Errno kept = d == toBack ? keptBack : keptFront;
                Errno e = d.error;
                if (e == null || e == kept || e == Errno.EPIPE) continue;
                assertTrue(e == Errno.ECONNRESET && sim.resetError(d.to.handle()) == Errno.ECONNRESET,
                        () -> "delivery to " + (d == toBack ? "back" : "front") + ": " + e + ", kept " + kept + "\n" + state());
            }
            boolean keptReported = (keptBack == null || toBack.error == keptBack) && (keptFront == null || toFront.error == keptFront);
            join = Join.start(front, back, options);
            tickUntil(() -> join.ended().isDone() && client.recvEnded() && server.recvEnded() && client.sendEnded() && server.sendEnded(),
                    "the second join to end", -1, null);
            Join.Ended ended = join.ended().join();
            long atoB = firstEnded.bytesAtoB() + toBack.sent + ended.bytesAtoB();
            long btoA = firstEnded.bytesBtoA() + toFront.sent + ended.bytesBtoA();
            if (!resets) {
                assertEquals(Join.Reason.FINISHED, ended.reason(), () -> "reason; cause " + ended.cause() + "\n" + state());
                assertBytes(client.data, server.got.toByteArray(), "server received (first join, held bytes, second join)");
                assertBytes(server.data, client.got.toByteArray(), "client received (first join, held bytes, second join)");
                assertEquals(client.data.length, atoB, "bytes client to server, over both joins and the delivery");
                assertEquals(server.data.length, btoA, "bytes server to client, over both joins and the delivery");
                return;
            }
            assertTrue(ended.reason() == Join.Reason.FINISHED || ended.reason() == Join.Reason.RESET, () -> "reason " + ended + "\n" + state());
            if (ended.reason() == Join.Reason.RESET) {
                Errno cause = ended.cause().errno();
                assertTrue(cause == Errno.ECONNRESET || cause == Errno.EPIPE, "cause " + ended.cause());
            }
            // A reset kept from the first join must come out somewhere: in the delivery, or as the second join's end.
            if (!keptReported) {
                assertEquals(Join.Reason.RESET, ended.reason(), () -> "a kept reset (front " + keptFront + ", back " + keptBack
                        + ") went unreported: the second join ended " + ended + "\n" + state());
                // With the other socket never reset, the kept error is the only reset there is, so it is the cause
                // (not the EPIPE a write into the reset socket gets once the error is consumed).
                boolean frontUnreported = keptFront != null && toFront.error != keptFront;
                boolean backUnreported = keptBack != null && toBack.error != keptBack;
                Socket other = frontUnreported ? back : front;
                if (frontUnreported != backUnreported && sim.resetError(other.handle()) == null) {
                    Errno kept = frontUnreported ? keptFront : keptBack;
                    assertEquals(kept, ended.cause().errno(), () -> "the second join's cause, with " + (frontUnreported ? "front" : "back")
                            + " keeping " + kept + "\n" + state());
                }
            }
            // A peer that closed itself (its receive then fails ECANCELED) may have missed its reset; reportReset
            // already holds every peer to at most one.
            for (Peer p : new Peer[] {client, server}) {
                if (!p.resetDone && p.recvError == null) assertResetSeenOnce(p);
            }
            assertPrefix(client.data, client.sent, server.got.toByteArray(), "server received");
            assertPrefix(server.data, server.sent, client.got.toByteArray(), "client received");
            assertTrue(atoB <= client.sent && btoA <= server.sent, "delivered more than was sent");
        }

        /**
         * After unjoin, one direction's bytes: what reached {@code to} is the first part of what
         * the join delivered; what the join held plus what the caller then read from its socket
         * comes right after. Exact where no RST cut a queue.
         */
        void checkDirection(Peer from, Peer to, Peer reader, Socket joined, long delivered, byte[] atTo, byte[] pending, String what) {
            int d = (int) delivered;
            assertPrefix(from.data, d, atTo, what + ": received of the " + d + " delivered");
            if (!to.resetDone && sim.resetError(to.socket.handle()) == null) {
                // The receiving peer neither reset (closing with SO_LINGER 0 drops what it had not read) nor took an RST.
                assertEquals(d, atTo.length, what + ": bytes the join delivered all arrived");
            }
            byte[] rest = concat(pending, reader.got.toByteArray());
            if (d + rest.length > from.sent) throw new AssertionError(what + ": delivered " + d + " + pending " + pending.length + " + read after unjoin "
                    + reader.got.size() + " > sent " + from.sent);
            assertBytes(Arrays.copyOfRange(from.data, d, d + rest.length), rest, what + ": pending (" + pending.length + ") + read after unjoin, after the delivered");
            if (sim.resetError(joined.handle()) == null) {
                assertEquals(from.sent, d + rest.length, what + ": every byte sent is delivered, pending or read after unjoin (no reset cut a queue)");
            }
        }

        /** What a peer has received: by its receives, and what is left in its socket (taken directly). */
        byte[] received(Peer p) {
            byte[] got = p.got.toByteArray();
            return p.socket.isOpen() ? concat(got, sim.takeReadable(p.socket.handle())) : got;
        }

        /**
         * A reset reaches the user exactly once where an RST set ECONNRESET, never otherwise (the
         * peer read to the end; a reader also sent once after).
         */
        void assertResetSeenOnce(Peer p) {
            long h = p.socket.handle();
            Errno rst = sim.resetError(h);
            int expected = rst == Errno.ECONNRESET && (p.eof || p.recvError == null) ? 1 : 0;
            assertEquals(expected, p.resetReports, () -> p.name + ": ECONNRESET seen " + p.resetReports + " times; the RST set sk_err " + rst
                    + ", which the sim reported " + sim.errorsReported(h) + " times\n" + p + "\n" + state());
        }

        /**
         * Resets near the unjoin tick: a peer's SO_LINGER 0 close (its joined socket gets the RST),
         * or an RST to both ends of a connection; on the client's side, the server's, or both.
         */
        void scheduleResets(long unjoinAt) {
            int sides = 1 + r.nextInt(3);
            for (Peer p : new Peer[] {client, server}) {
                if ((sides & (p == client ? 1 : 2)) == 0) continue;
                long at = Math.max(0, unjoinAt + (r.nextInt(4) == 0 ? r.nextInt(200) - 100 : r.nextInt(12) - 4));
                while (scheduled.containsKey(at)) at++;
                boolean linger = r.nextBoolean();
                scheduled.put(at, () -> {
                    if (!p.socket.isOpen()) return;
                    if (linger) p.resetNow();
                    else sim.resetConnection(p.socket.handle());
                });
            }
        }

        void simResets() throws SluiceException {
            client.shutdownAtEnd = server.shutdownAtEnd = true;
            tickUntil(() -> join.ended().isDone() && client.recvEnded() && server.recvEnded() && client.sendEnded() && server.sendEnded(),
                    "the join to end under resets", -1, null);
            Join.Ended ended = join.ended().join();
            assertTrue(ended.reason() == Join.Reason.FINISHED || ended.reason() == Join.Reason.RESET, () -> "reason " + ended + "\n" + state());
            if (ended.reason() == Join.Reason.RESET) {
                Errno cause = ended.cause().errno();
                assertTrue(cause == Errno.ECONNRESET || cause == Errno.EPIPE, "cause " + ended.cause());
            }
            if (sim.resets == 0) assertEquals(Join.Reason.FINISHED, ended.reason(), "no reset happened");
            for (Peer p : new Peer[] {client, server}) assertResetSeenOnce(p);
            assertPrefix(client.data, client.sent, server.got.toByteArray(), "server received");
            assertPrefix(server.data, server.sent, client.got.toByteArray(), "client received");
            assertTrue(ended.bytesAtoB() <= client.sent && ended.bytesBtoA() <= server.sent, "delivered more than was sent");
            if (ended.reason() == Join.Reason.FINISHED) {
                assertEquals(client.sent, ended.bytesAtoB(), "a finished join delivered every byte sent");
                assertEquals(server.sent, ended.bytesBtoA(), "a finished join delivered every byte sent");
            }
        }
    }

    /** The caller delivering bytes an unjoined join held: sends them all, or stops at the first error. */
    static final class Delivery implements Handler {
        final Ring ring;
        final Socket to;
        final MemorySegment bytes;
        final Completion c = new Completion();
        int sent;
        Errno error;
        boolean done;

        Delivery(Ring ring, Socket to, byte[] pending, Arena arena) {
            this.ring = ring;
            this.to = to;
            this.bytes = arena.allocate(Math.max(1, pending.length));
            MemorySegment.copy(pending, 0, bytes, ValueLayout.JAVA_BYTE, 0, pending.length);
            done = pending.length == 0;
            if (!done) ring.send(to, bytes, 0, pending.length, c, this);
        }

        @Override
        public void completed(Completion c) {
            if (!c.ok()) {
                error = c.error();
                done = true;
                return;
            }
            sent += c.result();
            int total = (int) bytes.byteSize();
            if (sent < total) ring.send(to, bytes, sent, total - sent, c, this);
            else done = true;
        }
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    static void assertBytes(byte[] expected, byte[] actual, String what) {
        int at = Arrays.mismatch(expected, actual);
        if (at >= 0) {
            throw new AssertionError(what + ": expected " + expected.length + " bytes, got " + actual.length + ", first difference at " + at);
        }
    }

    /** {@code actual} is a prefix of the first {@code sent} bytes of {@code data}. */
    static void assertPrefix(byte[] data, int sent, byte[] actual, String what) {
        if (actual.length > sent) throw new AssertionError(what + ": " + actual.length + " bytes but only " + sent + " were sent");
        int at = Arrays.mismatch(Arrays.copyOf(data, actual.length), actual);
        if (at >= 0) throw new AssertionError(what + ": bytes differ at " + at + " of " + actual.length);
    }
}
