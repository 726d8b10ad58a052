package dev.sluice;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/**
 * An IPv4 address and port.
 *
 * @param bytes the four address bytes in network order (copied, never shared)
 * @param port  0 to 65535
 */
public record IPv4Address(byte[] bytes, int port) implements Address {
    /** 0.0.0.0 with port 0: bind to every interface on an ephemeral port. */
    public static final IPv4Address ANY = new IPv4Address(new byte[4], 0);
    /** 127.0.0.1 with port 0. */
    public static final IPv4Address LOOPBACK = new IPv4Address(new byte[] {127, 0, 0, 1}, 0);

    public IPv4Address {
        if (bytes == null || bytes.length != 4) {
            throw new IllegalArgumentException("IPv4 address needs 4 bytes, got " + (bytes == null ? "null" : bytes.length));
        }
        if (port < 0 || port > 0xFFFF) throw new IllegalArgumentException("port out of range 0..65535: " + port);
        bytes = bytes.clone();
    }

    /**
     * Parses a dotted-quad literal as inet_pton(3) does: four decimal parts of 0 to 255, and no
     * leading zeros ({@code "010.0.0.1"} is refused: inet_aton(3) and many tools read a leading 0
     * as octal, so it would name 8.0.0.1 there and 10.0.0.1 here). Host names are rejected (use
     * {@link Names#resolve}).
     *
     * @throws IllegalArgumentException naming the literal and what is wrong with it
     */
    public static IPv4Address parse(String literal, int port) {
        String[] parts = literal.split("\\.", -1);
        if (parts.length != 4) throw new IllegalArgumentException("not an IPv4 literal: " + literal);
        byte[] b = new byte[4];
        for (int i = 0; i < 4; i++) {
            String part = parts[i];
            if (part.isEmpty() || part.length() > 3) throw new IllegalArgumentException("not an IPv4 literal: " + literal);
            int v = 0;
            // ASCII digits only: Integer.parseInt would also take a sign ("+1") and other scripts' digits.
            for (int k = 0; k < part.length(); k++) {
                char c = part.charAt(k);
                if (c < '0' || c > '9') throw new IllegalArgumentException("not an IPv4 literal: " + literal);
                v = v * 10 + (c - '0');
            }
            if (v > 255) throw new IllegalArgumentException("not an IPv4 literal: " + literal);
            if (part.length() > 1 && part.charAt(0) == '0') throw leadingZero(literal, part);
            b[i] = (byte) v;
        }
        return new IPv4Address(b, port);
    }

    private static IllegalArgumentException leadingZero(String literal, String part) {
        return new IllegalArgumentException("not an IPv4 literal: " + literal + ": the part \"" + part + "\" has a leading zero, which"
                + " inet_pton refuses and inet_aton reads as octal; write it without the leading zeros if decimal is meant");
    }

    @Override
    public byte[] bytes() {
        return bytes.clone();
    }

    /** The address as a big-endian int, as it sits in {@code sin_addr}. */
    public int addressBits() {
        return (bytes[0] & 0xFF) << 24 | (bytes[1] & 0xFF) << 16 | (bytes[2] & 0xFF) << 8 | (bytes[3] & 0xFF);
    }

    /** The same host with another port. */
    public IPv4Address withPort(int newPort) {
        return new IPv4Address(bytes, newPort);
    }

    @Override
    public Family family() {
        return Family.INET;
    }

    @Override
    public InetSocketAddress toJava() {
        try {
            return new InetSocketAddress(InetAddress.getByAddress(bytes), port);
        } catch (UnknownHostException e) {
            throw new AssertionError("4 bytes are always a valid IPv4 address", e);
        }
    }

    /** The host part as a JDK address. */
    public Inet4Address inetAddress() {
        return (Inet4Address) toJava().getAddress();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IPv4Address a && a.port == port && Arrays.equals(a.bytes, bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes) * 31 + port;
    }

    @Override
    public String toString() {
        return (bytes[0] & 0xFF) + "." + (bytes[1] & 0xFF) + "." + (bytes[2] & 0xFF) + "." + (bytes[3] & 0xFF) + ":" + port;
    }
}
