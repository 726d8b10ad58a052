package dev.sluice.join;

import static org.junit.jupiter.api.Assertions.*;

import dev.sluice.Address;
import dev.sluice.Backends;
import dev.sluice.IPv4Address;
import dev.sluice.Join;
import dev.sluice.Proxy;
import dev.sluice.RingConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The proxy built on join: many connections at once, and a target that refuses. */
@Timeout(180)
class ProxyTest {
    static Stream<String> backends() {
        return Backends.available().stream();
    }

    /** A JDK echo server, one virtual thread per connection. */
    static ServerSocket echoServer(ExecutorService threads) throws IOException {
        ServerSocket ss = new ServerSocket(0, 2048, InetAddress.getLoopbackAddress());
        threads.submit(() -> {
            while (!ss.isClosed()) {
                java.net.Socket s;
                try {
                    s = ss.accept();
                } catch (IOException e) {
                    return null;
                }
                threads.submit(() -> {
                    try (s) {
                        s.getInputStream().transferTo(s.getOutputStream());
                    }
                    return null;
                });
            }
            return null;
        });
        return ss;
    }

    @ParameterizedTest(name = "[{0}]")
    @MethodSource("backends")
    void thousandConcurrentJoinsEachRoundTrip(String backend) throws Exception {
        int connections = 1000;
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            ServerSocket target = echoServer(threads);
            try {
                // Virtual-thread socket I/O starts the JDK's own pollers (epoll fds) on first use: let it, before counting.
                try (java.net.Socket warm = new java.net.Socket()) {
                    warm.connect(target.getLocalSocketAddress());
                    warm.getOutputStream().write(1);
                    warm.shutdownOutput();
                    assertEquals(1, warm.getInputStream().readAllBytes().length);
                }
                Map<Integer, String> fdsBefore = FdCount.snapshot();
                try (Proxy proxy = Proxy.start(IPv4Address.LOOPBACK, Address.of(target.getLocalSocketAddress()), 1,
                        RingConfig.DEFAULT.withBackend(backend).withInflightMax(8192), Join.Options.DEFAULT, TimeUnit.SECONDS.toNanos(10))) {
                    java.net.InetSocketAddress at = ((IPv4Address) proxy.address()).toJava();
                    // All connections open first, then all talk: they are concurrent joins, not a sequence.
                    List<java.net.Socket> sockets = new ArrayList<>();
                    for (int i = 0; i < connections; i++) {
                        java.net.Socket s = new java.net.Socket();
                        s.connect(at);
                        sockets.add(s);
                    }
                    List<Future<String>> replies = new ArrayList<>();
                    for (int i = 0; i < connections; i++) {
                        java.net.Socket s = sockets.get(i);
                        String msg = "connection " + i + " says hello";
                        replies.add(threads.submit(() -> {
                            OutputStream out = s.getOutputStream();
                            out.write(msg.getBytes(StandardCharsets.UTF_8));
                            s.shutdownOutput();
                            InputStream in = s.getInputStream();
                            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
                        }));
                    }
                    for (int i = 0; i < connections; i++) {
                        assertEquals("connection " + i + " says hello", replies.get(i).get(60, TimeUnit.SECONDS));
                        sockets.get(i).close();
                    }
                }
                // Sockets, pipes, rings: at most as many as before. The JDK closes the warm-up
                // socket's server end lazily (NioSocketImpl defers close while a virtual thread may
                // still use it), so the count before can include it; a leak of ours shows as more.
                Map<Integer, String> fdsAfter = FdCount.snapshot();
                assertTrue(FdCount.ours(fdsAfter) <= FdCount.ours(fdsBefore), () -> "fds leaked:" + FdCount.diff(fdsBefore, fdsAfter));
            } finally {
                // Else a failed assertion leaves the executor's close waiting for the accept loop forever.
                target.close();
            }
        }
    }

    @ParameterizedTest(name = "[{0}]")
    @MethodSource("backends")
    void aTargetThatRefusesClosesTheClientAndTheProxyGoesOn(String backend) throws Exception {
        int closedPort;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = probe.getLocalPort();
        }
        try (Proxy proxy = Proxy.start(IPv4Address.LOOPBACK, IPv4Address.LOOPBACK.withPort(closedPort), 1,
                RingConfig.DEFAULT.withBackend(backend), Join.Options.DEFAULT, TimeUnit.SECONDS.toNanos(10))) {
            java.net.InetSocketAddress at = ((IPv4Address) proxy.address()).toJava();
            for (int i = 0; i < 3; i++) {
                try (java.net.Socket s = new java.net.Socket()) {
                    s.connect(at);
                    s.setSoTimeout(30_000);
                    int r;
                    try {
                        r = s.getInputStream().read();
                    } catch (java.net.SocketException reset) {
                        r = -1;
                    }
                    assertEquals(-1, r, "the proxy must close a client whose target refused");
                }
            }
        }
    }
}
