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
        SIM_RESETS
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

    /** One test-side socket: sends its data in random chunks (then maybe FIN), reads until EOF or error. */
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
        Errno recvError;
        Errno shutError;

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
                    sendError = c.error();
                }
                pumpSend();
            } else if (c == recvC) {
                if (!receiving) throw new AssertionError(name + ": recv completed twice");
                receiving = false;
                if (c.ok() && c.result() == 0) {
                    eof = true;
                } else if (c.ok()) {
                    byte[] b = new byte[c.result()];
                    MemorySegment.copy(recvBuf, ValueLayout.JAVA_BYTE, 0, b, 0, b.length);
                    got.writeBytes(b);
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
                        case UNJOIN -> unjoin();
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
                ring.tick();
                ticks++;
            }
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
            assertEquals(Errno.ECONNRESET, survivor.recvError, () -> "the survivor sees the reset\n" + state());
            assertPrefix(resetter.data, resetter.sent, survivor.got.toByteArray(), survivor.name + " received");
            assertPrefix(survivor.data, survivor.sent, resetter.got.toByteArray(), resetter.name + " received");
            Peer a = client;
            assertTrue(ended.bytesAtoB() <= a.sent && ended.bytesBtoA() <= server.sent, "delivered more than was sent");
        }

        void unjoin() throws SluiceException {
            client.shutdownAtEnd = r.nextBoolean();
            server.shutdownAtEnd = r.nextBoolean();
            long at = r.nextInt(r.nextBoolean() ? 30 : 600);
            @SuppressWarnings("unchecked")
            CompletableFuture<Join.Unjoined>[] f = new CompletableFuture[1];
            tickUntil(() -> f[0] != null, "the unjoin tick", at, () -> f[0] = join.unjoin());
            client.stopSending = server.stopSending = true;
            tickUntil(() -> f[0].isDone(), "unjoin to complete", -1, null);
            if (f[0].isCompletedExceptionally()) {
                // Both sides had FIN'd and the join finished before the unjoin: nothing to take back.
                assertThrows(IllegalStateException.class, () -> {
                    try {
                        f[0].join();
                    } catch (java.util.concurrent.CompletionException e) {
                        throw e.getCause();
                    }
                });
                assertEquals(Join.Reason.FINISHED, join.ended().join().reason());
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
            // Stop the peers: cancel their receives, and let their last sends land by emptying front and back.
            ByteArrayOutputStream frontLeft = new ByteArrayOutputStream();
            ByteArrayOutputStream backLeft = new ByteArrayOutputStream();
            client.stopReceiving = server.stopReceiving = true;
            if (client.receiving) ring.cancel(client.recvC, new Completion(), c -> { });
            if (server.receiving) ring.cancel(server.recvC, new Completion(), c -> { });
            for (long t = 0; client.sending || server.sending || client.shutting || server.shutting || client.receiving || server.receiving; t++) {
                if (t >= TICKS_MAX) throw new AssertionError("peers did not stop after unjoin\n" + state());
                frontLeft.writeBytes(sim.takeReadable(front.handle()));
                backLeft.writeBytes(sim.takeReadable(back.handle()));
                ring.tick();
            }
            frontLeft.writeBytes(sim.takeReadable(front.handle()));
            backLeft.writeBytes(sim.takeReadable(back.handle()));
            byte[] atServer = concat(server.got.toByteArray(), sim.takeReadable(server.socket.handle()));
            byte[] atClient = concat(client.got.toByteArray(), sim.takeReadable(client.socket.handle()));
            assertEquals(ended.bytesAtoB(), atServer.length, "bytes the join delivered to the server side");
            assertEquals(ended.bytesBtoA(), atClient.length, "bytes the join delivered to the client side");
            assertBytes(Arrays.copyOf(client.data, client.sent), concat(concat(atServer, u.pendingAtoB()), frontLeft.toByteArray()),
                    "client's bytes = delivered + pendingAtoB (" + u.pendingAtoB().length + ") + left in front");
            assertBytes(Arrays.copyOf(server.data, server.sent), concat(concat(atClient, u.pendingBtoA()), backLeft.toByteArray()),
                    "server's bytes = delivered + pendingBtoA (" + u.pendingBtoA().length + ") + left in back");
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
            assertPrefix(client.data, client.sent, server.got.toByteArray(), "server received");
            assertPrefix(server.data, server.sent, client.got.toByteArray(), "client received");
            assertTrue(ended.bytesAtoB() <= client.sent && ended.bytesBtoA() <= server.sent, "delivered more than was sent");
            if (ended.reason() == Join.Reason.FINISHED) {
                assertEquals(client.sent, ended.bytesAtoB(), "a finished join delivered every byte sent");
                assertEquals(server.sent, ended.bytesBtoA(), "a finished join delivered every byte sent");
            }
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
