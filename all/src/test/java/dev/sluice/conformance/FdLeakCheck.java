package dev.sluice.conformance;

import dev.sluice.Backends;
import dev.sluice.Completion;
import dev.sluice.Ring;
import dev.sluice.RingConfig;
import java.util.Map;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test that leaves more (or fewer) fds open than it found. Runs after the test's own
 * {@code @AfterEach} methods, by which time every ring of the test is closed.
 *
 * <p>The JVM opens some fds lazily and keeps them (a jar the first time a class is loaded from
 * it, the virtual-thread I/O poller on the first blocking JDK socket call from a virtual
 * thread, a pre-close socket on the first JDK socket). The warm-up below loads every backend and
 * JDK sockets once before the first snapshot, and tests use JDK sockets only from platform
 * threads, so what the check sees is Sluice's doing.
 */
final class FdLeakCheck implements BeforeEachCallback, AfterEachCallback {
    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(FdLeakCheck.class);

    static {
        warmUp();
    }

    private static void warmUp() {
        // JDK sockets keep one fd for good once loaded (the dispatcher's pre-close socket, used to
        // close a socket another thread is blocked in); load them before any snapshot.
        try (java.net.ServerSocket server = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress());
             java.net.Socket client = new java.net.Socket(server.getInetAddress(), server.getLocalPort());
             java.net.Socket accepted = server.accept()) {
            client.getOutputStream().write(1);
            accepted.getInputStream().read();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("warming up JDK sockets failed", e);
        }
        for (String name : Backends.available()) {
            try (Ring ring = Ring.open(RingConfig.DEFAULT.withBackend(name))) {
                boolean[] done = {false};
                ring.nop(new Completion(), c -> done[0] = true);
                ring.runUntil(() -> done[0], Conformance.WAIT_NANOS);
            } catch (Exception e) {
                // The tests themselves report a backend that cannot open; the warm-up only loads classes.
            }
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        if (FdCounter.supported()) context.getStore(NS).put("fds", FdCounter.snapshot());
    }

    @Override
    @SuppressWarnings("unchecked")
    public void afterEach(ExtensionContext context) {
        Map<Integer, String> before = context.getStore(NS).remove("fds", Map.class);
        if (before != null) FdCounter.assertNoLeak(before, "across " + context.getDisplayName());
    }
}
