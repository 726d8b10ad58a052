package dev.sluice;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.UnixDomainSocketAddress;
import java.util.Objects;

/**
 * A socket address: IPv4, IPv6 or Unix. Immutable, comparable by value, convertible to and from
 * {@code java.net} types. Backends encode it into the platform's sockaddr layout.
 */
public sealed interface Address permits IPv4Address, IPv6Address, UnixAddress {

    /** The family this address belongs to. */
    Family family();

    /** This address as a {@code java.net} address. Linux abstract Unix names have no JDK form. */
    java.net.SocketAddress toJava();

    /**
     * Converts a {@code java.net} socket address. An unresolved {@link InetSocketAddress} is
     * rejected: resolve it first with {@link Names#resolve(String, String)}.
     */
    static Address of(java.net.SocketAddress address) {
        Objects.requireNonNull(address, "address");
        if (address instanceof InetSocketAddress inet) {
            if (inet.isUnresolved()) {
                throw new IllegalArgumentException("unresolved address " + inet + ": resolve it first with Names.resolve");
            }
            if (inet.getAddress() instanceof Inet4Address v4) return new IPv4Address(v4.getAddress(), inet.getPort());
            Inet6Address v6 = (Inet6Address) inet.getAddress();
            return new IPv6Address(v6.getAddress(), inet.getPort(), 0, v6.getScopeId());
        }
        if (address instanceof UnixDomainSocketAddress unix) return UnixAddress.path(unix.getPath().toString());
        throw new IllegalArgumentException("unsupported address type " + address.getClass().getName());
    }

    /** An IPv4 address and port, e.g. {@code ipv4("127.0.0.1", 8080)}; the host must be a literal. */
    static IPv4Address ipv4(String literal, int port) {
        return IPv4Address.parse(literal, port);
    }

    /** An IPv6 address and port, e.g. {@code ipv6("::1", 8080)}; the host must be a literal. */
    static IPv6Address ipv6(String literal, int port) {
        return IPv6Address.parse(literal, port);
    }
}
