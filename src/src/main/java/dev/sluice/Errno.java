package dev.sluice;

/**
 * Portable error codes. Every backend maps its platform's numbers (errno on POSIX, WSA codes on
 * Windows) to these through a per-OS table, so handlers switch on names, never on numbers that
 * differ between systems (EAGAIN is 11 on Linux and 35 on macOS).
 *
 * <p>Operating errors a peer or the network can cause (reset, refused, timed out, broken pipe)
 * reach handlers as results. {@link #UNKNOWN} stands for a platform code without a portable name;
 * the native number is kept beside it in {@link Completion#nativeErrno()}.
 */
public enum Errno {
    EPERM("Operation not permitted"),
    ENOENT("No such file or directory"),
    EINTR("Interrupted system call"),
    EIO("Input/output error"),
    EBADF("Bad file descriptor"),
    EAGAIN("Resource temporarily unavailable"),
    ENOMEM("Cannot allocate memory"),
    EACCES("Permission denied"),
    EFAULT("Bad address"),
    EBUSY("Device or resource busy"),
    EEXIST("File exists"),
    ENOTDIR("Not a directory"),
    EINVAL("Invalid argument"),
    ENFILE("Too many open files in system"),
    EMFILE("Too many open files"),
    ENOSPC("No space left on device"),
    EPIPE("Broken pipe"),
    ENOSYS("Function not implemented"),
    ENAMETOOLONG("File name too long"),
    ENOTSOCK("Socket operation on non-socket"),
    EDESTADDRREQ("Destination address required"),
    EMSGSIZE("Message too long"),
    EPROTOTYPE("Protocol wrong type for socket"),
    ENOPROTOOPT("Protocol not available"),
    EPROTONOSUPPORT("Protocol not supported"),
    ESOCKTNOSUPPORT("Socket type not supported"),
    EOPNOTSUPP("Operation not supported"),
    EAFNOSUPPORT("Address family not supported by protocol"),
    EADDRINUSE("Address already in use"),
    EADDRNOTAVAIL("Cannot assign requested address"),
    ENETDOWN("Network is down"),
    ENETUNREACH("Network is unreachable"),
    ENETRESET("Network dropped connection on reset"),
    ECONNABORTED("Software caused connection abort"),
    ECONNRESET("Connection reset by peer"),
    ENOBUFS("No buffer space available"),
    EISCONN("Transport endpoint is already connected"),
    ENOTCONN("Transport endpoint is not connected"),
    ESHUTDOWN("Cannot send after transport endpoint shutdown"),
    ETIMEDOUT("Connection timed out"),
    ECONNREFUSED("Connection refused"),
    EHOSTDOWN("Host is down"),
    EHOSTUNREACH("No route to host"),
    EALREADY("Operation already in progress"),
    EINPROGRESS("Operation now in progress"),
    ECANCELED("Operation canceled"),
    EOVERFLOW("Value too large for defined data type"),
    EPROTO("Protocol error"),
    /** A platform code with no portable name; see {@link Completion#nativeErrno()}. */
    UNKNOWN("Unknown error");

    private final String description;

    Errno(String description) {
        this.description = description;
    }

    /** The conventional text of this error, as strerror(3) on Linux gives it. */
    public String description() {
        return description;
    }

    /**
     * True for errors that a peer or the network causes during normal operation (the connection
     * is gone or never was), as opposed to misuse of the API.
     */
    public boolean isConnectionError() {
        return switch (this) {
            case ECONNRESET, ECONNREFUSED, ECONNABORTED, EPIPE, ETIMEDOUT, EHOSTUNREACH, ENETUNREACH,
                 ENETDOWN, ENETRESET, EHOSTDOWN, ENOTCONN, ESHUTDOWN -> true;
            default -> false;
        };
    }
}
