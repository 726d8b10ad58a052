package dev.sluice;

/** Optional kernel features a backend may use; see {@link Capabilities#feature(Feature)}. */
public enum Feature {
    /** One accept request yields many connections (io_uring IORING_ACCEPT_MULTISHOT). */
    MULTISHOT_ACCEPT,
    /** One receive request yields many completions into kernel-picked buffers. */
    MULTISHOT_RECV,
    /** A ring of buffers registered with the kernel, picked per receive. */
    PROVIDED_BUFFERS,
    /** Sockets registered with the ring so the kernel skips the fd table lookup. */
    REGISTERED_FILES,
    /** Sends that pin user pages instead of copying them (io_uring SEND_ZC). */
    ZERO_COPY_SEND,
    /** splice(2) between sockets and pipes. */
    SPLICE,
    /** Passing file descriptors over Unix sockets (SCM_RIGHTS). */
    FD_PASSING,
    /** Completion work deferred to the ring's own thread (io_uring DEFER_TASKRUN + SINGLE_ISSUER). */
    DEFER_TASKRUN,
    /** Waking a ring from another thread without a syscall on the waker's file (e.g. MSG_RING). */
    CROSS_RING_MESSAGES
}
