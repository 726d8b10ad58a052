package dev.sluice;

import static org.junit.jupiter.api.Assertions.*;

import java.net.InetSocketAddress;
import java.net.UnixDomainSocketAddress;
import org.junit.jupiter.api.Test;

/** Addresses, identities and configuration: parsing, validation, conversion. */
class ValuesTest {
    @Test
    void ipv4ParsesAndConverts() {
        IPv4Address a = Address.ipv4("10.1.2.254", 8080);
        assertEquals("10.1.2.254:8080", a.toString());
        assertEquals(0x0A0102FE, a.addressBits());
        assertEquals(a, Address.of(a.toJava()));
        assertEquals(new InetSocketAddress("127.0.0.1", 1), IPv4Address.LOOPBACK.withPort(1).toJava());
        for (String bad : new String[] {"1.2.3", "1.2.3.256", "a.b.c.d", "1.2.3.4.5", "", "1..2.3", "01234.1.1.1"}) {
            assertThrows(IllegalArgumentException.class, () -> IPv4Address.parse(bad, 1), bad);
        }
        assertThrows(IllegalArgumentException.class, () -> Address.ipv4("1.2.3.4", 65536));
        // Leading zeros: inet_pton refuses them (inet_aton would read 010 as octal 8).
        for (String bad : new String[] {"010.0.0.1", "1.2.3.04", "00.1.2.3", "1.001.2.3", "01.2.3.4"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> IPv4Address.parse(bad, 1), bad);
            assertTrue(e.getMessage().contains("leading zero") && e.getMessage().contains(bad), e.getMessage());
        }
        assertEquals(Address.ipv4("0.0.0.0", 1), IPv4Address.ANY.withPort(1));
        assertEquals(0x0A000001, Address.ipv4("10.0.0.1", 1).addressBits());
        for (String bad : new String[] {"::ffff:010.0.0.1", "[::ffff:1.2.3.04]", "::01.2.3.4%1", "1::2:00.0.0.0"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> IPv6Address.parse(bad, 1), bad);
            assertTrue(e.getMessage().contains("leading zero"), e.getMessage());
        }
        assertEquals(IPv6Address.parse("::ffff:10.0.0.1", 1), IPv6Address.parse("::ffff:a00:1", 1));
        assertThrows(IllegalArgumentException.class, () -> new IPv4Address(new byte[3], 1));
    }

    @Test
    void ipv4BytesAreCopiedNotShared() {
        byte[] b = {1, 2, 3, 4};
        IPv4Address a = new IPv4Address(b, 1);
        b[0] = 9;
        assertEquals(1, a.bytes()[0]);
        a.bytes()[0] = 9;
        assertEquals(1, a.bytes()[0]);
    }

    @Test
    void ipv6ParsesScopeAndConverts() {
        IPv6Address a = Address.ipv6("::1", 443);
        assertEquals("[0:0:0:0:0:0:0:1]:443", a.toString());
        assertEquals(IPv6Address.LOOPBACK.withPort(443), a);
        assertEquals(a, Address.of(a.toJava()));
        IPv6Address mapped = IPv6Address.parse("::ffff:1.2.3.4", 5);
        assertEquals((byte) 0xFF, mapped.bytes()[10]);
        assertEquals(4, mapped.bytes()[15]);
        assertThrows(IllegalArgumentException.class, () -> IPv6Address.parse("1.2.3.4", 1));
        assertThrows(IllegalArgumentException.class, () -> IPv6Address.parse("localhost", 1));
    }

    @Test
    void unixAddressesKnowTheirLimits() {
        UnixAddress p = UnixAddress.path("/tmp/x.sock");
        assertEquals(UnixDomainSocketAddress.of("/tmp/x.sock"), p.toJava());
        assertEquals(p, Address.of(p.toJava()));
        assertEquals("@name", UnixAddress.abstractName("name").toString());
        assertThrows(UnsupportedOperationException.class, () -> UnixAddress.abstractName("x").toJava());
        assertThrows(IllegalArgumentException.class, () -> UnixAddress.path("x".repeat(108)));
        assertThrows(IllegalArgumentException.class, () -> UnixAddress.path(""));
        assertTrue(UnixAddress.unnamed().isUnnamed());
    }

    @Test
    void unresolvedAddressesAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Address.of(InetSocketAddress.createUnresolved("example.com", 80)));
        assertTrue(e.getMessage().contains("Names.resolve"));
    }

    @Test
    void ringConfigValidatesWithTheOffendingValue() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new RingConfig(3, 8, null));
        assertTrue(e.getMessage().contains("got 3"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new RingConfig(8, 4, null));
        assertTrue(e.getMessage().contains("got 4"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> RingConfig.DEFAULT.withBackend(" "));
        assertEquals(1024, RingConfig.DEFAULT.withEntries(1024).entries());
    }

    @Test
    void exceptionsNameOperationErrnoAndNumber() {
        SluiceException e = new SluiceException("connect to 127.0.0.1:1", Errno.ECONNREFUSED, 111);
        assertEquals("connect to 127.0.0.1:1: ECONNREFUSED (Connection refused) [errno 111]", e.getMessage());
        assertTrue(Errno.ECONNRESET.isConnectionError());
        assertFalse(Errno.EINVAL.isConnectionError());
    }

    @Test
    void capabilitiesDefaultToUnsupported() {
        Capabilities c = new Capabilities(java.util.Map.of(Op.SEND, Support.NATIVE), java.util.Set.of(Feature.SPLICE));
        assertEquals(Support.NATIVE, c.support(Op.SEND));
        assertEquals(Support.UNSUPPORTED, c.support(Op.SPLICE));
        assertTrue(c.feature(Feature.SPLICE));
        assertFalse(c.feature(Feature.MULTISHOT_RECV));
    }
}
