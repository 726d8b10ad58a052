package dev.sluice;

/** How a backend provides an operation or feature. */
public enum Support {
    /** The kernel does it in one step (e.g. an io_uring opcode). */
    NATIVE,
    /** The backend builds it from other calls (e.g. readiness plus a non-blocking syscall). */
    EMULATED,
    /** Not available on this backend; the call completes with {@link Errno#EOPNOTSUPP}. */
    UNSUPPORTED
}
