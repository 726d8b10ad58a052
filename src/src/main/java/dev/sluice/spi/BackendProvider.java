package dev.sluice.spi;

import dev.sluice.RingConfig;
import dev.sluice.SluiceException;

/**
 * A backend plug-in, found with {@link java.util.ServiceLoader}. A third party ships its own by
 * listing its class in {@code META-INF/services/dev.sluice.spi.BackendProvider} and selecting it
 * by name. Providers must be cheap to construct; {@link #probe()} does the real checks, once.
 */
public interface BackendProvider {
    /** The name users select it by, e.g. {@code "io_uring"}. */
    String name();

    /** Higher wins when Sluice chooses automatically (io_uring 100, epoll 50). */
    int priority();

    /** Whether it works here, with the reason. Called once per JVM and cached by the caller. */
    Probe probe();

    /** Synchronous socket calls, usable without a ring (name resolution, socket options). */
    SocketSystem sockets();

    /** Opens a backend owned by the calling thread. */
    Backend open(RingConfig config) throws SluiceException;
}
