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
 * thread). The warm-up below loads every backend once before the first snapshot, and tests use
 * JDK sockets only from platform threads, so what the check sees is Sluice's doing.
 */
final class FdLeakCheck implements BeforeEachCallback, AfterEachCallback {
    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(FdLeakCheck.class);

    static {
        warmUp();
    }

    private static void warmUp() {
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
