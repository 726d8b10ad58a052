package dev.sluice;

import java.util.Objects;

/**
 * A transport protocol, as a portable identity mapped to platform numbers by each backend.
 *
 * @param name the protocol's portable name, e.g. {@code "TCP"}
 */
public record Protocol(String name) {
    /** Let the kernel choose the protocol for the family and type (protocol number 0). */
    public static final Protocol DEFAULT = new Protocol("DEFAULT");
    /** TCP. */
    public static final Protocol TCP = new Protocol("TCP");
    /** UDP. */
    public static final Protocol UDP = new Protocol("UDP");

    public Protocol {
        Objects.requireNonNull(name, "name");
        if (name.isBlank()) throw new IllegalArgumentException("protocol name is blank");
    }

    @Override
    public String toString() {
        return name;
    }
}
