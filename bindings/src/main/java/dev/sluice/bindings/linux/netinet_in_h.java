// jextract-shaped binding. Values and offsets were read from gcc on Debian 12 (glibc 2.36,
// linux-libc-dev 6.1.187, liburing 2.3, x86_64); AbiTest re-checks every one against gcc.
package dev.sluice.bindings.linux;


/** Constants and functions of {@code <netinet/in.h>} on Linux (glibc, x86_64/aarch64). */
@SuppressWarnings("unused")
public final class netinet_in_h {
    private netinet_in_h() {}

    public static final int IPPROTO_IP = 0;
    public static final int IPPROTO_ICMP = 1;
    public static final int IPPROTO_TCP = 6;
    public static final int IPPROTO_UDP = 17;
    public static final int IPPROTO_IPV6 = 41;
    public static final int IPPROTO_RAW = 255;
    public static final int IP_TOS = 1;
    public static final int IP_TTL = 2;
    public static final int IP_MULTICAST_TTL = 33;
    public static final int IP_MULTICAST_LOOP = 34;
    public static final int IPV6_V6ONLY = 26;
    public static final int IPV6_UNICAST_HOPS = 16;
    public static final int IPV6_MULTICAST_HOPS = 18;
    public static final int IPV6_MULTICAST_LOOP = 19;
    public static final int INADDR_ANY = 0;
    public static final int INADDR_LOOPBACK = 0x7f000001;
    public static final int INADDR_BROADCAST = -1;
    public static final int INADDR_NONE = -1;
    public static final int INET_ADDRSTRLEN = 16;
    public static final int INET6_ADDRSTRLEN = 46;
}
