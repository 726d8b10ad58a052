package dev.sluice.conformance;

import static dev.sluice.conformance.Conformance.await;
import static dev.sluice.conformance.Conformance.ok;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sluice.Completion;
import dev.sluice.Family;
import dev.sluice.IPv4Address;
import dev.sluice.Ring;
import dev.sluice.Socket;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * A thousand connections open at once on one ring, each doing one round trip with its own
 * bytes. The default RingConfig (4096 operations in flight) is enough; nothing is raised.
 */
class ManyConnectionsTest extends RingTest {
    private static final int CONNECTIONS = 1000;
    private static final int MESSAGE_BYTES = 16;

    @Test
    void thousandConcurrentRoundTrips() throws Exception {
        long limit = openFilesLimit();
        // Both ends of every connection live in this process, plus the JVM's own fds.
        long needed = 2L * CONNECTIONS + FdCounter.count() + 64;
        Assumptions.assumeTrue(limit >= needed, "the open-files limit (ulimit -n) is " + limit + "; this test needs " + needed);

        try (Ring ring = open()) {
            Socket listener = ring.listen(IPv4Address.LOOPBACK, 4096);
            EchoServer server = new EchoServer(ring, listener, 64).start();
            List<Client> clients = new ArrayList<>();
            int[] done = {0};
            for (int i = 0; i < CONNECTIONS; i++) {
                Client client = new Client(ring, ring.openTcp(Family.INET), i, () -> done[0]++);
                clients.add(client);
                client.connect(listener);
            }
            await(ring, () -> done[0] == CONNECTIONS, CONNECTIONS + " concurrent round trips (" + done[0] + " done)");
            assertEquals(CONNECTIONS, server.accepted);
            Set<Integer> ports = new HashSet<>();
            for (Client c : clients) {
                assertArrayEquals(c.message, c.reply.bytes(), "connection " + c.index + " got another connection's bytes");
                ports.add(((IPv4Address) c.socket.localAddress()).port());
            }
            assertEquals(CONNECTIONS, ports.size(), "every connection has its own local port");
            assertEquals(CONNECTIONS + CONNECTIONS + 1, ring.openSockets(), "clients, accepted connections and the listener are open");
        }
    }

    private static final class Client {
        final Socket socket;
        final int index;
        final byte[] message;
        final RecvAll reply;
        private final Ring ring;

        Client(Ring ring, Socket socket, int index, Runnable onReply) {
            this.ring = ring;
            this.socket = socket;
            this.index = index;
            this.message = new Pattern(1000 + index).bytes(MESSAGE_BYTES);
            this.reply = new RecvAll(ring, socket, 64, MESSAGE_BYTES, onReply);
        }

        void connect(Socket listener) throws Exception {
            ring.connect(socket, listener.localAddress(), new Completion(), c -> {
                ok(c);
                reply.start();
                new SendAll(ring, socket, Conformance.segment(message), null).start();
            });
        }
    }

    /** The soft RLIMIT_NOFILE, from /proc/self/limits ("Max open files  soft  hard  files"). */
    static long openFilesLimit() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/limits"))) {
            if (!line.startsWith("Max open files")) continue;
            String soft = line.substring("Max open files".length()).trim().split("\\s+")[0];
            return soft.equals("unlimited") ? Long.MAX_VALUE : Long.parseLong(soft);
        }
        return Long.MAX_VALUE;
    }
}
