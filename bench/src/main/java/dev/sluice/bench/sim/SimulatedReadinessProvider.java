package dev.sluice.bench.sim;

import dev.sluice.Errno;
import dev.sluice.Feature;
import dev.sluice.RingConfig;
import dev.sluice.Shutdown;
import dev.sluice.SluiceException;
import dev.sluice.Address;
import dev.sluice.posix.LinuxErrno;
import dev.sluice.posix.PosixSockets;
import dev.sluice.posix.readiness.NonBlockingSockets;
import dev.sluice.posix.readiness.PollEvents;
import dev.sluice.posix.readiness.Poller;
import dev.sluice.posix.readiness.ReadinessBackend;
import dev.sluice.spi.Backend;
import dev.sluice.spi.BackendProvider;
import dev.sluice.spi.Operation;
import dev.sluice.spi.Probe;
import dev.sluice.spi.SocketSystem;
import java.util.EnumSet;

/**
 * The readiness engine over a simulated kernel, for measuring the engine's and the ring's own
 * (Java) cost per message without syscalls: backend {@code "readiness-sim"}. Every fd adopted by
 * the ring is a TCP connection to an instant echo client: each send makes the same bytes readable
 * again at once, and the next poller wait reports the fd readable, the ready fds in a random order. recv returns at most
 * {@link #MESSAGE_BYTES} bytes (a short read), or EAGAIN when nothing is there. Never chosen
 * automatically (lowest priority); select it with {@code RingConfig.withBackend("readiness-sim")}.
 */
public final class SimulatedReadinessProvider implements BackendProvider {
    public static final String NAME = "readiness-sim";
    public static final int MESSAGE_BYTES = 64;

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
        return Probe.available("simulated kernel (benchmarks only)");
    }

    @Override
    public SocketSystem sockets() {
        return PosixSockets.INSTANCE;
    }

    @Override
    public Backend open(RingConfig config) throws SluiceException {
        SimKernel kernel = new SimKernel(config.entries());
        return new ReadinessBackend(kernel.poller, kernel.sockets, PosixSockets.INSTANCE,
                ReadinessBackend.capabilities(EnumSet.noneOf(Feature.class)), config);
    }

    /** Per-fd readable flags and the list of fds with an event to report. */
    static final class SimKernel {
        static final int FDS = 8192;
        final boolean[] readable = new boolean[FDS];
        final long[] tokens = new long[FDS];
        final boolean[] signalled = new boolean[FDS];
        final int[] ready = new int[FDS];
        int readyCount;
        /** xorshift64 state for the event order; fixed seed, so every run sees the same orders. */
        long random = 0x9E3779B97F4A7C15L;
        final int eventsMax;
        final Poller poller = new SimPoller();
        final NonBlockingSockets sockets = new SimSockets();

        SimKernel(int eventsMax) {
            this.eventsMax = eventsMax;
        }

        void signal(int fd) {
            if (signalled[fd]) return;
            signalled[fd] = true;
            ready[readyCount++] = fd;
        }

        final class SimPoller implements Poller {
            @Override
            public int register(int fd, long token) {
                tokens[fd] = token;
                readable[fd] = true;
                signal(fd);
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
                int n = Math.min(readyCount, eventsMax);
                // Report the fds in a random order, as a kernel does under load: walking the
                // connections in the order their objects were allocated would let the hardware
                // prefetcher hide the cache misses the real server pays (see EngineEchoBenchmark).
                for (int i = n - 1; i > 0; i--) {
                    random ^= random << 13;
                    random ^= random >>> 7;
                    random ^= random << 17;
                    int j = (int) ((random >>> 33) % (i + 1));
                    int t = ready[i];
                    ready[i] = ready[j];
                    ready[j] = t;
                }
                for (int i = 0; i < n; i++) {
                    int fd = ready[i];
                    signalled[fd] = false;
                    events.add(tokens[fd], PollEvents.READABLE | PollEvents.WRITABLE);
                }
                System.arraycopy(ready, n, ready, 0, readyCount - n);
                readyCount -= n;
                return n;
            }

            @Override
            public void wakeup() {
            }

            @Override
            public void close() {
            }
        }

        final class SimSockets implements NonBlockingSockets {
            private static final int EAGAIN = 11;

            @Override
            public long recv(int fd, long address, int length) {
                if (!readable[fd]) return -EAGAIN;
                readable[fd] = false;
                return Math.min(length, MESSAGE_BYTES);
            }

            @Override
            public long send(int fd, long address, int length) {
                readable[fd] = true;
                signal(fd);
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
                throw new AssertionError("no messages in the simulation");
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
