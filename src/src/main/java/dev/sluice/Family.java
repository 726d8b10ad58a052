package dev.sluice;

import java.util.Objects;

/**
 * An address family, as a portable identity. Each backend maps it to its platform's number
 * (AF_INET6 is 10 on Linux, 30 on macOS and 23 on Windows), so code written against these
 * constants never sees a platform number.
 *
 * @param name the family's portable name, e.g. {@code "INET6"}
 */
public record Family(String name) {
    /** IPv4. */
    public static final Family INET = new Family("INET");
    /** IPv6. */
    public static final Family INET6 = new Family("INET6");
    /** Local (Unix domain) sockets: filesystem paths or Linux abstract names. */
    public static final Family UNIX = new Family("UNIX");

    public Family {
        Objects.requireNonNull(name, "name");
        if (name.isBlank()) throw new IllegalArgumentException("family name is blank");
    }

    @Override
    public String toString() {
        return name;
    }
}
