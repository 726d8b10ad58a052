package dev.sluice;

/** The asynchronous operations a {@link Ring} runs. */
public enum Op {
    NOP,
    ACCEPT,
    CONNECT,
    SEND,
    RECV,
    SENDMSG,
    RECVMSG,
    SENDTO,
    RECVFROM,
    SEND_FDS,
    RECV_FDS,
    SHUTDOWN,
    CLOSE,
    TIMEOUT,
    CANCEL,
    /** Move bytes between a socket and a pipe without copying them through user memory. */
    SPLICE,
    /**
     * Accepts connections until cancelled: one result per connection (io_uring
     * IORING_ACCEPT_MULTISHOT; a loop of accept4 on readiness backends).
     */
    ACCEPT_MULTISHOT,
    /**
     * Receives until end of stream, error or cancel: one result per arrival, each in a buffer the
     * kernel picked from a {@link BufferPool} (io_uring IORING_RECV_MULTISHOT over a provided-buffer
     * ring; recv into pool buffers on readiness backends).
     */
    RECV_MULTISHOT
}
