package dev.sluice.iouring;

import dev.sluice.RingConfig;
import dev.sluice.SluiceException;
import dev.sluice.posix.PosixSockets;
import dev.sluice.spi.Backend;
import dev.sluice.spi.BackendProvider;
import dev.sluice.spi.Probe;
import dev.sluice.spi.SocketSystem;

/** The io_uring backend's plug-in: name {@code "io_uring"}, preferred over epoll where the probe passes. */
public final class IoUringProvider implements BackendProvider {
    public IoUringProvider() {
    }

    @Override
    public String name() {
        return "io_uring";
    }

    @Override
    public int priority() {
        return 100;
    }

    @Override
    public Probe probe() {
        return IoUringProbe.cached().toProbe();
    }

    @Override
    public SocketSystem sockets() {
        return PosixSockets.INSTANCE;
    }

    @Override
    public Backend open(RingConfig config) throws SluiceException {
        return IoUringBackend.open(config);
    }
}
