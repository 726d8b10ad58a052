package dev.sluice;

import java.io.IOException;
import java.util.Objects;

/**
 * An operation failed with an error from the operating system. Carries the portable
 * {@link Errno}, the platform's own number, and the operation that failed, so a message reads
 * like {@code "connect to 127.0.0.1:1: ECONNREFUSED (Connection refused) [errno 111]"}.
 */
public class SluiceException extends IOException {
    private static final long serialVersionUID = 1L;

    private final Errno errno;
    private final int nativeErrno;
    private final String operation;

    /**
     * @param operation   what was attempted, e.g. {@code "connect to 127.0.0.1:1"}
     * @param errno       the portable code
     * @param nativeErrno the platform's number for it (0 when unknown)
     */
    public SluiceException(String operation, Errno errno, int nativeErrno) {
        super(operation + ": " + errno.name() + " (" + errno.description() + ")" + (nativeErrno != 0 ? " [errno " + nativeErrno + "]" : ""));
        this.operation = Objects.requireNonNull(operation, "operation");
        this.errno = Objects.requireNonNull(errno, "errno");
        this.nativeErrno = nativeErrno;
    }

    /** The portable error code. */
    public Errno errno() {
        return errno;
    }

    /** The platform's own error number, e.g. 111 for ECONNREFUSED on Linux. */
    public int nativeErrno() {
        return nativeErrno;
    }

    /** The operation that failed. */
    public String operation() {
        return operation;
    }
}
