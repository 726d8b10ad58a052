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
    SPLICE
}
