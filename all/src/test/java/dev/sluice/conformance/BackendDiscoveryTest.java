package dev.sluice.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.sluice.Backends;
import dev.sluice.Ring;
import dev.sluice.RingConfig;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Which backends exist here and how one is chosen automatically. Not per backend: this is about
 * the set. On Linux both io_uring and epoll must be available, so that CI cannot go green by
 * quietly testing one backend (or none); set SLUICE_ALLOW_MISSING_BACKEND where one is known to
 * be missing (a container whose seccomp profile refuses io_uring, say).
 */
@ExtendWith(FdLeakCheck.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class BackendDiscoveryTest {

    @Test
    void requiredBackendsAreAvailable() {
        List<String> available = Backends.available();
        assertFalse(available.isEmpty(), "no backend can run here: " + Backends.list());
        if (System.getenv(Conformance.ALLOW_MISSING) != null) return;
        for (String required : Conformance.requiredBackends()) {
            if (!available.contains(required)) {
                fail("backend " + required + " is not available, so the suite would not test it: " + Backends.list()
                        + ". Fix the machine, or set " + Conformance.ALLOW_MISSING + " to accept it.");
            }
        }
    }

    @Test
    void everyBackendExplainsItself() {
        for (Backends.Status s : Backends.list()) {
            assertFalse(s.reason() == null || s.reason().isBlank(), s.name() + " gives no reason");
        }
    }

    @Test
    void automaticChoiceTakesTheBestAvailable() throws Exception {
        String saved = System.getProperty(Backends.PROPERTY);
        System.clearProperty(Backends.PROPERTY);
        try (Ring ring = Ring.open(RingConfig.DEFAULT)) {
            String best = Backends.available().get(0);
            assertEquals(best, ring.backend().name());
            int bestPriority = Backends.list().stream().filter(Backends.Status::available).mapToInt(Backends.Status::priority).max().orElseThrow();
            Backends.Status chosen = Backends.list().stream().filter(s -> s.name().equals(best)).findFirst().orElseThrow();
            assertEquals(bestPriority, chosen.priority());
            assertFalse(ring.backend().reason().isBlank());
        } finally {
            BackendSelectionTest.restore(saved);
        }
    }

    @Test
    void unknownBackendNameListsTheKnownOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Ring.open(RingConfig.DEFAULT.withBackend("no-such-backend")));
        assertTrue(e.getMessage().contains("no-such-backend"), e.getMessage());
        for (Backends.Status s : Backends.list()) {
            assertTrue(e.getMessage().contains(s.name()), "the message lists " + s.name() + ": " + e.getMessage());
        }
    }
}
