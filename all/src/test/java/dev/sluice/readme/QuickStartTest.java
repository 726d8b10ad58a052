package dev.sluice.readme;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sluice.*;
import java.lang.foreign.*;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The README's quick start, verbatim but for the assertion: if this breaks, the README is wrong. */
@Timeout(60)
class QuickStartTest {
    @Test
    void quickStartWorksAsWritten() throws Exception {
        String printed;
        // --- README quick start begins ---
        try (Ring ring = Ring.open(); Arena arena = Arena.ofConfined()) {
            Socket listener = ring.listen(IPv4Address.LOOPBACK, 128);
            Address address = listener.localAddress();

            // Server: accept one connection, echo one message (callback style, nothing allocated per op).
            MemorySegment serverBuf = arena.allocate(1024);
            ring.accept(listener, new Completion(), accepted -> {
                Socket conn = accepted.accepted();
                ring.recv(conn, serverBuf, accepted, received ->
                    ring.send(conn, serverBuf.asSlice(0, received.result()), received, sent -> conn.close()));
            });

            // Client: futures this time.
            Socket client = ring.openTcp(Family.INET);
            MemorySegment msg = arena.allocateFrom("hello");
            MemorySegment reply = arena.allocate(msg.byteSize());
            var done = ring.connect(client, address)
                    .thenCompose(v -> ring.send(client, msg))
                    .thenCompose(n -> ring.recv(client, reply));
            ring.runUntil(done::isDone, 5_000_000_000L);
            System.out.println(reply.getString(0));   // hello
            // --- README quick start ends ---
            printed = reply.getString(0);
            assertEquals(6, done.get());
        }
        assertEquals("hello", printed);
    }

    private final StringBuilder consumed = new StringBuilder();

    private void consume(MemorySegment bytes) {
        consumed.append(new String(bytes.toArray(ValueLayout.JAVA_BYTE), java.nio.charset.StandardCharsets.UTF_8));
    }

    @Test
    void multishotWorksAsWritten() throws Exception {
        try (Ring ring = Ring.open()) {
            Socket listener = ring.listen(IPv4Address.LOOPBACK, 128);
            // --- README multishot begins ---
            BufferPool pool = ring.openBufferPool(1024, 4096);      // 1024 buffers of 4 KiB
            ring.acceptMultishot(listener, new Completion(), a -> {
                if (!a.more()) return;                               // the final result: cancelled or failed
                Socket conn = a.accepted();
                ring.recvMultishot(conn, pool, new Completion(), r -> {
                    if (!r.more()) { conn.close(); return; }         // 0 at end of stream, or the error
                    consume(r.buffer().asSlice(0, r.result()));      // the buffer returns to the pool after this
                });
            });
            // --- README multishot ends ---
            for (String word : new String[] {"hello ", "multishot"}) {
                Socket client = ring.openTcp(Family.INET);
                try (Arena arena = Arena.ofConfined()) {
                    CompletableFuture<Integer> sent = ring.connect(client, listener.localAddress()).thenCompose(v -> ring.send(client, arena.allocateFrom(word).asSlice(0, word.length())));
                    ring.runUntil(sent::isDone, 5_000_000_000L);
                    assertEquals(word.length(), sent.get());
                }
                client.close();
                int want = consumed.length() + word.length();
                ring.runUntil(() -> consumed.length() == want && ring.openSockets() == 1, 5_000_000_000L);
            }
            assertEquals("hello multishot", consumed.toString());
            assertEquals(1, ring.openSockets(), "each connection was closed at its end of stream");
        }
    }

    @Test
    void blockingStyleWorksAsWritten() throws Exception {
        try (Ring server = Ring.open(); Arena arena = Arena.ofShared()) {
            Socket listener = server.listen(IPv4Address.LOOPBACK, 8);
            int port = ((IPv4Address) listener.localAddress()).port();
            MemorySegment serverBuf = arena.allocate(64);
            server.accept(listener, new Completion(), a -> {
                Socket conn = a.accepted();
                server.recv(conn, serverBuf, a, r -> server.send(conn, serverBuf.asSlice(0, r.result()), r, s -> { }));
            });
            MemorySegment buffer = arena.allocateFrom("ping");
            CompletableFuture<Integer> got = new CompletableFuture<>();
            // --- README blocking style begins (with the port of this test's server) ---
            try (Ring ring = Ring.start(RingConfig.DEFAULT)) {
                Socket s = ring.openTcp(Family.INET);
                Thread.ofVirtual().start(() -> {
                    try {
                        s.connect(Address.ipv4("127.0.0.1", port));
                        s.sendAll(buffer);
                        int n = s.recv(buffer);
                        got.complete(n);
                    } catch (Exception e) {
                        got.completeExceptionally(e);
                    }
                });
                // The client's virtual thread completes `got`; that does not wake the server's ring, so turn it in short steps.
                for (int i = 0; i < 1000 && !got.isDone(); i++) server.runUntil(got::isDone, 10_000_000L);
                assertEquals(5, got.get());
            }
            // --- README blocking style ends ---
        }
    }
}
