package dev.sluice;

import java.util.List;
import java.util.Objects;

/**
 * A TCP proxy built on {@link Join}: every connection accepted on the listening address is joined
 * to a new connection to the target, on the ring that accepted it. A target that refuses or does
 * not answer within the connect timeout gets the client's connection closed; other connections
 * carry on.
 */
public final class Proxy implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger("dev.sluice");

    private final Server server;

    private Proxy(Server server) {
        this.server = server;
    }

    /**
     * Starts proxying {@code listen} to {@code target} with {@code ringCount} rings.
     *
     * @param connectTimeoutNanos limit on connecting to the target; 0 for the kernel's own
     */
    public static Proxy start(Address listen, Address target, int ringCount, RingConfig config, Join.Options options, long connectTimeoutNanos)
            throws SluiceException {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(options, "options");
        if (connectTimeoutNanos < 0) throw new IllegalArgumentException("connectTimeoutNanos must be >= 0, got " + connectTimeoutNanos);
        Server server = Server.start(listen, ringCount, config, (ring, client) -> {
            Socket upstream;
            try {
                upstream = ring.openSocket(target.family(), SocketType.STREAM, target.family().equals(Family.UNIX) ? Protocol.DEFAULT : Protocol.TCP);
            } catch (SluiceException e) {
                LOG.log(System.Logger.Level.WARNING, "proxy: cannot open a socket to " + target + ": " + e.getMessage());
                client.close();
                return;
            }
            Completion connect = new Completion().timeoutNanos(connectTimeoutNanos);
            ring.connect(upstream, target, connect, c -> {
                if (!c.ok()) {
                    LOG.log(System.Logger.Level.DEBUG, "proxy: " + c.exception().getMessage());
                    upstream.close();
                    client.close();
                    return;
                }
                Join.start(client, upstream, options);
            });
        });
        return new Proxy(server);
    }

    /** The address clients connect to. */
    public Address address() {
        return server.address();
    }

    /** The rings doing the work. */
    public List<Ring> rings() {
        return server.rings();
    }

    /** Stops accepting and closes every ring, ending every join. */
    @Override
    public void close() {
        server.close();
    }
}
