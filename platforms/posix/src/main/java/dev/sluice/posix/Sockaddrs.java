package dev.sluice.posix;

import static dev.sluice.bindings.linux.socket_h.AF_INET;
import static dev.sluice.bindings.linux.socket_h.AF_INET6;
import static dev.sluice.bindings.linux.socket_h.AF_UNIX;

import dev.sluice.Address;
import dev.sluice.IPv4Address;
import dev.sluice.IPv6Address;
import dev.sluice.UnixAddress;
import dev.sluice.bindings.linux.sockaddr_in;
import dev.sluice.bindings.linux.sockaddr_in6;
import dev.sluice.bindings.linux.sockaddr_storage;
import dev.sluice.bindings.linux.sockaddr_un;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Address records to and from Linux sockaddr bytes. Ports, IPv4 addresses and the IPv6 flow
 * label are in network byte order; sa_family and sin6_scope_id are in host order.
 */
public final class Sockaddrs {
    /** sizeof(struct sockaddr_storage): room for any address. */
    public static final int STORAGE_BYTES = (int) sockaddr_storage.sizeof();

    private static final ValueLayout.OfShort SHORT_BE = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfInt INT_BE = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final long SUN_PATH = sockaddr_un.OFFSET_sun_path;
    private static final int SUN_PATH_BYTES = (int) (sockaddr_un.sizeof() - SUN_PATH);

    private Sockaddrs() {
    }

    /** Writes {@code address} into {@code dst} (at least {@link #STORAGE_BYTES}); returns its length. */
    public static int encode(Address address, MemorySegment dst) {
        switch (address) {
            case IPv4Address v4 -> {
                dst.asSlice(0, sockaddr_in.sizeof()).fill((byte) 0);
                sockaddr_in.sin_family(dst, (short) AF_INET);
                dst.set(SHORT_BE, sockaddr_in.OFFSET_sin_port, (short) v4.port());
                dst.set(INT_BE, sockaddr_in.OFFSET_sin_addr, v4.addressBits());
                return (int) sockaddr_in.sizeof();
            }
            case IPv6Address v6 -> {
                dst.asSlice(0, sockaddr_in6.sizeof()).fill((byte) 0);
                sockaddr_in6.sin6_family(dst, (short) AF_INET6);
                dst.set(SHORT_BE, sockaddr_in6.OFFSET_sin6_port, (short) v6.port());
                dst.set(INT_BE, sockaddr_in6.OFFSET_sin6_flowinfo, v6.flowInfo());
                MemorySegment.copy(MemorySegment.ofArray(v6.bytes()), 0, dst, sockaddr_in6.OFFSET_sin6_addr, 16);
                sockaddr_in6.sin6_scope_id(dst, v6.scopeId());
                return (int) sockaddr_in6.sizeof();
            }
            case UnixAddress unix -> {
                byte[] name = unix.name().getBytes(StandardCharsets.UTF_8);
                // Paths need a NUL terminator; abstract names start with NUL and take no terminator.
                if (name.length + 1 > SUN_PATH_BYTES) {
                    throw new IllegalArgumentException("Unix socket name is " + name.length + " bytes; Linux fits " + (SUN_PATH_BYTES - 1) + ": " + unix);
                }
                dst.asSlice(0, sockaddr_un.sizeof()).fill((byte) 0);
                sockaddr_un.sun_family(dst, (short) AF_UNIX);
                if (unix.isUnnamed()) return (int) SUN_PATH;
                long at = SUN_PATH + (unix.isAbstract() ? 1 : 0);
                MemorySegment.copy(MemorySegment.ofArray(name), 0, dst, at, name.length);
                return (int) (unix.isAbstract() ? SUN_PATH + 1 + name.length : SUN_PATH + name.length + 1);
            }
        }
    }

    /** Reads an address of {@code length} bytes, as the kernel reported it. */
    public static Address decode(MemorySegment src, int length) {
        if (length < 2) throw new IllegalArgumentException("sockaddr of " + length + " bytes has no family");
        if (length > src.byteSize()) {
            throw new IllegalArgumentException("sockaddr of " + length + " bytes does not fit the " + src.byteSize() + " given (truncated by the kernel?)");
        }
        int af = src.get(ValueLayout.JAVA_SHORT, 0);
        switch (af) {
            case AF_INET -> {
                requireLength(length, sockaddr_in.sizeof(), "sockaddr_in");
                int port = Short.toUnsignedInt(src.get(SHORT_BE, sockaddr_in.OFFSET_sin_port));
                byte[] b = new byte[4];
                MemorySegment.copy(src, ValueLayout.JAVA_BYTE, sockaddr_in.OFFSET_sin_addr, b, 0, 4);
                return new IPv4Address(b, port);
            }
            case AF_INET6 -> {
                requireLength(length, sockaddr_in6.sizeof(), "sockaddr_in6");
                int port = Short.toUnsignedInt(src.get(SHORT_BE, sockaddr_in6.OFFSET_sin6_port));
                byte[] b = new byte[16];
                MemorySegment.copy(src, ValueLayout.JAVA_BYTE, sockaddr_in6.OFFSET_sin6_addr, b, 0, 16);
                return new IPv6Address(b, port, src.get(INT_BE, sockaddr_in6.OFFSET_sin6_flowinfo), sockaddr_in6.sin6_scope_id(src));
            }
            case AF_UNIX -> {
                int pathBytes = Math.min(length, (int) sockaddr_un.sizeof()) - (int) SUN_PATH;
                if (pathBytes <= 0) return UnixAddress.unnamed();
                if (src.get(ValueLayout.JAVA_BYTE, SUN_PATH) == 0) {
                    byte[] b = new byte[pathBytes - 1];
                    MemorySegment.copy(src, ValueLayout.JAVA_BYTE, SUN_PATH + 1, b, 0, b.length);
                    return UnixAddress.abstractName(new String(b, StandardCharsets.UTF_8));
                }
                int n = 0;
                while (n < pathBytes && src.get(ValueLayout.JAVA_BYTE, SUN_PATH + n) != 0) n++;
                byte[] b = new byte[n];
                MemorySegment.copy(src, ValueLayout.JAVA_BYTE, SUN_PATH, b, 0, n);
                return UnixAddress.path(new String(b, StandardCharsets.UTF_8));
            }
            default -> throw new IllegalArgumentException("unknown address family " + af + " in a sockaddr");
        }
    }

    private static void requireLength(int length, long needed, String what) {
        if (length < needed) throw new IllegalArgumentException(what + " of " + length + " bytes is shorter than its " + needed);
    }
}
