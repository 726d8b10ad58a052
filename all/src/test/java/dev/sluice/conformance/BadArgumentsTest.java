package dev.sluice.conformance;

import static dev.sluice.conformance.Conformance.WAIT_SECONDS;
import static dev.sluice.conformance.Conformance.await;
import static dev.sluice.conformance.Conformance.failed;
import static dev.sluice.conformance.Conformance.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.Completion;
import dev.sluice.Errno;
import dev.sluice.Family;
import dev.sluice.IPv4Address;
import dev.sluice.IPv6Address;
import dev.sluice.Ring;
import dev.sluice.RingConfig;
import dev.sluice.Socket;
import dev.sluice.SocketOption;
import dev.sluice.SocketType;
import dev.sluice.UnixAddress;
import dev.sluice.UnixSocket;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Misuse is refused at the call, with a message that says what was wrong, and leaves the ring
 * and the completion usable.
 */
class BadArgumentsTest extends RingTest {

    private static void assertMentions(String message, String word) {
        assertTrue(Pattern.compile("\\b" + Pattern.quote(word) + "\\b").matcher(message).find(),
                "the message should name " + word + ": " + message);
    }

    @Test
    void operationOnClosedSocket() throws Exception {
        try (Ring ring = open()) {
            UnixSocket[] pair = ring.socketpair(SocketType.STREAM);
            long fd = pair[0].handle();
            pair[0].close();
            Completion c = new Completion();
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> ring.recv(pair[0], Conformance.allocate(8), c, x -> { }));
            assertTrue(e.getMessage().contains("fd " + fd), "the message names the fd: " + e.getMessage());
            assertFalse(c.isPending());
            assertThrows(IllegalStateException.class, () -> ring.send(pair[0], Conformance.allocate(8), c, x -> { }));
            IllegalStateException option = assertThrows(IllegalStateException.class, () -> pair[0].setOption(SocketOption.SEND_BUFFER, 4096));
            assertTrue(option.getMessage().contains("fd " + fd), option.getMessage());
            pair[0].close(); // closing twice is fine
            assertRingStillWorks(ring, c);
        }
    }

    @Test
    void addressOfTheWrongFamily() throws Exception {
        try (Ring ring = open()) {
            Socket v4 = ring.openTcp(Family.INET);
            Completion c = new Completion();
            IllegalArgumentException connect = assertThrows(IllegalArgumentException.class,
                    () -> ring.connect(v4, IPv6Address.LOOPBACK.withPort(80), c, x -> { }));
            assertMentions(connect.getMessage(), "INET");
            assertMentions(connect.getMessage(), "INET6");
            assertFalse(c.isPending());

            Socket v6 = ring.openUdp(Family.INET6);
            IllegalArgumentException sendto = assertThrows(IllegalArgumentException.class,
                    () -> ring.sendto(v6, Conformance.allocate(4), IPv4Address.LOOPBACK.withPort(9), c, x -> { }));
            assertMentions(sendto.getMessage(), "INET");
            assertMentions(sendto.getMessage(), "INET6");

            IllegalArgumentException bind = assertThrows(IllegalArgumentException.class,
                    () -> v4.bind(UnixAddress.abstractName("sluice-wrong-family")));
            assertMentions(bind.getMessage(), "INET");
            assertMentions(bind.getMessage(), "UNIX");
            assertRingStillWorks(ring, c);
        }
    }

    @Test
    void emptyAndHeapBuffers() throws Exception {
        try (Ring ring = open()) {
            UnixSocket[] pair = ring.socketpair(SocketType.STREAM);
            Completion c = new Completion();
            IllegalArgumentException empty = assertThrows(IllegalArgumentException.class,
                    () -> ring.recv(pair[0], Conformance.allocate(0), c, x -> { }));
            assertTrue(empty.getMessage().contains("empty"), empty.getMessage());
            assertFalse(c.isPending());

            MemorySegment heap = MemorySegment.ofArray(new byte[16]);
            IllegalArgumentException onHeap = assertThrows(IllegalArgumentException.class,
                    () -> ring.recv(pair[0], heap, c, x -> { }));
            assertTrue(onHeap.getMessage().contains("native"), onHeap.getMessage());
            assertThrows(IllegalArgumentException.class, () -> ring.send(pair[0], heap, c, x -> { }));
            assertThrows(IllegalArgumentException.class, () -> ring.recv(pair[0], heap), "the future form checks too");
            assertRingStillWorks(ring, c);
        }
    }

    @Test
    void completionStillInFlight() throws Exception {
        try (Ring ring = open()) {
            UnixSocket[] pair = ring.socketpair(SocketType.STREAM);
            Completion recv = new Completion();
            int[] calls = {0};
            ring.recv(pair[0], Conformance.allocate(8), recv, c -> calls[0]++);
            assertTrue(recv.isPending());
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> ring.recv(pair[1], Conformance.allocate(8), recv, c -> calls[0]++));
            assertTrue(e.getMessage().contains("in flight"), e.getMessage());
            assertThrows(IllegalStateException.class, () -> ring.nop(recv, c -> calls[0]++));

            // The operation it carries is untouched: it still completes, once.
            Completion cancel = new Completion();
            ring.cancel(recv, cancel, c -> ok(c));
            await(ring, () -> calls[0] > 0 && !cancel.isPending(), "the first operation's end");
            failed(recv, Errno.ECANCELED);
            assertEquals(1, calls[0]);
            assertEquals(pair[0], recv.socket(), "the rejected reuse did not overwrite the operation");
        }
    }

    @Test
    void blockingCallOnTheRingThread() throws Exception {
        try (Ring ring = open()) {
            UnixSocket[] pair = ring.socketpair(SocketType.STREAM);
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> pair[0].recv(Conformance.allocate(8)));
            assertTrue(e.getMessage().contains("ring"), e.getMessage());
            assertThrows(IllegalStateException.class, () -> pair[1].sendAll(Conformance.segment(new byte[] {9, 9, 9})));
            // Refused means not started: no recv is left behind to swallow the next bytes, and no
            // send went out.
            byte[] message = {1, 2, 3};
            Completion send = new Completion();
            ring.send(pair[1], Conformance.segment(message), send, c -> ok(c));
            RecvAll recv = new RecvAll(ring, pair[0], 16, message.length, null).start();
            await(ring, () -> recv.done && !send.isPending(), "bytes after refused blocking calls");
            org.junit.jupiter.api.Assertions.assertArrayEquals(message, recv.bytes());
            assertRingStillWorks(ring, new Completion());
        }
        // Also from inside a handler of a ring on its own thread.
        try (Ring ring = start()) {
            UnixSocket[] pair = ring.socketpair(SocketType.STREAM);
            CompletableFuture<Throwable> thrown = new CompletableFuture<>();
            ring.execute(() -> {
                try {
                    pair[0].recv(Conformance.allocate(8));
                    thrown.complete(null);
                } catch (Throwable t) {
                    thrown.complete(t);
                }
            });
            assertInstanceOf(IllegalStateException.class, thrown.get(WAIT_SECONDS, TimeUnit.SECONDS));
        }
    }

    @Test
    void loopCallsFromAnotherThread() throws Exception {
        try (Ring ring = open()) {
            CompletableFuture<Throwable> thrown = new CompletableFuture<>();
            Thread.ofPlatform().start(() -> {
                try {
                    ring.runUntil(() -> true, 1);
                    thrown.complete(null);
                } catch (Throwable t) {
                    thrown.complete(t);
                }
            });
            Throwable t = thrown.get(WAIT_SECONDS, TimeUnit.SECONDS);
            assertInstanceOf(IllegalStateException.class, t, "only the owner runs the loop");
            assertTrue(t.getMessage().contains(Thread.currentThread().getName()), "the message names the owner: " + t.getMessage());
        }
    }

    @Test
    void invalidConfigIsRejectedWithTheValue() {
        IllegalArgumentException entries = assertThrows(IllegalArgumentException.class, () -> new RingConfig(100, 4096, backend));
        assertTrue(entries.getMessage().contains("100"), entries.getMessage());
        IllegalArgumentException inflight = assertThrows(IllegalArgumentException.class, () -> new RingConfig(256, 10, backend));
        assertTrue(inflight.getMessage().contains("10"), inflight.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Completion().timeoutNanos(-1));
    }

    private static void assertRingStillWorks(Ring ring, Completion c) throws Exception {
        int[] calls = {0};
        ring.nop(c, x -> calls[0] += ok(x) != null ? 1 : 0);
        await(ring, () -> calls[0] == 1, "a nop after a refused call");
    }
}
