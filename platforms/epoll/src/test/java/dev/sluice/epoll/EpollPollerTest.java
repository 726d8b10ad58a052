package dev.sluice.epoll;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.Family;
import dev.sluice.SocketType;
import dev.sluice.bindings.linux.unistd_h;
import dev.sluice.posix.ErrnoState;
import dev.sluice.posix.PosixSockets;
import dev.sluice.posix.readiness.PollEvents;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The poller alone: a wait of 0 (the bare, critical epoll_pwait) and a blocking wait (libc's
 * epoll_wait) deliver the same edge-triggered events.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class EpollPollerTest {
    private static final long TOKEN = (7L << 32) | 5;

    @Test
    void nonBlockingAndBlockingWaitsReportTheSameEvents() throws Exception {
        long[] pair = PosixSockets.INSTANCE.pair(Family.UNIX, SocketType.STREAM, true);
        EpollPoller poller = new EpollPoller(8);
        try (Arena arena = Arena.ofConfined()) {
            PollEvents events = new PollEvents(poller.eventsMax());
            assertEquals(0, poller.register((int) pair[0], TOKEN));
            // Registration reports what already holds: writable.
            assertEquals(1, poller.wait(0, events));
            assertEquals(TOKEN, events.token(0));
            assertEquals(PollEvents.WRITABLE, events.flags(0) & (PollEvents.READABLE | PollEvents.WRITABLE));
            // Edge-triggered: nothing new, nothing reported, and a wait of 0 never blocks.
            assertEquals(0, poller.wait(0, events));
            MemorySegment data = arena.allocate(8);
            assertEquals(8, unistd_h.write(ErrnoState.current(), (int) pair[1], data, 8));
            assertEquals(1, poller.wait(0, events));
            assertEquals(TOKEN, events.token(0));
            assertTrue((events.flags(0) & PollEvents.READABLE) != 0, "readable after the peer wrote");
            assertEquals(8, unistd_h.write(ErrnoState.current(), (int) pair[1], data, 8));
            assertEquals(1, poller.wait(TimeUnit.SECONDS.toNanos(10), events));
            assertTrue((events.flags(0) & PollEvents.READABLE) != 0, "readable after the second write");
            // A wakeup is consumed by the wait and not reported, on either path.
            poller.wakeup();
            assertEquals(0, poller.wait(0, events));
            poller.wakeup();
            assertEquals(0, poller.wait(TimeUnit.SECONDS.toNanos(10), events));
        } finally {
            poller.close();
            PosixSockets.INSTANCE.close(pair[0]);
            PosixSockets.INSTANCE.close(pair[1]);
        }
    }
}
