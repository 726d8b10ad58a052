package dev.sluice.posix.readiness;

import dev.sluice.Address;
import dev.sluice.Errno;
import dev.sluice.Feature;
import dev.sluice.RingConfig;
import dev.sluice.Shutdown;
import dev.sluice.posix.LinuxErrno;
import dev.sluice.posix.PosixSockets;
import dev.sluice.spi.Backend;
import dev.sluice.spi.BackendProvider;
import dev.sluice.spi.Operation;
import dev.sluice.spi.Probe;
import dev.sluice.spi.SocketSystem;
import java.util.ArrayDeque;
import java.util.EnumSet;

/**
 * Backend {@code "readiness-fake"}: the readiness engine over a scripted kernel, for tests that
 * must control exactly when the poller reports what. Every fd is a TCP socket: a send takes all
 * its bytes at once and raises no event; a recv returns {@link FakeKernel#MESSAGE_BYTES} when the
 * test made the fd readable, else EAGAIN. The poller reports only the events the test queued with
 * {@link FakeKernel#readable(int)}, all of them at the next wait. Never chosen automatically
 * (lowest priority); registered for the tests of this module only.
 */
public final class FakeReadinessProvider implements BackendProvider {
    public static final String NAME = "readiness-fake";

    /** The harvest policy of the next backend opened: {harvestSkipsMax, harvestSkipOpsMax}. */
    static volatile int[] nextPolicy = {ReadinessBackend.HARVEST_SKIPS_MAX, ReadinessBackend.HARVEST_SKIP_OPS_MAX};
    /** The kernel and engine of the last backend opened. */
    static volatile FakeKernel lastKernel;
    static volatile ReadinessBackend lastBackend;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int priority() {
        return Integer.MIN_VALUE;
    }

    @Override
    public Probe probe() {
        return Probe.available("scripted kernel (tests only)");
    }

    @Override
    public SocketSystem sockets() {
        return PosixSockets.INSTANCE;
    }

    @Override
    public Backend open(RingConfig config) {
        FakeKernel kernel = new FakeKernel(config.entries());
        int[] policy = nextPolicy;
        ReadinessBackend backend = new ReadinessBackend(kernel.poller, kernel.sockets, PosixSockets.INSTANCE,
                ReadinessBackend.capabilities(EnumSet.noneOf(Feature.class)), config, policy[0], policy[1]);
        lastKernel = kernel;
        lastBackend = backend;
        return backend;
    }

    /** Per-fd readable flags, the events queued for the next wait, and counts of what the engine did. */
    static final class FakeKernel {
        static final int MESSAGE_BYTES = 64;
        static final int FDS = 1024;
        private static final int EAGAIN = LinuxErrno.number(Errno.EAGAIN);
        private final boolean[] readable = new boolean[FDS];
        private final long[] tokens = new long[FDS];
        private final ArrayDeque<Integer> pending = new ArrayDeque<>();
        private final int eventsMax;
        final Poller poller = new FakePoller();
        final NonBlockingSockets sockets = new FakeSockets();
        int waits;
        int recvs;
        int sends;

        FakeKernel(int eventsMax) {
            this.eventsMax = eventsMax;
        }

        /** Data arrives on {@code fd}: it is readable, and the next wait reports it (edge-triggered). */
        void readable(int fd) {
            readable[fd] = true;
            pending.add(fd);
        }

        /** Events queued and not yet harvested. */
        int pendingEvents() {
            return pending.size();
        }

        final class FakePoller implements Poller {
            @Override
            public int register(int fd, long token) {
                tokens[fd] = token;
                return 0;
            }

            @Override
            public int unregister(int fd) {
                return 0;
            }

            @Override
            public int eventsMax() {
                return eventsMax;
            }

            @Override
            public int wait(long timeoutNanos, PollEvents events) {
                events.clear();
                waits++;
                // Nothing will ever arrive in this kernel except through the test, which runs on
                // the loop thread: a wait that would block with nothing queued would hang forever.
                if (pending.isEmpty() && timeoutNanos < 0) throw new AssertionError("the engine would block forever with nothing queued");
                while (!pending.isEmpty() && events.count() < eventsMax) {
                    int fd = pending.poll();
                    events.add(tokens[fd], PollEvents.READABLE);
                }
                return events.count();
            }

            @Override
            public void wakeup() {
            }

            @Override
            public void close() {
            }
        }

        final class FakeSockets implements NonBlockingSockets {
            @Override
            public long recv(int fd, long address, int length) {
                recvs++;
                if (!readable[fd]) return -EAGAIN;
                readable[fd] = false;
                return Math.min(length, MESSAGE_BYTES);
            }

            @Override
            public long send(int fd, long address, int length) {
                sends++;
                return length;
            }

            @Override
            public int accept(int fd) {
                return -EAGAIN;
            }

            @Override
            public int connect(int fd, Address address) {
                return -LinuxErrno.number(Errno.EOPNOTSUPP);
            }

            @Override
            public int connectResult(int fd) {
                return -LinuxErrno.number(Errno.EOPNOTSUPP);
            }

            @Override
            public long transferMessage(Operation op) {
                return -LinuxErrno.number(Errno.EOPNOTSUPP);
            }

            @Override
            public void completeMessage(Operation op, int bytes) {
                throw new AssertionError("no messages in the fake kernel");
            }

            @Override
            public long splice(int fdIn, int fdOut, long length) {
                return -LinuxErrno.number(Errno.EOPNOTSUPP);
            }

            @Override
            public int shutdown(int fd, Shutdown how) {
                return 0;
            }

            @Override
            public int setNonBlocking(int fd) {
                return 0;
            }

            @Override
            public int close(int fd) {
                return 0;
            }

            @Override
            public Errno portable(int errno) {
                return LinuxErrno.of(errno);
            }

            @Override
            public int number(Errno errno) {
                return LinuxErrno.number(errno);
            }

            @Override
            public void release() {
            }
        }
    }
}
