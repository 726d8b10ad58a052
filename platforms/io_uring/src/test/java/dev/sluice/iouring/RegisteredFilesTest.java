package dev.sluice.iouring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.sluice.Completion;
import dev.sluice.Errno;
import dev.sluice.Feature;
import dev.sluice.IPv4Address;
import dev.sluice.Ring;
import dev.sluice.RingConfig;
import dev.sluice.Socket;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The registered file table: sockets enter it at their first operation, requests name them by
 * index, and a closed socket is really closed (a table entry holds its own reference to the
 * file, so close(2) alone would send no FIN). The peers are plain JDK sockets, so "the peer sees
 * end of stream" is the kernel's word, not ours.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class RegisteredFilesTest {
    private static final long SECOND = 1_000_000_000L;

    private Arena arena;
    private Ring ring;
    private long fdsBefore;
    private final List<java.net.Socket> peers = new ArrayList<>();

    /** The JDK opens a few fds of its own the first time it connects a socket; not ours to count. */
    @org.junit.jupiter.api.BeforeAll
    static void warmUpJdkSockets() throws Exception {
        try (java.net.ServerSocket server = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress());
                java.net.Socket client = new java.net.Socket(server.getInetAddress(), server.getLocalPort());
                java.net.Socket accepted = server.accept()) {
            client.getOutputStream().write(1);
            accepted.getInputStream().read();
        }
    }

    @BeforeEach
    void available() throws Exception {
        IoUringProbe.Result probe = IoUringProbe.cached();
        assumeTrue(probe.available(), probe.reason());
        fdsBefore = IoUringRingTest.openFds();
        arena = Arena.ofShared();
        System.setProperty(IoUringBackend.REGISTERED_FILES_PROPERTY, "true");
    }

    @AfterEach
    void close() throws Exception {
        System.clearProperty(IoUringBackend.REGISTERED_FILES_PROPERTY);
        System.clearProperty(IoUringBackend.REGISTERED_FILES_MAX_PROPERTY);
        if (ring != null) ring.close();
        for (java.net.Socket p : peers) p.close();
        if (arena != null) arena.close();
        assertEquals(fdsBefore, IoUringRingTest.openFds(), "fds leaked");
    }

    /** The ring's backend, for looking at its file table (tests only). */
    static IoUringBackend backendOf(Ring r) throws ReflectiveOperationException {
        var f = Ring.class.getDeclaredField("backend");
        f.setAccessible(true);
        return (IoUringBackend) f.get(r);
    }

    private FileTable openRing() throws Exception {
        ring = Ring.open(RingConfig.DEFAULT.withBackend("io_uring"));
        return backendOf(ring).files();
    }

    private void await(Completion c) throws Exception {
        assertTrue(ring.runUntil(() -> !c.isPending(), 10 * SECOND), "timed out waiting for " + c);
    }

    /** Accepts a JDK client through the ring; the client is kept in {@link #peers}. */
    private Socket accept(Socket listener) throws Exception {
        Completion accept = new Completion();
        ring.accept(listener, accept, c -> { });
        ring.tick();
        java.net.Socket peer = new java.net.Socket();
        peer.connect(new InetSocketAddress("127.0.0.1", ((IPv4Address) listener.localAddress()).port()), 5000);
        peer.setSoTimeout(10_000);
        peers.add(peer);
        await(accept);
        assertTrue(accept.ok(), accept.toString());
        return accept.accepted();
    }

    private int recv(Socket s, MemorySegment buffer) throws Exception {
        Completion r = new Completion();
        ring.recv(s, buffer, r, c -> { });
        await(r);
        assertTrue(r.ok(), r.toString());
        return r.result();
    }

    private static int fd(Socket s) {
        return (int) s.handle();
    }

    @Test
    void socketsEnterTheTableAtFirstUseAndLeaveAtClose() throws Exception {
        FileTable files = openRing();
        assertTrue(files != null, "no file table: " + backendOf(ring).describeSetup());
        assertTrue(ring.capabilities().feature(Feature.REGISTERED_FILES));
        assertTrue(backendOf(ring).describeSetup().contains("registered-files " + FileTable.SIZE_DEFAULT), backendOf(ring).describeSetup());
        Socket listener = ring.listen(IPv4Address.LOOPBACK, 16);
        assertFalse(files.registered(fd(listener)), "registered before any operation");
        Socket s = accept(listener);
        assertTrue(files.registered(fd(listener)), "the accept named the listener by index");
        // Data both ways through a registered socket.
        peers.get(0).getOutputStream().write("ping".getBytes());
        MemorySegment in = arena.allocate(16);
        assertEquals(4, recv(s, in));
        assertTrue(files.registered(fd(s)));
        assertEquals(2, files.used());
        Completion send = new Completion();
        ring.send(s, in.asSlice(0, 4), send, c -> { });
        await(send);
        assertEquals(4, send.result());
        assertEquals('p', peers.get(0).getInputStream().read());
        peers.get(0).getInputStream().readNBytes(3);
        s.close();
        listener.close();
        assertEquals(0, files.used());
        // The JDK peer sees the close: end of stream, not a hang.
        assertEquals(-1, peers.get(0).getInputStream().read());
    }

    @Test
    void closingWithARecvPendingSendsFinOnceTheRecvEnds() throws Exception {
        FileTable files = openRing();
        Socket listener = ring.listen(IPv4Address.LOOPBACK, 16);
        Socket s = accept(listener);
        listener.close();
        Completion r = new Completion();
        ring.recv(s, arena.allocate(16), r, c -> { });
        ring.tick();
        assertTrue(files.registered(fd(s)));
        s.close();
        await(r);
        assertEquals(Errno.ECANCELED, r.error(), r.toString());
        assertEquals(0, files.used());
        assertEquals(-1, peers.get(0).getInputStream().read(), "the peer must see end of stream once the cancelled recv let go");
    }

    @Test
    void aFullTableLeavesFurtherSocketsOnPlainFds() throws Exception {
        System.setProperty(IoUringBackend.REGISTERED_FILES_MAX_PROPERTY, "2");
        FileTable files = openRing();
        assertEquals(2, files.size);
        Socket listener = ring.listen(IPv4Address.LOOPBACK, 16);
        List<Socket> accepted = new ArrayList<>();
        for (int i = 0; i < 3; i++) accepted.add(accept(listener));
        MemorySegment in = arena.allocate(16);
        for (int i = 0; i < 3; i++) {
            peers.get(i).getOutputStream().write(i);
            assertEquals(1, recv(accepted.get(i), in));
            assertEquals(i, in.get(ValueLayout.JAVA_BYTE, 0));
        }
        // The listener and the first accepted socket fill the table; the others stay on fds.
        assertEquals(2, files.used());
        assertTrue(files.registered(fd(listener)));
        assertTrue(files.registered(fd(accepted.get(0))));
        assertFalse(files.registered(fd(accepted.get(2))));
        assertTrue(files.overflowed >= 2, "overflowed " + files.overflowed);
        listener.close();
        for (int i = 0; i < 3; i++) {
            accepted.get(i).close();
            assertEquals(-1, peers.get(i).getInputStream().read(), "peer " + i + " sees end of stream");
        }
        assertEquals(0, files.used());
        // A freed entry is used again.
        Socket again = ring.listen(IPv4Address.LOOPBACK, 16);
        Socket t = accept(again);
        assertTrue(files.registered(fd(again)));
        t.close();
        again.close();
    }

    @Test
    void onByDefault() throws Exception {
        System.clearProperty(IoUringBackend.REGISTERED_FILES_PROPERTY);
        assertTrue(openRing() != null);
        assertTrue(ring.capabilities().feature(Feature.REGISTERED_FILES));
    }

    @Test
    void switchedOffByProperty() throws Exception {
        System.setProperty(IoUringBackend.REGISTERED_FILES_PROPERTY, "false");
        assertNull(openRing());
        assertFalse(ring.capabilities().feature(Feature.REGISTERED_FILES));
        assertTrue(backendOf(ring).describeSetup().contains("registered-files off"), backendOf(ring).describeSetup());
        Socket listener = ring.listen(IPv4Address.LOOPBACK, 16);
        Socket s = accept(listener);
        peers.get(0).getOutputStream().write(7);
        assertEquals(1, recv(s, arena.allocate(4)));
        s.close();
        listener.close();
        assertEquals(-1, peers.get(0).getInputStream().read());
    }

    @Test
    void ringCloseReleasesRegisteredSockets() throws Exception {
        openRing();
        Socket listener = ring.listen(IPv4Address.LOOPBACK, 16);
        Socket s = accept(listener);
        Completion r = new Completion();
        ring.recv(s, arena.allocate(16), r, c -> { });
        ring.tick();
        ring.close();
        assertEquals(Errno.ECANCELED, r.error(), r.toString());
        assertEquals(-1, peers.get(0).getInputStream().read());
    }
}
