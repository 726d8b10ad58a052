package dev.sluice.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.Backends;
import dev.sluice.Op;
import dev.sluice.Ring;
import dev.sluice.RingConfig;
import dev.sluice.Support;
import org.junit.jupiter.api.Test;

/** Forcing a backend by RingConfig or by -Dsluice.backend gives that backend, and says so. */
class BackendSelectionTest extends RingTest {

    @Test
    void ringConfigForcesTheBackend() throws Exception {
        try (Ring ring = Ring.open(RingConfig.DEFAULT.withBackend(backend))) {
            assertEquals(backend, ring.backend().name());
            assertTrue(ring.backend().reason().contains("RingConfig"), "the reason says it was requested: " + ring.backend().reason());
            assertNotEquals(Support.UNSUPPORTED, ring.capabilities().support(Op.RECV), ring.capabilities().toString());
            assertNotEquals(Support.UNSUPPORTED, ring.capabilities().support(Op.ACCEPT), ring.capabilities().toString());
        }
    }

    @Test
    void systemPropertyForcesTheBackend() throws Exception {
        String saved = System.getProperty(Backends.PROPERTY);
        System.setProperty(Backends.PROPERTY, backend);
        try (Ring ring = Ring.open(RingConfig.DEFAULT)) {
            assertEquals(backend, ring.backend().name());
            assertTrue(ring.backend().reason().contains(Backends.PROPERTY), "the reason names the property: " + ring.backend().reason());
        } finally {
            restore(saved);
        }
    }

    @Test
    void ringConfigWinsOverTheProperty() throws Exception {
        String saved = System.getProperty(Backends.PROPERTY);
        System.setProperty(Backends.PROPERTY, "no-such-backend");
        try (Ring ring = Ring.open(RingConfig.DEFAULT.withBackend(backend))) {
            assertEquals(backend, ring.backend().name());
        } finally {
            restore(saved);
        }
    }

    @Test
    void startedRingReportsItsBackend() throws Exception {
        try (Ring ring = start()) {
            assertEquals(backend, ring.backend().name());
            assertNotEquals(Thread.currentThread(), ring.owner());
        }
    }

    static void restore(String saved) {
        if (saved == null) System.clearProperty(Backends.PROPERTY);
        else System.setProperty(Backends.PROPERTY, saved);
    }
}
