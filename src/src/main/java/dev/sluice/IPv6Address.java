package dev.sluice;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/**
 * An IPv6 address, port, flow information and scope id (interface index for link-local addresses).
 *
 * @param bytes    the sixteen address bytes in network order (copied, never shared)
 * @param port     0 to 65535
 * @param flowInfo the {@code sin6_flowinfo} field, 20 bits of flow label plus traffic class
 * @param scopeId  the {@code sin6_scope_id} field, 0 for global addresses
 */
public record IPv6Address(byte[] bytes, int port, int flowInfo, int scopeId) implements Address {
    /** :: with port 0. */
    public static final IPv6Address ANY = new IPv6Address(new byte[16], 0, 0, 0);
    /** ::1 with port 0. */
    public static final IPv6Address LOOPBACK = new IPv6Address(loopbackBytes(), 0, 0, 0);

    public IPv6Address {
        if (bytes == null || bytes.length != 16) {
            throw new IllegalArgumentException("IPv6 address needs 16 bytes, got " + (bytes == null ? "null" : bytes.length));
        }
        if (port < 0 || port > 0xFFFF) throw new IllegalArgumentException("port out of range 0..65535: " + port);
        bytes = bytes.clone();
    }

    private static byte[] loopbackBytes() {
        byte[] b = new byte[16];
        b[15] = 1;
        return b;
    }

    /** Parses a literal such as {@code "::1"} or {@code "fe80::1%3"}; host names are rejected. */
    public static IPv6Address parse(String literal, int port) {
        String s = literal.startsWith("[") && literal.endsWith("]") ? literal.substring(1, literal.length() - 1) : literal;
        if (!s.contains(":")) throw new IllegalArgumentException("not an IPv6 literal: " + literal);
        // The JDK reads a dotted IPv4 tail with leading zeros ("::ffff:010.0.0.1") as decimal;
        // inet_pton refuses it, and so do we, with the IPv4 parser's reason.
        int scope = s.indexOf('%');
        String addr = scope < 0 ? s : s.substring(0, scope);
        if (addr.indexOf('.') >= 0) {
            try {
                IPv4Address.parse(addr.substring(addr.lastIndexOf(':') + 1), 0);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("not an IPv6 literal: " + literal + " (its IPv4 tail: " + e.getMessage() + ")", e);
            }
        }
        try {
            // Brackets make InetAddress.getByName parse an IPv6 literal or fail; without them a
            // string whose first character is not a hex digit or ':' ("+1::2", "g::1") went to DNS.
            InetAddress a = InetAddress.getByName("[" + s + "]");
            if (a instanceof Inet6Address v6) return new IPv6Address(v6.getAddress(), port, 0, v6.getScopeId());
            // IPv4-mapped literals come back as Inet4Address; keep them as mapped IPv6.
            byte[] m = new byte[16];
            m[10] = (byte) 0xFF;
            m[11] = (byte) 0xFF;
            System.arraycopy(a.getAddress(), 0, m, 12, 4);
            return new IPv6Address(m, port, 0, 0);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an IPv6 literal: " + literal, e);
        }
    }

    @Override
    public byte[] bytes() {
        return bytes.clone();
    }

    /** The same host with another port. */
    public IPv6Address withPort(int newPort) {
        return new IPv6Address(bytes, newPort, flowInfo, scopeId);
    }

    @Override
    public Family family() {
        return Family.INET6;
    }

    @Override
    public InetSocketAddress toJava() {
        try {
            return new InetSocketAddress(Inet6Address.getByAddress(null, bytes, scopeId), port);
        } catch (UnknownHostException e) {
            throw new AssertionError("16 bytes are always a valid IPv6 address", e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IPv6Address a && a.port == port && a.flowInfo == flowInfo && a.scopeId == scopeId
                && Arrays.equals(a.bytes, bytes);
    }

    @Override
    public int hashCode() {
        return (Arrays.hashCode(bytes) * 31 + port) * 31 + scopeId;
    }

    @Override
    public String toString() {
        String host = toJava().getAddress().getHostAddress();
        int pct = host.indexOf('%');
        if (pct >= 0) host = host.substring(0, pct);
        return "[" + host + (scopeId != 0 ? "%" + scopeId : "") + "]:" + port;
    }
}
