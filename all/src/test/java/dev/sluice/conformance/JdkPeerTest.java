package dev.sluice.conformance;

import static dev.sluice.conformance.Conformance.WAIT_SECONDS;
import static dev.sluice.conformance.Conformance.await;
import static dev.sluice.conformance.Conformance.ok;
import static dev.sluice.conformance.Conformance.segment;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.Address;
import dev.sluice.Completion;
import dev.sluice.Family;
import dev.sluice.IPv4Address;
import dev.sluice.Ring;
import dev.sluice.Shutdown;
import dev.sluice.Socket;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Sluice against a plain JDK peer ({@code java.net.Socket}, {@code ServerSocket}), so a backend
 * cannot pass by agreeing only with itself. JDK sockets run on platform threads: on a virtual
 * thread they would start the JDK's own poller, whose fds stay open and fail the leak check.
 */
class JdkPeerTest extends RingTest {
    private static final int MESSAGE_BYTES = 1 << 20;
    private static final int SO_TIMEOUT_MILLIS = (int) (WAIT_SECONDS * 1000);

    @Test
    void sluiceServerWithJdkClient() throws Exception {
        try (Ring ring = open()) {
            Socket listener = ring.listen(IPv4Address.LOOPBACK, 16);
            InetSocketAddress at = (InetSocketAddress) listener.localAddress().toJava();
            EchoServer server = new EchoServer(ring, listener, 16384).start();

            byte[] message = new Pattern(21).bytes(MESSAGE_BYTES);
            ByteArrayOutputStream received = new ByteArrayOutputStream();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            AtomicReference<Address> clientAddress = new AtomicReference<>();
            java.net.Socket client = new java.net.Socket();
            client.setSoTimeout(SO_TIMEOUT_MILLIS);
            client.connect(at, SO_TIMEOUT_MILLIS);
            clientAddress.set(Address.of(client.getLocalSocketAddress()));
            // Writer and reader on their own threads: the echo comes back while we still write.
            Thread writer = Thread.ofPlatform().name("jdk-writer").start(Conformance.guard(failure, () -> {
                OutputStream out = client.getOutputStream();
                for (int off = 0; off < message.length; off += 50_000) out.write(message, off, Math.min(50_000, message.length - off));
                client.shutdownOutput();
            }));
            Thread reader = Thread.ofPlatform().name("jdk-reader").start(Conformance.guard(failure, () -> {
                InputStream in = client.getInputStream();
                byte[] chunk = new byte[32768];
                for (int n; (n = in.read(chunk)) >= 0; ) received.write(chunk, 0, n);
            }));
            // The server closes its side after the client's FIN; that is its last completion.
            await(ring, () -> server.finished == 1 || failure.get() != null, "the Sluice echo server to see the JDK client's end of stream");
            for (Thread t : new Thread[] {writer, reader}) {
                assertTrue(t.join(Duration.ofSeconds(WAIT_SECONDS)), t.getName() + " did not finish");
            }
            client.close();
            if (failure.get() != null) throw new AssertionError("the JDK client failed", failure.get());
            assertArrayEquals(message, received.toByteArray(), "the JDK client got back other bytes than it sent");
            assertEquals(clientAddress.get(), server.peers.get(0), "Sluice decodes the JDK client's address");
        }
    }

    @Test
    void sluiceClientWithJdkServer() throws Exception {
        try (ServerSocket jdkServer = new ServerSocket(0, 16, InetAddress.getByName("127.0.0.1"));
             Ring ring = open()) {
            jdkServer.setSoTimeout(SO_TIMEOUT_MILLIS);
            AtomicReference<Throwable> failure = new AtomicReference<>();
            AtomicReference<Address> peerSeen = new AtomicReference<>();
            Thread serverThread = Thread.ofPlatform().name("jdk-echo-server").start(Conformance.guard(failure, () -> {
                try (java.net.Socket s = jdkServer.accept()) {
                    s.setSoTimeout(SO_TIMEOUT_MILLIS);
                    peerSeen.set(Address.of(s.getRemoteSocketAddress()));
                    InputStream in = s.getInputStream();
                    OutputStream out = s.getOutputStream();
                    byte[] chunk = new byte[20_000];
                    for (int n; (n = in.read(chunk)) >= 0; ) out.write(chunk, 0, n);
                }
            }));

            Socket client = ring.openTcp(Family.INET);
            byte[] message = new Pattern(22).bytes(MESSAGE_BYTES);
            RecvAll reply = new RecvAll(ring, client, 16384, -1, null);
            boolean[] halfClosed = {false};
            Completion shutdown = new Completion();
            SendAll send = new SendAll(ring, client, segment(message),
                    () -> ring.shutdown(client, Shutdown.WRITE, shutdown, c -> halfClosed[0] = ok(c) != null));
            ring.connect(client, Address.of(jdkServer.getLocalSocketAddress()), new Completion(), c -> {
                ok(c);
                reply.start();
                send.start();
            });
            await(ring, () -> (reply.done && halfClosed[0]) || failure.get() != null, "the JDK server's echo");
            assertTrue(serverThread.join(Duration.ofSeconds(WAIT_SECONDS)), "the JDK server did not finish");
            if (failure.get() != null) throw new AssertionError("the JDK server failed", failure.get());
            assertArrayEquals(message, reply.bytes(), "the Sluice client got back other bytes than it sent");
            assertEquals(client.localAddress(), peerSeen.get(), "the JDK server sees the Sluice client's address");
        }
    }
}
