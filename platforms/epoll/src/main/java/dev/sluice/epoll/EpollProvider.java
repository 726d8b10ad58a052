package dev.sluice.epoll;

import dev.sluice.Feature;
import dev.sluice.RingConfig;
import dev.sluice.SluiceException;
import dev.sluice.bindings.linux.CapturedErrno;
import dev.sluice.bindings.linux.sys_epoll_h;
import dev.sluice.bindings.linux.unistd_h;
import dev.sluice.posix.LinuxErrno;
import dev.sluice.posix.LinuxNonBlockingSockets;
import dev.sluice.posix.PosixSockets;
import dev.sluice.posix.readiness.ReadinessBackend;
import dev.sluice.spi.Backend;
import dev.sluice.spi.BackendProvider;
import dev.sluice.spi.Probe;
import dev.sluice.spi.SocketSystem;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.EnumSet;
import java.util.Locale;

/**
 * The epoll backend: Linux readiness (edge-triggered epoll) turned into completions by the shared
 * {@link ReadinessBackend}. The fallback where io_uring is unavailable (seccomp, gVisor,
 * kernel.io_uring_disabled).
 */
public final class EpollProvider implements BackendProvider {
    public static final String NAME = "epoll";
    public static final int PRIORITY = 50;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int priority() {
        return PRIORITY;
    }

    @Override
    public Probe probe() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        if (!os.contains("linux")) return Probe.unavailable("epoll is Linux only; this is " + System.getProperty("os.name"));
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment errno = CapturedErrno.allocate(arena);
            int fd = sys_epoll_h.epoll_create1(errno, sys_epoll_h.EPOLL_CLOEXEC);
            if (fd < 0) {
                int e = CapturedErrno.errno(errno);
                return Probe.unavailable("epoll_create1 failed with " + LinuxErrno.of(e) + " (" + e + ")");
            }
            unistd_h.close(errno, fd);
            return Probe.available("epoll_create1 works (edge-triggered readiness, emulated completions)");
        } catch (UnsatisfiedLinkError | IllegalCallerException e) {
            return Probe.unavailable("cannot call epoll_create1 through java.lang.foreign: " + e.getMessage()
                    + "; run with --enable-native-access=ALL-UNNAMED");
        }
    }

    @Override
    public SocketSystem sockets() {
        return PosixSockets.INSTANCE;
    }

    @Override
    public Backend open(RingConfig config) throws SluiceException {
        EpollPoller poller = new EpollPoller(config.entries());
        try {
            return new ReadinessBackend(poller, new LinuxNonBlockingSockets(), PosixSockets.INSTANCE,
                    ReadinessBackend.capabilities(EnumSet.of(Feature.FD_PASSING, Feature.SPLICE)), config);
        } catch (RuntimeException | Error e) {
            poller.close();
            throw e;
        }
    }
}
