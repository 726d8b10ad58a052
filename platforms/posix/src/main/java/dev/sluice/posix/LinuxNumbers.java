package dev.sluice.posix;

import static dev.sluice.bindings.linux.netinet_in_h.IPPROTO_IPV6;
import static dev.sluice.bindings.linux.netinet_in_h.IPPROTO_TCP;
import static dev.sluice.bindings.linux.netinet_in_h.IPPROTO_UDP;
import static dev.sluice.bindings.linux.netinet_in_h.IPV6_V6ONLY;
import static dev.sluice.bindings.linux.socket_h.*;

import dev.sluice.Family;
import dev.sluice.Protocol;
import dev.sluice.Shutdown;
import dev.sluice.SocketOption;
import dev.sluice.SocketType;
import dev.sluice.bindings.linux.netinet_tcp_h;

/** Portable identities to Linux numbers. */
public final class LinuxNumbers {
    private LinuxNumbers() {
    }

    public static int family(Family family) {
        if (family.equals(Family.INET)) return AF_INET;
        if (family.equals(Family.INET6)) return AF_INET6;
        if (family.equals(Family.UNIX)) return AF_UNIX;
        throw new IllegalArgumentException("address family " + family + " is not supported on Linux");
    }

    public static Family family(int af) {
        return switch (af) {
            case AF_INET -> Family.INET;
            case AF_INET6 -> Family.INET6;
            case AF_UNIX -> Family.UNIX;
            default -> throw new IllegalArgumentException("unknown Linux address family " + af);
        };
    }

    public static int type(SocketType type) {
        if (type.equals(SocketType.STREAM)) return SOCK_STREAM;
        if (type.equals(SocketType.DGRAM)) return SOCK_DGRAM;
        if (type.equals(SocketType.SEQPACKET)) return SOCK_SEQPACKET;
        throw new IllegalArgumentException("socket type " + type + " is not supported on Linux");
    }

    public static int protocol(Protocol protocol) {
        if (protocol.equals(Protocol.DEFAULT)) return 0;
        if (protocol.equals(Protocol.TCP)) return IPPROTO_TCP;
        if (protocol.equals(Protocol.UDP)) return IPPROTO_UDP;
        throw new IllegalArgumentException("protocol " + protocol + " is not supported on Linux");
    }

    public static int shutdown(Shutdown how) {
        return switch (how) {
            case READ -> SHUT_RD;
            case WRITE -> SHUT_WR;
            case BOTH -> SHUT_RDWR;
        };
    }

    /** {level, name} of a socket option. */
    public static int[] option(SocketOption<?> option) {
        if (option.equals(SocketOption.REUSE_ADDRESS)) return new int[] {SOL_SOCKET, SO_REUSEADDR};
        if (option.equals(SocketOption.REUSE_PORT)) return new int[] {SOL_SOCKET, SO_REUSEPORT};
        if (option.equals(SocketOption.TCP_NODELAY)) return new int[] {IPPROTO_TCP, netinet_tcp_h.TCP_NODELAY};
        if (option.equals(SocketOption.RECEIVE_BUFFER)) return new int[] {SOL_SOCKET, SO_RCVBUF};
        if (option.equals(SocketOption.SEND_BUFFER)) return new int[] {SOL_SOCKET, SO_SNDBUF};
        if (option.equals(SocketOption.KEEPALIVE)) return new int[] {SOL_SOCKET, SO_KEEPALIVE};
        if (option.equals(SocketOption.LINGER_SECONDS)) return new int[] {SOL_SOCKET, SO_LINGER};
        if (option.equals(SocketOption.OOB_INLINE)) return new int[] {SOL_SOCKET, SO_OOBINLINE};
        if (option.equals(SocketOption.IPV6_ONLY)) return new int[] {IPPROTO_IPV6, IPV6_V6ONLY};
        throw new IllegalArgumentException("socket option " + option.name() + " is not supported on Linux");
    }
}
