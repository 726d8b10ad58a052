package dev.sluice;

/** Which direction of a connection {@code shutdown} ends. */
public enum Shutdown {
    /** No more receives (SHUT_RD). */
    READ,
    /** No more sends; the peer reads end of stream (SHUT_WR, a TCP FIN). */
    WRITE,
    /** Both directions (SHUT_RDWR). */
    BOTH
}
