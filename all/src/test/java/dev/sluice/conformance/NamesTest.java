package dev.sluice.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.Address;
import dev.sluice.Family;
import dev.sluice.IPv4Address;
import dev.sluice.IPv6Address;
import dev.sluice.Names;
import dev.sluice.ResolutionException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Name resolution. {@link Names} does not take a ring: it uses the synchronous calls of the
 * best available backend, so this class runs once, not per backend.
 */
@ExtendWith(FdLeakCheck.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class NamesTest {

    private static boolean isLoopback(Address a) {
        if (a instanceof IPv4Address v4) return (v4.bytes()[0] & 0xFF) == 127;
        if (a instanceof IPv6Address v6) return v6.equals(IPv6Address.LOOPBACK.withPort(v6.port()));
        return false;
    }

    private static int port(Address a) {
        return a instanceof IPv4Address v4 ? v4.port() : ((IPv6Address) a).port();
    }

    @Test
    void localhostResolvesToLoopback() throws Exception {
        List<Address> addresses = Names.resolve("localhost", "80");
        assertFalse(addresses.isEmpty(), "localhost resolves");
        for (Address a : addresses) {
            assertTrue(isLoopback(a), "localhost gave a non-loopback address " + a);
            assertEquals(80, port(a));
        }
        for (Address a : Names.resolve("localhost", "80", Family.INET)) assertEquals(Family.INET, a.family());
    }

    @Test
    void literalsResolveToThemselves() throws Exception {
        assertEquals(List.of(Address.ipv4("127.0.0.1", 8080)), Names.resolve("127.0.0.1", "8080"));
        assertEquals(List.of(Address.ipv6("::1", 8080)), Names.resolve("::1", "8080"));
    }

    @Test
    void unknownNameFails() {
        // .invalid is reserved (RFC 2606) and never resolves; offline it fails as well.
        ResolutionException e = assertThrows(ResolutionException.class, () -> Names.resolve("nonexistent.invalid", "80"));
        assertFalse(e.resolverText().isBlank(), "the resolver's own text is kept");
        assertTrue(e.getMessage().contains("nonexistent.invalid"), "the message names the host: " + e.getMessage());
    }

    @Test
    void resolvesFromAVirtualThread() throws Exception {
        AtomicReference<Object> result = new AtomicReference<>();
        Thread t = Thread.ofVirtual().start(() -> {
            try {
                result.set(Names.resolve("localhost", "443"));
            } catch (Throwable e) {
                result.set(e);
            }
        });
        assertTrue(t.join(Duration.ofSeconds(30)));
        assertTrue(result.get() instanceof List<?> l && !l.isEmpty(), "resolve on a virtual thread gave " + result.get());
    }

    @Test
    void hostnameIsNotEmpty() throws Exception {
        String name = Names.hostname();
        assertFalse(name.isBlank());
        assertFalse(name.contains("\0"), "no NUL from the C string");
    }
}
