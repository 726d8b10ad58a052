package dev.sluice;

import java.net.UnixDomainSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * A Unix domain socket address: a filesystem path, or (Linux only) a name in the abstract
 * namespace, which has no file and disappears with the last socket bound to it.
 *
 * @param name       the path, or the abstract name without its leading NUL byte
 * @param isAbstract true for a Linux abstract name
 */
public record UnixAddress(String name, boolean isAbstract) implements Address {
    /**
     * Longest name in bytes: {@code sun_path} is 108 bytes on Linux and 104 on macOS; paths need
     * a NUL terminator, abstract names a leading NUL. Backends check their own limit again.
     */
    public static final int NAME_BYTES_MAX = 107;

    public UnixAddress {
        Objects.requireNonNull(name, "name");
        byte[] utf8 = name.getBytes(StandardCharsets.UTF_8);
        // getBytes writes '?' for an unpaired surrogate: the socket would be bound to another name.
        if (!new String(utf8, StandardCharsets.UTF_8).equals(name)) {
            throw new IllegalArgumentException("Unix socket name is not well-formed Unicode (unpaired surrogate): " + name);
        }
        int len = utf8.length;
        if (len > NAME_BYTES_MAX) {
            throw new IllegalArgumentException("Unix socket name is " + len + " bytes; at most " + NAME_BYTES_MAX + " fit: " + name);
        }
        if (!isAbstract && name.indexOf('\0') >= 0) throw new IllegalArgumentException("Unix socket path contains NUL: " + name);
    }

    /** A filesystem path. */
    public static UnixAddress path(String path) {
        if (path.isEmpty()) throw new IllegalArgumentException("Unix socket path is empty");
        return new UnixAddress(path, false);
    }

    /** A Linux abstract-namespace name. */
    public static UnixAddress abstractName(String name) {
        return new UnixAddress(name, true);
    }

    /** The unnamed address an unbound or socketpair socket reports. */
    public static UnixAddress unnamed() {
        return new UnixAddress("", false);
    }

    /** True for the unnamed address of an unbound socket. */
    public boolean isUnnamed() {
        return !isAbstract && name.isEmpty();
    }

    @Override
    public Family family() {
        return Family.UNIX;
    }

    @Override
    public java.net.SocketAddress toJava() {
        if (isAbstract) throw new UnsupportedOperationException("the JDK has no form for Linux abstract Unix names: @" + name);
        return UnixDomainSocketAddress.of(name);
    }

    @Override
    public String toString() {
        return isAbstract ? "@" + name : name.isEmpty() ? "(unnamed)" : name;
    }
}
