package dev.sluice;

/**
 * What a receive reported, for the future and blocking forms of recvfrom, recvmsg and recvFds.
 *
 * @param bytes            bytes written into the buffer(s)
 * @param from             the sender (datagram sockets), or null
 * @param fdCount          fds written into the array given (recvFds), else 0
 * @param truncated        the datagram did not fit and was cut
 * @param controlTruncated more fds arrived than the array held; the extra ones were closed
 */
public record Received(int bytes, Address from, int fdCount, boolean truncated, boolean controlTruncated) {
    static Received of(Completion c) {
        return new Received(c.result(), c.peer(), c.fdCount(), c.truncated(), c.controlTruncated());
    }
}
