package dev.sluice;

import java.util.Objects;

/**
 * A socket type, as a portable identity mapped to platform numbers by each backend.
 *
 * @param name the type's portable name, e.g. {@code "STREAM"}
 */
public record SocketType(String name) {
    /** Reliable ordered byte stream (TCP, Unix stream). */
    public static final SocketType STREAM = new SocketType("STREAM");
    /** Datagrams (UDP, Unix datagram). */
    public static final SocketType DGRAM = new SocketType("DGRAM");
    /** Reliable ordered datagrams with boundaries (Unix seqpacket, SCTP). */
    public static final SocketType SEQPACKET = new SocketType("SEQPACKET");

    public SocketType {
        Objects.requireNonNull(name, "name");
        if (name.isBlank()) throw new IllegalArgumentException("socket type name is blank");
    }

    /** True for types that carry a byte stream with no message boundaries. */
    public boolean isStream() {
        return this.equals(STREAM);
    }

    @Override
    public String toString() {
        return name;
    }
}
