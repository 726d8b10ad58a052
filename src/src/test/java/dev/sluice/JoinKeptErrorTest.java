package dev.sluice;

import static org.junit.jupiter.api.Assertions.*;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Timeout;
import dev.sluice.spi.Operation;

/**
 * A socket that keeps an error from an earlier, unjoined join ({@link Socket#pendingError}) and is
 * joined again: the join reports that error where the kernel would have, once. Bytes for the
 * socket make the next write into it fail with the kept reset (tcp_sendmsg_locked looks at sk_err
 * first), so the join ends RESET with ECONNRESET, not with the EPIPE the reset socket says after.
 * On the simulated backend (which reports a reset once, as Linux does), with the pump and with
 * plain splices or copies.
 */
@Timeout(30)
class JoinKeptErrorTest {
    private static final int QUEUED = 1 << 20;

    @ParameterizedTest(name = "zeroCopy={0}")
    @ValueSource(booleans = {true, false})
    void aKeptResetOnTheDestinationEndsTheJoinWithIt(boolean zeroCopy) throws Exception {
        Ring ring = SimBackend.open(SimBackend.Faults.none(7), 16);
        SimBackend sim = SimBackend.lastOpened();
        try (Arena arena = Arena.ofConfined()) {
            UnixSocket[] left = ring.socketpair(SocketType.STREAM);
            UnixSocket[] right = ring.socketpair(SocketType.STREAM);
            Socket x = left[0], a = left[1], b = right[0], y = right[1];
            // Bytes queued in b keep the direction out of b busy (nobody reads x), so the kept
            // reset is not taken at b's end of stream but by the first write into b.
            MemorySegment queued = arena.allocate(QUEUED);
            Completion fill = new Completion();
            ring.send(y, queued, fill, c -> { });
            for (int i = 0; i < 100 && fill.state() != Operation.State.IDLE; i++) ring.tick();
            assertTrue(fill.ok() && fill.result() > 0, "bytes queued in b");
            // b's connection was reset and an earlier join took the report: b keeps it.
            sim.resetConnection(b.handle(), false);
            Errno taken = sim.takeError(b.handle());
            assertEquals(Errno.ECONNRESET, taken);
            b.pendingError = taken;
            b.pendingNativeErrno = 104;

            Join join = Join.start(a, b, Join.Options.DEFAULT.withZeroCopy(zeroCopy));
            MemorySegment bytes = arena.allocate(100);
            Completion send = new Completion();
            ring.send(x, bytes, send, c -> { });
            CompletableFuture<Join.Ended> ended = join.ended();
            for (int i = 0; i < 1000 && !ended.isDone(); i++) ring.tick();
            assertTrue(ended.isDone(), "join ended");
            Join.Ended e = ended.get();
            assertEquals(Join.Reason.RESET, e.reason());
            assertNotNull(e.cause());
            assertEquals(Errno.ECONNRESET, e.cause().errno(), "the kept reset, not the EPIPE after it");
            assertNull(b.pendingError, "reported once");
        } finally {
            ring.close();
        }
    }
}
