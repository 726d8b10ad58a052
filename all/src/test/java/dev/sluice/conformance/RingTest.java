package dev.sluice.conformance;

import static dev.sluice.conformance.Conformance.await;
import static dev.sluice.conformance.Conformance.ok;

import dev.sluice.Address;
import dev.sluice.Completion;
import dev.sluice.Errno;
import dev.sluice.Ring;
import dev.sluice.RingConfig;
import dev.sluice.SluiceException;
import dev.sluice.Socket;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The base of every backend-agnostic test: each subclass runs once per backend available here
 * (display name {@code [io_uring]}, {@code [epoll]}, ...), with an fd-leak check around every
 * test and a hard timeout. Rings are opened in the test body, so the test thread owns them.
 *
 * <p>The timeout runs the test on a separate thread: a backend stuck in a native wait cannot be
 * interrupted, and the run must go on without it. Every wait inside a test is bounded anyway
 * ({@link Conformance#await}); the timeout is the last guard.
 */
@ParameterizedClass(name = "[{0}]")
@MethodSource("dev.sluice.conformance.Conformance#backends")
@ExtendWith(FdLeakCheck.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
abstract class RingTest {
    /** The backend under test, by name. */
    @Parameter
    String backend;

    /** The default limits on the backend under test. */
    RingConfig config() {
        return RingConfig.DEFAULT.withBackend(backend);
    }

    /** A ring owned by the calling (test) thread, for the callback style. */
    Ring open() throws SluiceException {
        Ring ring = Ring.open(config());
        if (!ring.backend().name().equals(backend)) {
            ring.close();
            throw new AssertionError("asked for backend " + backend + " and got " + ring.backend().name());
        }
        checkOptions(ring);
        return ring;
    }

    /** In the run with io_uring options set (all/pom.xml), they must really have taken. */
    static void checkOptions(Ring ring) {
        String registeredFiles = System.getProperty("sluice.iouring.registeredFiles");
        if (ring.backend().name().equals("io_uring") && registeredFiles != null
                && Boolean.parseBoolean(registeredFiles) != ring.capabilities().feature(dev.sluice.Feature.REGISTERED_FILES)) {
            ring.close();
            throw new AssertionError("-Dsluice.iouring.registeredFiles=" + registeredFiles + " did not take: " + ring.capabilities());
        }
        if (ring.backend().name().equals("io_uring") && "false".equals(System.getProperty("sluice.iouring.deferTaskrun"))
                && ring.capabilities().feature(dev.sluice.Feature.DEFER_TASKRUN)) {
            ring.close();
            throw new AssertionError("-Dsluice.iouring.deferTaskrun=false did not take: " + ring.capabilities());
        }
    }

    /** A ring running on its own thread, for futures and blocking calls. */
    Ring start() throws SluiceException {
        Ring ring = Ring.start(config());
        if (!ring.backend().name().equals(backend)) {
            ring.close();
            throw new AssertionError("asked for backend " + backend + " and got " + ring.backend().name());
        }
        checkOptions(ring);
        return ring;
    }

    /**
     * A connected TCP pair on the ring, made with the ring's own accept and connect: element 0
     * is the connecting side, element 1 the accepted one. The listener is closed again.
     */
    static Socket[] tcpPair(Ring ring, Address bindAddress) throws SluiceException {
        Socket listener = ring.listen(bindAddress, 8);
        try {
            Socket client = ring.openTcp(bindAddress.family());
            Socket[] accepted = new Socket[1];
            boolean[] connected = {false};
            ring.accept(listener, new Completion(), c -> accepted[0] = ok(c).accepted());
            ring.connect(client, listener.localAddress(), new Completion(), c -> connected[0] = ok(c) != null);
            await(ring, () -> connected[0] && accepted[0] != null, "a TCP connection to " + bindAddress);
            return new Socket[] {client, accepted[0]};
        } finally {
            listener.close();
        }
    }

    /** Skips the test (with the reason) when the host has no IPv6 loopback. */
    static void assumeIpv6(SluiceException e) throws SluiceException {
        if (e.errno() == Errno.EADDRNOTAVAIL || e.errno() == Errno.EAFNOSUPPORT) {
            Assumptions.abort("no IPv6 loopback here: " + e.getMessage());
        }
        throw e;
    }
}
