package dev.sluice;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.net.spi.InetAddressResolver;
import java.net.spi.InetAddressResolverProvider;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * The JVM's name resolver for core tests: the built-in one, counting lookups, so a parser that
 * must never resolve can be caught doing it. Names with ':' cannot be host names; they fail at
 * once instead of waiting for a DNS server.
 */
public final class RecordingResolver extends InetAddressResolverProvider {
    static final AtomicInteger LOOKUPS = new AtomicInteger();
    static volatile String lastLookup;

    @Override
    public InetAddressResolver get(Configuration configuration) {
        InetAddressResolver builtin = configuration.builtinResolver();
        return new InetAddressResolver() {
            @Override
            public Stream<InetAddress> lookupByName(String host, LookupPolicy policy) throws UnknownHostException {
                LOOKUPS.incrementAndGet();
                lastLookup = host;
                if (host.indexOf(':') >= 0) throw new UnknownHostException(host + ": not a host name (recording resolver)");
                return builtin.lookupByName(host, policy);
            }

            @Override
            public String lookupByAddress(byte[] address) throws UnknownHostException {
                return builtin.lookupByAddress(address);
            }
        };
    }

    @Override
    public String name() {
        return "sluice-test-recording";
    }
}
