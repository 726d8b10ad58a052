package dev.sluice.posix.readiness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.Completion;
import dev.sluice.Family;
import dev.sluice.Handler;
import dev.sluice.Protocol;
import dev.sluice.Ring;
import dev.sluice.RingConfig;
import dev.sluice.Socket;
import dev.sluice.SocketType;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The harvest skip (ReadinessBackend.skipHarvest) cannot starve a socket: while another socket
 * keeps the loop busy with operations that complete at once (so every turn could skip the poller
 * wait), a socket whose data arrives is served within the policy's bound, counted in loop turns.
 * The same scenario with an unbounded policy never serves it, so these tests would catch a policy
 * that starves. Runs the engine over a scripted kernel ({@link FakeReadinessProvider}): no timing.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HarvestFairnessTest {
    private static final int BUSY_FD = 100;
    private static final int QUIET_FD = 101;
    private static final int TURNS_LONG = 1000;

    private final Arena arena = Arena.ofConfined();
    private Ring ring;

    @AfterEach
    void close() {
        if (ring != null) ring.close();
        arena.close();
        FakeReadinessProvider.nextPolicy = new int[] {ReadinessBackend.HARVEST_SKIPS_MAX, ReadinessBackend.HARVEST_SKIP_OPS_MAX};
    }

    /** A socket that sends forever, each send submitted by the last one's handler and completing at once. */
    private final class Busy implements Handler {
        final Socket socket;
        final MemorySegment buffer = arena.allocate(64);
        final Completion completion = new Completion();
        boolean stop;
        long sent;

        Busy(Socket socket) {
            this.socket = socket;
        }

        void start() {
            ring.send(socket, buffer, completion, this);
        }

        @Override
        public void completed(Completion c) {
            assertTrue(c.ok(), c::toString);
            sent++;
            if (!stop) ring.send(socket, buffer, c, this);
        }
    }

    private Busy busy;
    private boolean quietDone;
    private int quietResult;

    private FakeReadinessProvider.FakeKernel open(int skipsMax, int skipOpsMax) throws Exception {
        FakeReadinessProvider.nextPolicy = new int[] {skipsMax, skipOpsMax};
        ring = Ring.open(RingConfig.DEFAULT.withBackend(FakeReadinessProvider.NAME));
        FakeReadinessProvider.FakeKernel kernel = FakeReadinessProvider.lastKernel;
        busy = new Busy(ring.adopt(BUSY_FD, Family.INET, SocketType.STREAM, Protocol.TCP));
        Socket quiet = ring.adopt(QUIET_FD, Family.INET, SocketType.STREAM, Protocol.TCP);
        quietDone = false;
        ring.recv(quiet, arena.allocate(2048), new Completion(), c -> {
            quietDone = true;
            quietResult = c.ok() ? c.result() : -1;
        });
        busy.start();
        // Let the recv find nothing (EAGAIN, it waits) and the busy chain settle into its rhythm.
        for (int i = 0; i < 10; i++) ring.tick();
        assertFalse(quietDone, "the recv had no data yet");
        return kernel;
    }

    /** Loop turns from the quiet socket's data arriving to its recv completing; -1 when not within {@code turnsMax}. */
    private int turnsUntilServed(FakeReadinessProvider.FakeKernel kernel, int turnsMax) throws Exception {
        kernel.readable(QUIET_FD);
        for (int turn = 1; turn <= turnsMax; turn++) {
            ring.tick();
            if (quietDone) {
                assertEquals(FakeReadinessProvider.FakeKernel.MESSAGE_BYTES, quietResult);
                return turn;
            }
        }
        return -1;
    }

    @Test
    void theDefaultPolicyServesAReadySocketWithinItsBoundWhileAnotherKeepsTheLoopBusy() throws Exception {
        FakeReadinessProvider.FakeKernel kernel = open(ReadinessBackend.HARVEST_SKIPS_MAX, ReadinessBackend.HARVEST_SKIP_OPS_MAX);
        int turns = turnsUntilServed(kernel, TURNS_LONG);
        assertTrue(turns >= 1 && turns <= ReadinessBackend.HARVEST_SKIPS_MAX + 1,
                "served after " + turns + " turns; the policy allows " + (ReadinessBackend.HARVEST_SKIPS_MAX + 1));
        assertTrue(busy.sent > 10, "the busy socket kept sending");
    }

    @Test
    void eachTurnBoundHolds() throws Exception {
        for (int skipsMax = 0; skipsMax <= 4; skipsMax++) {
            for (int phase = 0; phase <= skipsMax; phase++) {
                // Data may arrive at any point of the skip cycle: shift it by `phase` turns.
                FakeReadinessProvider.FakeKernel kernel = open(skipsMax, Integer.MAX_VALUE);
                for (int i = 0; i < phase; i++) ring.tick();
                int turns = turnsUntilServed(kernel, TURNS_LONG);
                assertTrue(turns >= 1 && turns <= skipsMax + 1, "skipsMax " + skipsMax + ", phase " + phase + ": served after " + turns + " turns");
                ring.close();
                ring = null;
            }
        }
    }

    @Test
    void theWorkBoundForcesAHarvestEvenWhenManySkipsAreAllowed() throws Exception {
        int opsMax = 8;
        FakeReadinessProvider.FakeKernel kernel = open(Integer.MAX_VALUE, opsMax);
        // The busy chain completes one send per turn: a harvest at least every opsMax turns.
        int turns = turnsUntilServed(kernel, TURNS_LONG);
        assertTrue(turns >= 1 && turns <= opsMax + 1, "served after " + turns + " turns; opsMax " + opsMax);
    }

    @Test
    void anUnboundedPolicyStarvesTheSocketSoTheBoundsAboveAreWhatServesIt() throws Exception {
        FakeReadinessProvider.FakeKernel kernel = open(Integer.MAX_VALUE, Integer.MAX_VALUE);
        assertEquals(-1, turnsUntilServed(kernel, TURNS_LONG), "an unbounded skip policy should never harvest while the loop is busy");
        assertEquals(1, kernel.pendingEvents(), "the event is still in the kernel's ready list");
        // The chain ends: the next poll completes nothing from submissions, so it must harvest (without blocking).
        busy.stop = true;
        assertTrue(ring.runUntil(() -> quietDone, TimeUnit.SECONDS.toNanos(10)), "served once the loop was idle");
    }

    @Test
    void aSkipNeverBecomesABlockingWait() throws Exception {
        // The fake poller throws on a wait that would block with nothing queued. Run the busy chain
        // with skips allowed under runUntil (which passes a blocking timeout to the backend):
        // every poll that skipped had completions, so the ring came straight back.
        FakeReadinessProvider.FakeKernel kernel = open(1, ReadinessBackend.RESUME_BATCH_MAX);
        long target = busy.sent + 500;
        assertTrue(ring.runUntil(() -> busy.sent >= target, TimeUnit.SECONDS.toNanos(10)));
        kernel.readable(QUIET_FD);
        assertTrue(ring.runUntil(() -> quietDone, TimeUnit.SECONDS.toNanos(10)));
        assertTrue(FakeReadinessProvider.lastBackend.harvestSkips() > 0, "the policy skipped some harvests");
    }

    @Test
    void aRequestResponseLoopHarvestsLessOftenThanOncePerTurn() throws Exception {
        // One echo connection: recv, then send what came, then recv again; data arrives after each send.
        FakeReadinessProvider.nextPolicy = new int[] {1, ReadinessBackend.RESUME_BATCH_MAX};
        ring = Ring.open(RingConfig.DEFAULT.withBackend(FakeReadinessProvider.NAME));
        FakeReadinessProvider.FakeKernel kernel = FakeReadinessProvider.lastKernel;
        Socket s = ring.adopt(QUIET_FD, Family.INET, SocketType.STREAM, Protocol.TCP);
        MemorySegment buffer = arena.allocate(2048);
        long[] echoed = {0};
        Handler h = new Handler() {
            @Override
            public void completed(Completion c) {
                assertTrue(c.ok(), c::toString);
                if (c.op() == dev.sluice.Op.RECV) {
                    ring.send(s, buffer, 0, c.result(), c, this);
                } else {
                    echoed[0]++;
                    kernel.readable(QUIET_FD);
                    ring.recv(s, buffer, c, this);
                }
            }
        };
        kernel.readable(QUIET_FD);
        ring.recv(s, buffer, new Completion(), h);
        int turns = 0;
        while (echoed[0] < 1000) {
            ring.tick();
            turns++;
        }
        ReadinessBackend b = FakeReadinessProvider.lastBackend;
        assertTrue(b.harvests() < turns, b.harvests() + " harvests in " + turns + " turns");
        assertTrue(b.harvestSkips() > 0);
    }
}
