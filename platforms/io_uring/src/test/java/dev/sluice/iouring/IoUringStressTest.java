package dev.sluice.iouring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.sluice.Completion;
import dev.sluice.Errno;
import dev.sluice.Family;
import dev.sluice.IPv4Address;
import dev.sluice.Ring;
import dev.sluice.RingConfig;
import dev.sluice.Socket;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Seeded random mix of recv (some with deadlines), send, cancel and closeSocket on many loopback
 * connections, with a small SQ and in-flight limit so the backlog and slot reuse are exercised.
 * Checks: every handler runs exactly once, every error is one the operation may give, the ring
 * closes with nothing in flight, and no fd leaks. A failing seed is printed.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class IoUringStressTest {
    private static final Set<Errno> RECV_ERRORS = EnumSet.of(Errno.ECANCELED, Errno.ETIMEDOUT, Errno.ECONNRESET, Errno.EBADF);
    private static final Set<Errno> SEND_ERRORS = EnumSet.of(Errno.ECANCELED, Errno.EPIPE, Errno.ECONNRESET, Errno.EBADF);

    @Test
    void randomMix() throws Exception {
        IoUringProbe.Result probe = IoUringProbe.cached();
        assumeTrue(probe.available(), probe.reason());
        long seed = Long.getLong("sluice.seed", System.nanoTime());
        try {
            run(seed);
        } catch (Throwable e) {
            throw new AssertionError("failed with -Dsluice.seed=" + seed, e);
        }
    }

    private void run(long seed) throws Exception {
        Random rnd = new Random(seed);
        long fdsBefore = IoUringRingTest.openFds();
        Map<Completion, int[]> calls = new IdentityHashMap<>();
        List<Completion> all = new ArrayList<>();
        try (Arena arena = Arena.ofShared(); Ring ring = Ring.open(new RingConfig(8, 32, "io_uring"))) {
            Socket listener = ring.listen(IPv4Address.LOOPBACK, 64);
            List<Socket> open = new ArrayList<>();
            for (int round = 0; round < 40; round++) {
                // Connect a few pairs.
                while (open.size() < 8) {
                    Socket c = ring.openTcp(Family.INET);
                    Completion a = new Completion();
                    Completion k = new Completion();
                    ring.accept(listener, a, x -> { });
                    ring.connect(c, listener.localAddress(), k, x -> { });
                    assertTrue(ring.runUntil(() -> !a.isPending() && !k.isPending(), TimeUnit.SECONDS.toNanos(10)));
                    assertTrue(a.ok() && k.ok(), a + " " + k);
                    open.add(c);
                    open.add(a.accepted());
                }
                List<Completion> pendingRecvs = new ArrayList<>();
                for (int i = 0; i < 60 && open.size() > 2; i++) {
                    Socket s = open.get(rnd.nextInt(open.size()));
                    Completion c = new Completion();
                    all.add(c);
                    int[] count = new int[1];
                    calls.put(c, count);
                    int what = rnd.nextInt(10);
                    if (what < 4) {
                        if (rnd.nextBoolean()) c.timeoutNanos(1_000_000L + rnd.nextInt(5_000_000));
                        MemorySegment buf = arena.allocate(1 + rnd.nextInt(64));
                        ring.recv(s, buf, c, x -> {
                            count[0]++;
                            if (!x.ok()) assertTrue(RECV_ERRORS.contains(x.error()), x.toString());
                        });
                        pendingRecvs.add(c);
                    } else if (what < 8) {
                        MemorySegment buf = arena.allocate(1 + rnd.nextInt(256));
                        ring.send(s, buf, c, x -> {
                            count[0]++;
                            if (!x.ok()) assertTrue(SEND_ERRORS.contains(x.error()), x.toString());
                        });
                    } else if (what < 9 && !pendingRecvs.isEmpty()) {
                        Completion target = pendingRecvs.get(rnd.nextInt(pendingRecvs.size()));
                        if (target.isPending()) {
                            ring.cancel(target, c, x -> {
                                count[0]++;
                                if (!x.ok()) assertEquals(Errno.ENOENT, x.error(), x.toString());
                            });
                        } else {
                            ring.nop(c, x -> count[0]++);
                        }
                    } else {
                        ring.nop(c, x -> count[0]++);
                        // Close a socket with whatever is pending on it.
                        Socket victim = open.remove(rnd.nextInt(open.size()));
                        victim.close();
                    }
                    if (rnd.nextInt(4) == 0) ring.tick();
                }
                ring.run(2_000_000L);
            }
            // Drain: close every socket; what is left completes with ECANCELED.
            for (Socket s : open) s.close();
            listener.close();
            assertTrue(ring.runUntil(() -> all.stream().noneMatch(Completion::isPending), TimeUnit.SECONDS.toNanos(20)),
                    "operations still pending after every socket closed");
        }
        for (Completion c : all) assertEquals(1, calls.get(c)[0], c + " handled " + calls.get(c)[0] + " times");
        assertEquals(fdsBefore, IoUringRingTest.openFds(), "fds leaked");
        System.out.println("stress seed " + seed + ": " + all.size() + " operations, each handled once");
    }
}
