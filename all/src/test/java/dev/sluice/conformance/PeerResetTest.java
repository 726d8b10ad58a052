package dev.sluice.conformance;

import static dev.sluice.conformance.Conformance.WAIT_SECONDS;
import static dev.sluice.conformance.Conformance.await;
import static dev.sluice.conformance.Conformance.failed;
import static dev.sluice.conformance.Conformance.ok;
import static dev.sluice.conformance.Conformance.segment;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.Completion;
import dev.sluice.Errno;
import dev.sluice.IPv4Address;
import dev.sluice.Ring;
import dev.sluice.SluiceException;
import dev.sluice.Socket;
import dev.sluice.SocketOption;
import java.lang.foreign.MemorySegment;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A peer that resets (SO_LINGER 0, then close: RST instead of FIN). The receive pending on the
 * other side fails with a typed ECONNRESET, a later send with EPIPE (or ECONNRESET if the reset
 * was not reported yet), and other connections on the same ring do not notice.
 */
class PeerResetTest extends RingTest {

    @Test
    void resetFailsRecvAndSendWithTypedErrors() throws Exception {
        try (Ring ring = open()) {
            Socket[] victim = tcpPair(ring, IPv4Address.LOOPBACK);
            Socket[] bystander = tcpPair(ring, IPv4Address.LOOPBACK);

            // A recv pending on each connection before the reset.
            MemorySegment buffer = Conformance.allocate(1024);
            Completion recv = new Completion();
            int[] recvCalls = {0};
            ring.recv(victim[0], buffer, recv, c -> recvCalls[0]++);
            RecvAll bystanderRecv = new RecvAll(ring, bystander[0], 1024, 100, null).start();
            ring.tick();

            victim[1].setOption(SocketOption.LINGER_SECONDS, 0);
            assertEquals(0, victim[1].option(SocketOption.LINGER_SECONDS));
            victim[1].close();
            await(ring, () -> recvCalls[0] > 0, "the recv pending when the peer reset");
            failed(recv, Errno.ECONNRESET);
            assertEquals(1, recvCalls[0]);
            assertTrue(recv.error().isConnectionError());
            assertTrue(recv.nativeErrno() > 0);
            SluiceException e = recv.exception();
            assertEquals(Errno.ECONNRESET, e.errno());
            assertTrue(e.getMessage().contains("ECONNRESET"), e.getMessage());

            Completion send = new Completion();
            int[] sendCalls = {0};
            ring.send(victim[0], segment(new byte[] {1, 2, 3}), send, c -> sendCalls[0]++);
            await(ring, () -> sendCalls[0] > 0, "a send after the reset");
            failed(send, Errno.EPIPE, Errno.ECONNRESET);

            // The other connection on the same ring goes on as if nothing happened.
            assertTrue(bystanderRecv.recvs == 0 && !bystanderRecv.done, "the bystander saw nothing yet");
            byte[] message = new Pattern(51).bytes(100);
            new SendAll(ring, bystander[1], segment(message), null).start();
            await(ring, () -> bystanderRecv.done, "the bystander's data");
            assertArrayEquals(message, bystanderRecv.bytes());
        }
    }

    @Test
    void resetWithUnreadDataFailsTheBlockingRecv() throws Exception {
        try (Ring ring = start()) {
            Socket[] pair = new Socket[2];
            Socket listener = ring.listen(IPv4Address.LOOPBACK, 4);
            var accepted = ring.accept(listener);
            pair[0] = ring.openTcp(listener.localAddress().family());
            ring.connect(pair[0], listener.localAddress()).get(WAIT_SECONDS, java.util.concurrent.TimeUnit.SECONDS);
            pair[1] = accepted.get(WAIT_SECONDS, java.util.concurrent.TimeUnit.SECONDS);

            Throwable[] thrown = new Throwable[1];
            Thread reader = Thread.ofVirtual().start(() -> {
                try {
                    int n = pair[0].recv(Conformance.allocate(64));
                    thrown[0] = new AssertionError("recv returned " + n + " instead of failing");
                } catch (Throwable e) {
                    thrown[0] = e;
                }
            });
            // Unread data in the closing socket's queue makes the close a reset too; LINGER 0 makes sure.
            pair[0].sendAll(segment(new Pattern(52).bytes(1000)));
            pair[1].setOption(SocketOption.LINGER_SECONDS, 0);
            pair[1].close();
            assertTrue(reader.join(Duration.ofSeconds(WAIT_SECONDS)), "the blocked recv did not return");
            SluiceException e = assertInstanceOf(SluiceException.class, thrown[0]);
            assertEquals(Errno.ECONNRESET, e.errno());
        }
    }
}
