package dev.sluice.join;

import static org.junit.jupiter.api.Assertions.*;

import dev.sluice.Address;
import dev.sluice.Backends;
import dev.sluice.Family;
import dev.sluice.IPv4Address;
import dev.sluice.Join;
import dev.sluice.Ring;
import dev.sluice.RingConfig;
import dev.sluice.Socket;
import dev.sluice.SocketType;
import dev.sluice.UnixAddress;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.ServerSocket;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Join on every backend, spliced and copied. Peers are plain JDK sockets on their own threads, so
 * what they see is what a real client and server would see.
 */
@Timeout(120)
class JoinTest {
    private static final long TEN_SECONDS = TimeUnit.SECONDS.toNanos(10);
    private static final long MINUTE = TimeUnit.SECONDS.toNanos(60);
    private static final long TURN = TimeUnit.MILLISECONDS.toNanos(10);

    static Stream<Arguments> modes() {
        List<Arguments> out = new ArrayList<>();
        for (String backend : Backends.available()) {
            out.add(Arguments.of(backend, true));
            out.add(Arguments.of(backend, false));
        }
        return out.stream();
    }

    /** A joined pair: client ⇄ [front ⇄ back] ⇄ server, with client and server as JDK sockets. */
    static final class Rig implements AutoCloseable {
        final Ring ring;
        final java.net.Socket client;
        final java.net.Socket server;
        final Socket front;
        final Socket back;
        final Join join;

        Rig(String backend, Join.Options options) throws Exception {
            this(backend, options, rig -> { });
        }

        /** What a test does to the peers after they connected and before the join starts. */
        interface BeforeJoin {
            void run(java.net.Socket client) throws Exception;
        }

        Rig(String backend, Join.Options options, BeforeJoin beforeJoin) throws Exception {
            ring = Ring.open(RingConfig.DEFAULT.withBackend(backend));
            Socket listener = ring.listen(IPv4Address.LOOPBACK, 16);
            try (ServerSocket target = new ServerSocket(0, 16, java.net.InetAddress.getLoopbackAddress())) {
                client = new java.net.Socket();
                client.connect(((IPv4Address) listener.localAddress()).toJava());
                CompletableFuture<Socket> accepted = ring.accept(listener);
                ring.runUntil(accepted::isDone, TEN_SECONDS);
                front = accepted.get();
                back = ring.openTcp(Family.INET);
                CompletableFuture<Void> connected = ring.connect(back, Address.of(target.getLocalSocketAddress()));
                ring.runUntil(connected::isDone, TEN_SECONDS);
                connected.get();
                server = target.accept();
            }
            listener.close();
            beforeJoin.run(client);
            join = Join.start(front, back, options);
            // Join starts on the ring thread (this one) at once; every backend here splices.
            assertEquals(options.zeroCopy(), join.zeroCopy(), "zeroCopy requested " + options.zeroCopy() + " on " + backend);
        }

        /**
         * Runs the ring until {@code until} holds, for at most a minute. In short turns: the
         * condition may be made true by a peer thread, which does not wake the ring.
         */
        boolean run(java.util.function.BooleanSupplier until) throws Exception {
            long end = System.nanoTime() + MINUTE;
            while (!until.getAsBoolean() && System.nanoTime() - end < 0) ring.runUntil(until, TURN);
            return until.getAsBoolean();
        }

        @Override
        public void close() throws IOException {
            client.close();
            server.close();
            ring.close();
        }
    }

    static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    static CompletableFuture<byte[]> readAll(InputStream in) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return in.readAllBytes();
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        }, r -> Thread.ofPlatform().start(r));
    }

    static CompletableFuture<Void> writeAllAndShutdown(java.net.Socket s, byte[] data) {
        return CompletableFuture.runAsync(() -> {
            try {
                OutputStream out = s.getOutputStream();
                for (int at = 0; at < data.length; at += 65536) out.write(data, at, Math.min(65536, data.length - at));
                out.flush();
                s.shutdownOutput();
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        }, r -> Thread.ofPlatform().start(r));
    }

    @ParameterizedTest(name = "[{0}, zeroCopy={1}]")
    @MethodSource("modes")
    void largeRandomStreamsBothWaysAtOnceArriveIntact(String backend, boolean zeroCopy) throws Exception {
        long fds = FdCount.now();
        byte[] up = random(24 << 20, 1);
        byte[] down = random(16 << 20, 2);
        try (Rig rig = new Rig(backend, Join.Options.DEFAULT.withZeroCopy(zeroCopy))) {
            CompletableFuture<byte[]> atServer = readAll(rig.server.getInputStream());
            CompletableFuture<byte[]> atClient = readAll(rig.client.getInputStream());
            CompletableFuture<Void> w1 = writeAllAndShutdown(rig.client, up);
            CompletableFuture<Void> w2 = writeAllAndShutdown(rig.server, down);
            assertTrue(rig.run(() -> rig.join.ended().isDone()), "join did not end");
            w1.get();
            w2.get();
            assertArrayEquals(up, atServer.get(30, TimeUnit.SECONDS));
            assertArrayEquals(down, atClient.get(30, TimeUnit.SECONDS));
            Join.Ended end = rig.join.ended().get();
            assertEquals(Join.Reason.FINISHED, end.reason());
            assertEquals(up.length, end.bytesAtoB());
            assertEquals(down.length, end.bytesBtoA());
            assertFalse(rig.front.isOpen());
            assertFalse(rig.back.isOpen());
        }
        assertEquals(fds, FdCount.now(), "file descriptors leaked");
    }

    @ParameterizedTest(name = "[{0}, zeroCopy={1}]")
    @MethodSource("modes")
    void halfCloseEachWayPassesTheFinAfterTheData(String backend, boolean zeroCopy) throws Exception {
        try (Rig rig = new Rig(backend, Join.Options.DEFAULT.withZeroCopy(zeroCopy))) {
            // Client finishes sending first; the server still answers after seeing EOF.
            byte[] request = random(100_000, 3);
            CompletableFuture<byte[]> atServer = readAll(rig.server.getInputStream());
            writeAllAndShutdown(rig.client, request).get();
            assertTrue(rig.run(atServer::isDone));
            assertArrayEquals(request, atServer.get());
            assertFalse(rig.join.ended().isDone(), "one direction ended; the other must go on");
            byte[] reply = random(50_000, 4);
            CompletableFuture<byte[]> atClient = readAll(rig.client.getInputStream());
            writeAllAndShutdown(rig.server, reply);
            assertTrue(rig.run(() -> rig.join.ended().isDone() && atClient.isDone()));
            assertArrayEquals(reply, atClient.get());
            assertEquals(Join.Reason.FINISHED, rig.join.ended().get().reason());
        }
    }

    @ParameterizedTest(name = "[{0}, zeroCopy={1}]")
    @MethodSource("modes")
    void aResetOnOneSideResetsTheOther(String backend, boolean zeroCopy) throws Exception {
        try (Rig rig = new Rig(backend, Join.Options.DEFAULT.withZeroCopy(zeroCopy))) {
            rig.client.getOutputStream().write(random(1000, 5));
            byte[] got = new byte[1000];
            CompletableFuture<Integer> read = CompletableFuture.supplyAsync(() -> {
                try {
                    return rig.server.getInputStream().readNBytes(got, 0, 1000);
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            }, r -> Thread.ofPlatform().start(r));
            assertTrue(rig.run(read::isDone));
            rig.client.setSoLinger(true, 0);
            rig.client.close();
            assertTrue(rig.run(() -> rig.join.ended().isDone()));
            Join.Ended end = rig.join.ended().get();
            assertEquals(Join.Reason.RESET, end.reason(), String.valueOf(end));
            IOException e = assertThrows(IOException.class, () -> {
                InputStream in = rig.server.getInputStream();
                while (in.read() >= 0) { }
            });
            assertTrue(e.getMessage().toLowerCase().contains("reset"), e.getMessage());
        }
    }

    @ParameterizedTest(name = "[{0}, zeroCopy={1}]")
    @MethodSource("modes")
    void urgentDataMidStreamIsPassedOnInBandWithoutEndingTheStream(String backend, boolean zeroCopy) throws Exception {
        // splice(2) stops at TCP's urgent mark and returns 0 there, as at EOF; a copying recv would
        // skip the urgent byte. The join passes it on in-band and the stream goes on to the real EOF.
        byte[] first = random(300_000, 11);
        byte[] second = random(200_000, 12);
        byte[] third = random(100_000, 13);
        try (Rig rig = new Rig(backend, Join.Options.DEFAULT.withZeroCopy(zeroCopy))) {
            CompletableFuture<byte[]> atServer = readAll(rig.server.getInputStream());
            CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
                try {
                    OutputStream out = rig.client.getOutputStream();
                    out.write(first);
                    out.flush();
                    rig.client.sendUrgentData('A');
                    out.write(second);
                    out.flush();
                    rig.client.sendUrgentData('B');
                    out.write(third);
                    out.flush();
                    rig.client.shutdownOutput();
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            }, r -> Thread.ofPlatform().start(r));
            assertTrue(rig.run(atServer::isDone), "the server never saw the end of the stream");
            writer.get();
            ByteArrayOutputStream want = new ByteArrayOutputStream();
            want.write(first);
            want.write('A');
            want.write(second);
            want.write('B');
            want.write(third);
            byte[] got = atServer.get();
            assertEquals(want.size(), got.length, "bytes at the server (a premature FIN stops early)");
            assertArrayEquals(want.toByteArray(), got);
            assertFalse(rig.join.ended().isDone(), "one direction ended; the other must go on");
            assertEquals(want.size(), rig.join.bytesAtoB());
            // The other way still works, then both ends finish normally.
            byte[] reply = random(10_000, 14);
            CompletableFuture<byte[]> atClient = readAll(rig.client.getInputStream());
            writeAllAndShutdown(rig.server, reply);
            assertTrue(rig.run(() -> rig.join.ended().isDone() && atClient.isDone()));
            assertArrayEquals(reply, atClient.get());
            assertEquals(Join.Reason.FINISHED, rig.join.ended().get().reason());
        }
    }

    @ParameterizedTest(name = "[{0}, zeroCopy={1}]")
    @MethodSource("modes")
    void unjoinMidStreamLosesAndDuplicatesNothing(String backend, boolean zeroCopy) throws Exception {
        byte[] sent = random(8 << 20, 6);
        try (Rig rig = new Rig(backend, Join.Options.DEFAULT.withZeroCopy(zeroCopy)); Arena arena = Arena.ofConfined()) {
            ByteArrayOutputStream atServer = new ByteArrayOutputStream();
            InputStream serverIn = rig.server.getInputStream();
            CompletableFuture<Void> writer = writeAllAndShutdown(rig.client, sent);
            // Let some bytes through, reading on this thread between ring turns, then unjoin.
            byte[] chunk = new byte[65536];
            while (atServer.size() < (1 << 20)) {
                rig.ring.run(TimeUnit.MILLISECONDS.toNanos(5));
                while (serverIn.available() > 0) atServer.write(chunk, 0, serverIn.read(chunk));
            }
            CompletableFuture<Join.Unjoined> unjoined = rig.join.unjoin();
            assertTrue(rig.run(unjoined::isDone));
            Join.Unjoined u = unjoined.get();
            assertEquals(Join.Reason.UNJOINED, rig.join.ended().get().reason());
            assertTrue(u.a().isOpen() && u.b().isOpen());
            // What the join changed is put back: urgent data no longer inline.
            assertFalse(u.a().option(dev.sluice.SocketOption.OOB_INLINE));
            assertFalse(u.b().option(dev.sluice.SocketOption.OOB_INLINE));
            // io_uring made the sockets O_NONBLOCK to splice on its thread; they come back blocking,
            // as io_uring sockets are. Readiness backends' sockets are always non-blocking.
            boolean nonBlocking = !backend.equals("io_uring");
            assertEquals(nonBlocking, nonBlocking(u.a().handle()), "O_NONBLOCK of a after unjoin");
            assertEquals(nonBlocking, nonBlocking(u.b().handle()), "O_NONBLOCK of b after unjoin");
            // Whatever reached the server before the unjoin is a prefix; nothing more will arrive from the join.
            // Deliver the held bytes ourselves with a plain send on the back socket, then close it.
            if (u.pendingAtoB().length > 0) {
                MemorySegment held = arena.allocate(u.pendingAtoB().length);
                held.copyFrom(MemorySegment.ofArray(u.pendingAtoB()));
                CompletableFuture<Void> sentHeld = CompletableFuture.completedFuture(null);
                long off = 0;
                while (off < held.byteSize()) {
                    CompletableFuture<Integer> n = rig.ring.send(u.b(), held.asSlice(off));
                    assertTrue(rig.run(n::isDone));
                    off += n.get();
                }
                sentHeld.get();
            }
            u.b().close();
            CompletableFuture<byte[]> restAtServer = readAll(serverIn);
            // The rest of the stream is still in the front socket: read it with plain recv.
            ByteArrayOutputStream rest = new ByteArrayOutputStream();
            MemorySegment buf = arena.allocate(1 << 16);
            while (true) {
                CompletableFuture<Integer> n = rig.ring.recv(u.a(), buf);
                assertTrue(rig.run(n::isDone));
                if (n.get() == 0) break;
                rest.write(buf.asSlice(0, n.get()).toArray(ValueLayout.JAVA_BYTE));
            }
            writer.get();
            atServer.write(restAtServer.get(30, TimeUnit.SECONDS));
            atServer.write(rest.toByteArray());
            byte[] all = atServer.toByteArray();
            assertEquals(sent.length, all.length, "bytes lost or duplicated (pending held " + u.pendingAtoB().length + ")");
            assertArrayEquals(sent, all);
        }
    }

    /**
     * The kernel reports a socket error once: read again, a reset socket looks like end of stream.
     * A join that takes the reset while it is being unjoined (the splice pump sees it right after
     * moving bytes; a receive in flight gets it) must not swallow it: the socket's next receive
     * fails with ECONNRESET, after every byte. The client's bytes and its reset are all queued in
     * the front socket before the join starts; the unjoin comes after 0, 1, 2, ... loop turns, so
     * it meets the join at each step of the way.
     */
    @ParameterizedTest(name = "[{0}, zeroCopy={1}]")
    @MethodSource("modes")
    void aResetTakenWhileUnjoiningReachesTheNextReceive(String backend, boolean zeroCopy) throws Exception {
        byte[] sent = random(32 * 1024, 21);
        int unjoined = 0;
        for (int turns = 0; turns <= 6; turns++) {
            String when = "unjoin after " + turns + " turns";
            try (Rig rig = new Rig(backend, Join.Options.DEFAULT.withZeroCopy(zeroCopy), client -> {
                client.getOutputStream().write(sent);
                client.setSoLinger(true, 0);
                client.close();
            }); Arena arena = Arena.ofConfined()) {
                for (int i = 0; i < turns; i++) rig.ring.tick();
                CompletableFuture<Join.Unjoined> f = rig.join.unjoin();
                assertTrue(rig.run(f::isDone), when);
                if (f.isCompletedExceptionally()) {
                    // The join saw the reset first and passed it on; nothing was handed back.
                    assertTrue(rig.run(() -> rig.join.ended().isDone()), when);
                    assertEquals(Join.Reason.RESET, rig.join.ended().get().reason(), when);
                    continue;
                }
                unjoined++;
                Join.Unjoined u = f.get();
                assertEquals(Join.Reason.UNJOINED, rig.join.ended().get().reason(), when);
                ByteArrayOutputStream all = new ByteArrayOutputStream();
                all.write(rig.server.getInputStream().readNBytes((int) rig.join.bytesAtoB()));
                all.write(u.pendingAtoB());
                MemorySegment buf = arena.allocate(1 << 16);
                dev.sluice.Errno last = null;
                while (last == null) {
                    CompletableFuture<Integer> n = rig.ring.recv(u.a(), buf);
                    assertTrue(rig.run(n::isDone), when);
                    try {
                        int got = n.get();
                        assertTrue(got > 0, when + ": end of stream after " + all.size() + " bytes; the reset was lost");
                        all.write(buf.asSlice(0, got).toArray(ValueLayout.JAVA_BYTE));
                    } catch (java.util.concurrent.ExecutionException e) {
                        last = ((dev.sluice.SluiceException) e.getCause()).errno();
                    }
                }
                assertEquals(dev.sluice.Errno.ECONNRESET, last, when);
                assertArrayEquals(sent, all.toByteArray(), when + ": bytes lost or duplicated");
                // Reported once, as the kernel does: then end of stream.
                CompletableFuture<Integer> n = rig.ring.recv(u.a(), buf);
                assertTrue(rig.run(n::isDone), when);
                assertEquals(0, n.get(), when);
            }
        }
        assertTrue(unjoined > 0, "every unjoin came too late; the test checked nothing");
    }

    @ParameterizedTest(name = "[{0}, zeroCopy={1}]")
    @MethodSource("modes")
    void aReaderThatNeverReadsKeepsMemoryBounded(String backend, boolean zeroCopy) throws Exception {
        try (Rig rig = new Rig(backend, Join.Options.DEFAULT.withZeroCopy(zeroCopy))) {
            // The server writes as fast as it can without blocking; the client never reads.
            OutputStream out = rig.server.getOutputStream();
            AtomicReference<Long> written = new AtomicReference<>(0L);
            Thread writer = Thread.ofPlatform().start(() -> {
                byte[] b = new byte[65536];
                try {
                    for (int i = 0; i < 4096; i++) { // at most 256 MiB
                        out.write(b);
                        written.set(written.get() + b.length);
                    }
                } catch (IOException ignored) {
                    // closed by the test
                }
            });
            // Turn the ring a bounded number of times; the writer stalls once every buffer is full.
            for (int i = 0; i < 200; i++) rig.ring.run(TimeUnit.MILLISECONDS.toNanos(5));
            long moved = rig.join.bytesBtoA();
            assertTrue(written.get() < 256L << 20, "the writer was never slowed: wrote " + written.get());
            assertTrue(moved < 64L << 20, "the join moved " + moved + " bytes to a client that reads nothing");
            rig.server.close();
            writer.join();
        }
    }

    @ParameterizedTest(name = "[{0}, zeroCopy={1}]")
    @MethodSource("modes")
    void joinsAcrossFamiliesTcpToUnix(String backend, boolean zeroCopy) throws Exception {
        Path dir = Files.createTempDirectory("sluice-join");
        Path path = dir.resolve("target.sock");
        try (Ring ring = Ring.open(RingConfig.DEFAULT.withBackend(backend));
             ServerSocketChannel unixTarget = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            unixTarget.bind(UnixDomainSocketAddress.of(path));
            Socket listener = ring.listen(IPv4Address.LOOPBACK, 4);
            java.net.Socket client = new java.net.Socket();
            client.connect(((IPv4Address) listener.localAddress()).toJava());
            CompletableFuture<Socket> accepted = ring.accept(listener);
            assertTrue(ring.runUntil(accepted::isDone, TEN_SECONDS));
            Socket front = accepted.get();
            Socket back = ring.openUnix(SocketType.STREAM);
            CompletableFuture<Void> c = ring.connect(back, UnixAddress.path(path.toString()));
            assertTrue(ring.runUntil(c::isDone, TEN_SECONDS));
            c.get();
            SocketChannel server = unixTarget.accept();
            Join join = Join.start(front, back, Join.Options.DEFAULT.withZeroCopy(zeroCopy));
            assertEquals(zeroCopy, join.zeroCopy());
            byte[] data = random(1 << 20, 7);
            writeAllAndShutdown(client, data);
            ByteBuffer got = ByteBuffer.allocate(data.length + 1);
            server.configureBlocking(false);
            assertTrue(ring.runUntil(() -> {
                try {
                    return server.read(got) < 0;
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            }, MINUTE));
            assertArrayEquals(data, Arrays.copyOf(got.array(), got.position()));
            server.close();
            client.close();
            assertTrue(ring.runUntil(() -> join.ended().isDone(), MINUTE));
        } finally {
            Files.deleteIfExists(path);
            Files.delete(dir);
        }
    }

    @ParameterizedTest(name = "[{0}]")
    @MethodSource("backends")
    void joiningADatagramSocketIsAClearError(String backend) throws Exception {
        try (Ring ring = Ring.open(RingConfig.DEFAULT.withBackend(backend))) {
            Socket udp = ring.openUdp(Family.INET);
            Socket tcp = ring.openTcp(Family.INET);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Join.start(tcp, udp));
            assertTrue(e.getMessage().contains("DGRAM"), e.getMessage());
        }
    }

    /** O_NONBLOCK of an fd (fcntl F_GETFL): test scaffolding over the bindings. */
    static boolean nonBlocking(long fd) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment errno = dev.sluice.bindings.linux.CapturedErrno.allocate(arena);
            int flags = dev.sluice.bindings.linux.fcntl_h.fcntl(errno, (int) fd, dev.sluice.bindings.linux.fcntl_h.F_GETFL);
            assertTrue(flags >= 0, "fcntl(F_GETFL) of fd " + fd);
            return (flags & dev.sluice.bindings.linux.fcntl_h.O_NONBLOCK) != 0;
        }
    }

    static Stream<String> backends() {
        return Backends.available().stream();
    }

}
