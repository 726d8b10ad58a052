package dev.sluice;

import java.util.Objects;

/**
 * A typed socket option, portable across backends; each backend maps it to its level and name.
 *
 * @param name the option's portable name
 * @param type the Java type of its value
 * @param <T>  the value type
 */
public record SocketOption<T>(String name, Class<T> type) {
    /** SO_REUSEADDR: bind to a port with connections still in TIME_WAIT. */
    public static final SocketOption<Boolean> REUSE_ADDRESS = new SocketOption<>("SO_REUSEADDR", Boolean.class);
    /** SO_REUSEPORT: several sockets bind the same port; the kernel spreads connections. */
    public static final SocketOption<Boolean> REUSE_PORT = new SocketOption<>("SO_REUSEPORT", Boolean.class);
    /** TCP_NODELAY: send small segments at once instead of waiting (Nagle off). */
    public static final SocketOption<Boolean> TCP_NODELAY = new SocketOption<>("TCP_NODELAY", Boolean.class);
    /** SO_RCVBUF in bytes; Linux doubles the value set and reports the doubled value. */
    public static final SocketOption<Integer> RECEIVE_BUFFER = new SocketOption<>("SO_RCVBUF", Integer.class);
    /** SO_SNDBUF in bytes; Linux doubles the value set and reports the doubled value. */
    public static final SocketOption<Integer> SEND_BUFFER = new SocketOption<>("SO_SNDBUF", Integer.class);
    /** SO_KEEPALIVE: probe idle connections. */
    public static final SocketOption<Boolean> KEEPALIVE = new SocketOption<>("SO_KEEPALIVE", Boolean.class);
    /**
     * SO_LINGER in seconds; a negative value turns lingering off. Zero makes close() send a reset
     * (RST) instead of a FIN and drop unsent data.
     */
    public static final SocketOption<Integer> LINGER_SECONDS = new SocketOption<>("SO_LINGER", Integer.class);
    /** IPV6_V6ONLY: an IPv6 socket does not accept IPv4-mapped traffic. */
    public static final SocketOption<Boolean> IPV6_ONLY = new SocketOption<>("IPV6_V6ONLY", Boolean.class);
    /**
     * SO_OOBINLINE: TCP urgent (out-of-band) data stays in the byte stream, read by ordinary
     * receives at its place, instead of waiting apart for a MSG_OOB receive.
     */
    public static final SocketOption<Boolean> OOB_INLINE = new SocketOption<>("SO_OOBINLINE", Boolean.class);

    public SocketOption {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
    }
}
