package dev.sluice.conformance;

import static dev.sluice.conformance.Conformance.WAIT_SECONDS;
import static dev.sluice.conformance.Conformance.await;
import static dev.sluice.conformance.Conformance.bytes;
import static dev.sluice.conformance.Conformance.ok;
import static dev.sluice.conformance.Conformance.segment;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.Address;
import dev.sluice.Completion;
import dev.sluice.Family;
import dev.sluice.IPv4Address;
import dev.sluice.IPv6Address;
import dev.sluice.Ring;
import dev.sluice.Shutdown;
import dev.sluice.SluiceException;
import dev.sluice.Socket;
import dev.sluice.SocketType;
import dev.sluice.UnixAddress;
import dev.sluice.UnixSocket;
import java.io.ByteArrayOutputStream;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Round trips over every socket kind, in each of the three styles (callbacks, futures, blocking). */
class EchoTest extends RingTest {
    private static final int MESSAGE_BYTES = 300_000;

    @Test
    void tcpV4() throws Exception {
        try (Ring ring = open()) {
            streamEcho(ring, ring.listen(IPv4Address.LOOPBACK, 16), () -> ring.openTcp(Family.INET));
        }
    }

    @Test
    void tcpV6() throws Exception {
        try (Ring ring = open()) {
            Socket listener;
            try {
                listener = ring.listen(IPv6Address.LOOPBACK, 16);
            } catch (SluiceException e) {
                assumeIpv6(e);
                return;
            }
            streamEcho(ring, listener, () -> ring.openTcp(Family.INET6));
        }
    }

    @Test
    void unixStreamPath() throws Exception {
        Path dir = Path.of(System.getProperty("java.io.tmpdir"), Conformance.uniqueName("sluice"));
        Files.createDirectory(dir);
        Path path = dir.resolve("echo.sock");
        try (Ring ring = open()) {
            UnixAddress address = UnixAddress.path(path.toString());
            Socket listener = ring.listen(address, 16);
            assertEquals(address, listener.localAddress());
            assertTrue(Files.exists(path), "binding a path creates the socket file " + path);
            streamEcho(ring, listener, () -> ring.openUnix(SocketType.STREAM));
        } finally {
            Files.deleteIfExists(path);
            Files.delete(dir);
        }
    }

    @Test
    void unixStreamAbstract() throws Exception {
        try (Ring ring = open()) {
            UnixAddress address = UnixAddress.abstractName(Conformance.uniqueName("sluice-echo"));
            Socket listener = ring.listen(address, 16);
            assertEquals(address, listener.localAddress());
            streamEcho(ring, listener, () -> ring.openUnix(SocketType.STREAM));
        }
    }

    private interface Opener {
        Socket open() throws SluiceException;
    }

    /**
     * Connects a client to the listener, sends a 300 kB pattern, half-closes, and receives the
     * echo until the server closes; the echo must equal what was sent, byte for byte.
     */
    private static void streamEcho(Ring ring, Socket listener, Opener opener) throws Exception {
        Address at = listener.localAddress();
        EchoServer server = new EchoServer(ring, listener, 8192).start();
        Socket client = opener.open();
        byte[] message = new Pattern(7).bytes(MESSAGE_BYTES);
        RecvAll reply = new RecvAll(ring, client, 16384, -1, null);
        Completion shutdown = new Completion();
        boolean[] halfClosed = {false};
        SendAll send = new SendAll(ring, client, segment(message),
                () -> ring.shutdown(client, Shutdown.WRITE, shutdown, c -> halfClosed[0] = ok(c) != null));
        // Addresses while connected: once both sides closed, a TCP socket has no peer (ENOTCONN).
        Address[] clientEnds = new Address[2];
        ring.connect(client, at, new Completion(), c -> {
            ok(c);
            try {
                clientEnds[0] = client.localAddress();
                clientEnds[1] = client.peerAddress();
            } catch (SluiceException e) {
                throw new AssertionError("addresses of a connected socket", e);
            }
            reply.start();
            send.start();
        });
        await(ring, () -> reply.done && halfClosed[0] && server.finished == 1, "the echo of " + MESSAGE_BYTES + " bytes");
        assertArrayEquals(message, reply.bytes(), "echoed bytes differ from those sent");
        assertEquals(1, server.accepted);
        assertEquals(at, clientEnds[1], "the client's peer is the listening address");
        if (!at.family().equals(Family.UNIX)) {
            assertEquals(clientEnds[0], server.peers.get(0), "the server sees the client's own address");
        }
    }

    @Test
    void udpV4() throws Exception {
        try (Ring ring = open()) {
            Socket server = ring.openUdp(Family.INET);
            server.bind(IPv4Address.LOOPBACK);
            Address serverAt = server.localAddress();
            Socket client = ring.openUdp(Family.INET);
            client.bind(IPv4Address.LOOPBACK);
            Address clientAt = client.localAddress();
            assertNotEquals(0, ((IPv4Address) clientAt).port());

            MemorySegment serverBuffer = Conformance.allocate(65536);
            MemorySegment clientBuffer = Conformance.allocate(65536);
            int[] sizes = {1, 100, 1472, 9000, 65507};
            for (int i = 0; i < sizes.length; i++) {
                byte[] datagram = new Pattern(100 + i).bytes(sizes[i]);
                Completion serverRecv = new Completion();
                Completion serverSend = new Completion();
                Completion clientRecv = new Completion();
                Completion clientSend = new Completion();
                int[] done = {0};
                ring.recvfrom(server, serverBuffer, serverRecv, c -> {
                    ok(c);
                    done[0]++;
                    // Echo exactly what arrived to whoever sent it.
                    ring.sendto(server, serverBuffer.asSlice(0, c.result()), c.peer(), serverSend, x -> done[0] += ok(x) != null ? 1 : 0);
                });
                ring.recvfrom(client, clientBuffer, clientRecv, c -> done[0] += ok(c) != null ? 1 : 0);
                ring.sendto(client, segment(datagram), serverAt, clientSend, c -> done[0] += ok(c) != null ? 1 : 0);
                await(ring, () -> done[0] == 4, "a " + sizes[i] + "-byte datagram and its echo");
                assertEquals(sizes[i], serverSend.result());
                assertEquals(sizes[i], clientSend.result(), "sendto sends a datagram whole");
                assertEquals(sizes[i], serverRecv.result());
                assertEquals(clientAt, serverRecv.peer(), "recvfrom names the sender");
                assertFalse(serverRecv.truncated());
                assertEquals(sizes[i], clientRecv.result());
                assertEquals(serverAt, clientRecv.peer(), "the echo comes from the server's address");
                assertFalse(clientRecv.truncated());
                assertArrayEquals(datagram, bytes(clientBuffer, clientRecv.result()), "echoed datagram of " + sizes[i] + " bytes differs");
            }

            // A datagram larger than the buffer is cut, and says so.
            byte[] big = new Pattern(200).bytes(100);
            MemorySegment small = Conformance.allocate(10);
            Completion cut = new Completion();
            ring.recvfrom(server, small, cut, c -> ok(c));
            ring.sendto(client, segment(big), serverAt, new Completion(), c -> ok(c));
            await(ring, () -> !cut.isPending(), "a truncated datagram");
            assertEquals(10, cut.result());
            assertTrue(cut.truncated(), "recvfrom reports a datagram cut to the buffer");
            assertArrayEquals(java.util.Arrays.copyOf(big, 10), bytes(small, 10));
            assertEquals(clientAt, cut.peer());
        }
    }

    @Test
    void unixSeqpacketKeepsMessageBoundaries() throws Exception {
        try (Ring ring = open()) {
            UnixAddress address = UnixAddress.abstractName(Conformance.uniqueName("sluice-seqpacket"));
            UnixSocket listener = ring.openUnix(SocketType.SEQPACKET);
            listener.bind(address);
            listener.listen(4);
            UnixSocket client = ring.openUnix(SocketType.SEQPACKET);
            Socket[] server = new Socket[1];
            boolean[] connected = {false};
            ring.accept(listener, new Completion(), c -> server[0] = ok(c).accepted());
            ring.connect(client, address, new Completion(), c -> connected[0] = ok(c) != null);
            await(ring, () -> connected[0] && server[0] != null, "a seqpacket connection");
            assertEquals(SocketType.SEQPACKET, server[0].type());

            // Three messages sent before any is read: a stream would merge them, seqpacket must not.
            byte[][] messages = {new Pattern(1).bytes(10), new Pattern(2).bytes(3000), new Pattern(3).bytes(1)};
            Completion[] sends = new Completion[messages.length];
            for (int i = 0; i < messages.length; i++) {
                sends[i] = new Completion();
                ring.send(client, segment(messages[i]), sends[i], c -> ok(c));
            }
            await(ring, () -> java.util.Arrays.stream(sends).noneMatch(Completion::isPending), "three seqpacket sends");
            MemorySegment buffer = Conformance.allocate(8192);
            for (int i = 0; i < messages.length; i++) {
                assertEquals(messages[i].length, sends[i].result(), "a seqpacket send is all or nothing");
                Completion recv = new Completion();
                ring.recv(server[0], buffer, recv, c -> ok(c));
                await(ring, () -> !recv.isPending(), "seqpacket message " + i);
                assertEquals(messages[i].length, recv.result(), "one recv returns exactly one message");
                assertArrayEquals(messages[i], bytes(buffer, recv.result()));
                // Echo it back as one message.
                Completion echo = new Completion();
                ring.send(server[0], buffer.asSlice(0, recv.result()), echo, c -> ok(c));
                Completion back = new Completion();
                MemorySegment backBuffer = Conformance.allocate(8192);
                ring.recv(client, backBuffer, back, c -> ok(c));
                await(ring, () -> !echo.isPending() && !back.isPending(), "seqpacket echo " + i);
                assertEquals(messages[i].length, back.result());
                assertArrayEquals(messages[i], bytes(backBuffer, back.result()));
            }

            // A message read into a smaller buffer loses its tail; the next read starts at the next message.
            byte[] longer = new Pattern(4).bytes(100);
            byte[] next = new Pattern(5).bytes(7);
            Completion s1 = new Completion();
            Completion s2 = new Completion();
            ring.send(client, segment(longer), s1, c -> ok(c));
            await(ring, () -> !s1.isPending(), "the longer message");
            ring.send(client, segment(next), s2, c -> ok(c));
            await(ring, () -> !s2.isPending(), "the next message");
            MemorySegment small = Conformance.allocate(10);
            Completion r1 = new Completion();
            ring.recv(server[0], small, r1, c -> ok(c));
            await(ring, () -> !r1.isPending(), "a cut message");
            assertEquals(10, r1.result());
            assertArrayEquals(java.util.Arrays.copyOf(longer, 10), bytes(small, 10));
            Completion r2 = new Completion();
            ring.recv(server[0], buffer, r2, c -> ok(c));
            await(ring, () -> !r2.isPending(), "the message after a cut one");
            assertArrayEquals(next, bytes(buffer, r2.result()), "the rest of a cut seqpacket message must not be delivered");
        }
    }

    // Futures: a ring on its own thread; the test thread composes futures.

    @Test
    void tcpWithFutures() throws Exception {
        try (Ring ring = start()) {
            Socket listener = ring.listen(IPv4Address.LOOPBACK, 16);
            CompletableFuture<Socket> accepted = ring.accept(listener);
            Socket client = ring.openTcp(Family.INET);
            ring.connect(client, listener.localAddress()).get(WAIT_SECONDS, TimeUnit.SECONDS);
            Socket server = accepted.get(WAIT_SECONDS, TimeUnit.SECONDS);

            CompletableFuture<Void> echo = echo(ring, server, Conformance.allocate(8192))
                    .thenRun(server::close);
            byte[] message = new Pattern(11).bytes(MESSAGE_BYTES);
            CompletableFuture<Void> sent = sendAll(ring, client, segment(message))
                    .thenCompose(v -> ring.shutdown(client, Shutdown.WRITE));
            ByteArrayOutputStream received = new ByteArrayOutputStream();
            CompletableFuture<Void> reply = recvUntilEof(ring, client, Conformance.allocate(16384), received);
            CompletableFuture.allOf(echo, sent, reply).get(WAIT_SECONDS, TimeUnit.SECONDS);
            assertArrayEquals(message, received.toByteArray(), "echoed bytes differ from those sent");
        }
    }

    private static CompletableFuture<Void> sendAll(Ring ring, Socket s, MemorySegment data) {
        return ring.send(s, data).thenCompose(n -> {
            if (n <= 0 || n > data.byteSize()) throw new AssertionError("send returned " + n + " for " + data.byteSize() + " bytes");
            return n == data.byteSize() ? CompletableFuture.completedFuture(null) : sendAll(ring, s, data.asSlice(n));
        });
    }

    private static CompletableFuture<Void> echo(Ring ring, Socket s, MemorySegment buffer) {
        return ring.recv(s, buffer).thenCompose(n -> n == 0
                ? CompletableFuture.completedFuture(null)
                : sendAll(ring, s, buffer.asSlice(0, n)).thenCompose(v -> echo(ring, s, buffer)));
    }

    private static CompletableFuture<Void> recvUntilEof(Ring ring, Socket s, MemorySegment buffer, ByteArrayOutputStream out) {
        return ring.recv(s, buffer).thenCompose(n -> {
            if (n == 0) return CompletableFuture.completedFuture(null);
            out.write(buffer.asSlice(0, n).toArray(ValueLayout.JAVA_BYTE), 0, n);
            return recvUntilEof(ring, s, buffer, out);
        });
    }

    // Blocking calls on virtual threads.

    @Test
    void tcpBlockingOnVirtualThreads() throws Exception {
        try (Ring ring = start()) {
            Socket listener = ring.listen(IPv4Address.LOOPBACK, 16);
            Address at = listener.localAddress();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            byte[] message = new Pattern(13).bytes(MESSAGE_BYTES);
            ByteArrayOutputStream received = new ByteArrayOutputStream();

            Thread server = Thread.ofVirtual().name("echo-server").start(Conformance.guard(failure, () -> {
                try (Socket s = listener.accept()) {
                    MemorySegment buffer = Conformance.allocate(8192);
                    for (int n; (n = s.recv(buffer)) > 0; ) s.sendAll(buffer.asSlice(0, n));
                }
            }));
            Socket client = ring.openTcp(Family.INET);
            CountDownLatch connected = new CountDownLatch(1);
            Thread writer = Thread.ofVirtual().name("client-writer").start(Conformance.guard(failure, () -> {
                client.connect(at);
                connected.countDown();
                client.sendAll(segment(message));
                client.shutdown(Shutdown.WRITE);
            }));
            // The reader starts once connected (a recv on an unconnected socket fails with
            // ENOTCONN) and reads while the writer writes, or both would stall on full buffers.
            Thread reader = Thread.ofVirtual().name("client-reader").start(Conformance.guard(failure, () -> {
                if (!connected.await(WAIT_SECONDS, TimeUnit.SECONDS)) throw new AssertionError("connect did not finish");
                MemorySegment buffer = Conformance.allocate(16384);
                for (int n; (n = client.recv(buffer)) > 0; ) received.write(bytes(buffer, n), 0, n);
            }));
            for (Thread t : new Thread[] {server, writer, reader}) {
                assertTrue(t.join(Duration.ofSeconds(WAIT_SECONDS)), t.getName() + " did not finish");
            }
            if (failure.get() != null) throw new AssertionError("a virtual thread failed", failure.get());
            assertArrayEquals(message, received.toByteArray(), "echoed bytes differ from those sent");
        }
    }
}
