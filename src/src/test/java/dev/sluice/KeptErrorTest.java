package dev.sluice;

import static org.junit.jupiter.api.Assertions.*;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A socket error kept for a socket ({@link Socket#pendingError}: a join took it from the kernel
 * while being unjoined) reaches the caller where the kernel would have reported it: a receive
 * reads the bytes still queued first and gets the error only at their end (tcp_recvmsg_locked
 * looks at sk_err only with the queue empty), a send gets it at once (tcp_sendmsg_locked looks at
 * sk_err first). Then end of stream and EPIPE, as the reset socket is. On the simulated backend,
 * which reports a reset once as Linux does.
 */
@Timeout(30)
class KeptErrorTest {
    @Test
    void aKeptResetReachesAReceiveAfterTheQueuedBytes() throws Exception {
        List<String> seen = run(false);
        assertEquals(List.of("recv 100", "recv ECONNRESET", "recv 0", "send EPIPE"), seen);
    }

    @Test
    void aKeptResetFailsTheNextSendAtOnce() throws Exception {
        List<String> seen = run(true);
        assertEquals(List.of("send ECONNRESET", "recv 100", "recv 0", "send EPIPE"), seen);
    }

    /** 100 bytes queued in a, then a reset whose report someone else took and a keeps; what a's calls see. */
    private static List<String> run(boolean sendFirst) throws Exception {
        Ring ring = SimBackend.open(SimBackend.Faults.none(1), 8);
        SimBackend sim = SimBackend.lastOpened();
        List<String> seen = new ArrayList<>();
        try (Arena arena = Arena.ofConfined()) {
            UnixSocket[] p = ring.socketpair(SocketType.STREAM);
            Socket a = p[0];
            MemorySegment out = arena.allocate(100);
            MemorySegment in = arena.allocate(1000);
            assertEquals("send 100", call(ring, true, p[1], out));
            sim.resetConnection(a.handle(), false);
            Errno taken = sim.takeError(a.handle());
            assertEquals(Errno.ECONNRESET, taken);
            a.pendingError = taken;
            a.pendingNativeErrno = 104;
            if (sendFirst) seen.add(call(ring, true, a, out));
            for (int i = 0; i < 4 && !seen.contains("recv 0"); i++) seen.add(call(ring, false, a, in));
            seen.add(call(ring, true, a, out));
        } finally {
            ring.close();
        }
        return seen;
    }

    private static String call(Ring ring, boolean send, Socket s, MemorySegment buffer) throws SluiceException {
        Completion c = new Completion();
        boolean[] done = new boolean[1];
        if (send) ring.send(s, buffer, c, x -> done[0] = true);
        else ring.recv(s, buffer, c, x -> done[0] = true);
        for (int i = 0; i < 100 && !done[0]; i++) ring.tick();
        assertTrue(done[0], "completed");
        return (send ? "send " : "recv ") + (c.ok() ? String.valueOf(c.result()) : c.error().name());
    }
}
