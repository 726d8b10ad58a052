package dev.sluice;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * Serves a listening address with N rings, one thread each (one per core is the usual choice).
 * Every ring has its own listening socket on the same address with SO_REUSEPORT, so the kernel
 * spreads connections between rings and no lock is shared. Each accepted connection is handed to
 * the {@link ConnectionHandler} on the ring that accepted it, which then owns it.
 */
public final class Server implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger("dev.sluice");
    /** How long a ring waits before accepting again after an accept failed (EMFILE and the like). */
    static final long ACCEPT_RETRY_NANOS = 10_000_000;

    /** Receives each new connection on the ring thread that accepted it. */
    @FunctionalInterface
    public interface ConnectionHandler {
        void accepted(Ring ring, Socket connection);
    }

    private final List<Ring> rings;
    private final Address address;

    private Server(List<Ring> rings, Address address) {
        this.rings = rings;
        this.address = address;
    }

    /**
     * Starts {@code ringCount} rings listening on {@code address} (port 0 picks one free port for
     * all of them).
     */
    public static Server start(Address address, int ringCount, RingConfig config, ConnectionHandler handler) throws SluiceException {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(handler, "handler");
        if (ringCount < 1 || ringCount > 1024) throw new IllegalArgumentException("ringCount must be 1 to 1024, got " + ringCount);
        if (address.family().equals(Family.UNIX) && ringCount > 1) {
            throw new IllegalArgumentException("a Unix socket path can be bound by one ring only; use ringCount 1");
        }
        List<Ring> rings = new ArrayList<>();
        Address bound = address;
        try {
            for (int i = 0; i < ringCount; i++) {
                Ring ring = Ring.start(config);
                rings.add(ring);
                Address at = bound;
                CompletableFuture<Address> listening = new CompletableFuture<>();
                ring.execute(() -> {
                    try {
                        listening.complete(listenAndAccept(ring, at, handler));
                    } catch (Throwable e) {
                        listening.completeExceptionally(e);
                    }
                });
                bound = Ring.await(listening);
            }
        } catch (Exception e) {
            rings.forEach(Ring::close);
            if (e instanceof SluiceException se) throw se;
            if (e instanceof RuntimeException re) throw re;
            throw new IllegalStateException("starting the server failed", e);
        }
        return new Server(List.copyOf(rings), bound);
    }

    private static Address listenAndAccept(Ring ring, Address address, ConnectionHandler handler) throws SluiceException {
        Protocol protocol = address.family().equals(Family.UNIX) ? Protocol.DEFAULT : Protocol.TCP;
        Socket listener = ring.openSocket(address.family(), SocketType.STREAM, protocol);
        if (!address.family().equals(Family.UNIX)) {
            listener.setOption(SocketOption.REUSE_ADDRESS, true);
            listener.setOption(SocketOption.REUSE_PORT, true);
        }
        listener.bind(address);
        listener.listen(4096);
        Completion accept = new Completion();
        boolean multishot = ring.capabilities().support(Op.ACCEPT_MULTISHOT) != Support.UNSUPPORTED;
        Completion pause = new Completion();
        Handler onAccept = new Handler() {
            @Override
            public void completed(Completion c) {
                if (c.ok() && (c.op() == Op.ACCEPT || c.more())) {
                    try {
                        handler.accepted(ring, c.accepted());
                    } catch (RuntimeException e) {
                        LOG.log(System.Logger.Level.WARNING, "connection handler failed; closing the connection", e);
                        c.accepted().close();
                    }
                    if (c.more()) return;
                } else if (c.error() == Errno.ECANCELED || ring.isClosed() || !listener.isOpen()) {
                    return;
                } else if (c.op() == Op.TIMEOUT) {
                    // The pause after a failed accept is over: go on below.
                } else if (!c.ok()) {
                    // EMFILE, ENFILE, ENOBUFS: the connection waits in the backlog. Pause briefly
                    // rather than spin on an accept that fails at once.
                    LOG.log(System.Logger.Level.WARNING, "accept failed: " + c.exception().getMessage() + "; raise the fd limit (ulimit -n) if this is EMFILE");
                    ring.timeout(ACCEPT_RETRY_NANOS, pause, this);
                    return;
                }
                if (multishot) ring.acceptMultishot(listener, accept, this);
                else ring.accept(listener, accept, this);
            }
        };
        // One multishot accept serves every connection (io_uring 5.19+; a loop of accept4 on
        // readiness backends); otherwise one accept at a time.
        if (multishot) ring.acceptMultishot(listener, accept, onAccept);
        else ring.accept(listener, accept, onAccept);
        return listener.localAddress();
    }

    /** The address the server listens on (with the port chosen when 0 was given). */
    public Address address() {
        return address;
    }

    /** The rings serving connections. */
    public List<Ring> rings() {
        return rings;
    }

    /** Stops accepting and closes every ring with its connections. */
    @Override
    public void close() {
        for (Ring r : rings) r.close();
    }
}
