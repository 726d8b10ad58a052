package dev.sluice.posix;

import static dev.sluice.bindings.linux.errno_h.*;

import dev.sluice.Errno;

/** The Linux errno table: Linux numbers to portable {@link Errno} names. */
public final class LinuxErrno {
    private static final Errno[] TABLE = new Errno[256];

    static {
        put(EPERM, Errno.EPERM);
        put(ENOENT, Errno.ENOENT);
        put(EINTR, Errno.EINTR);
        put(EIO, Errno.EIO);
        put(EBADF, Errno.EBADF);
        put(EAGAIN, Errno.EAGAIN);
        put(ENOMEM, Errno.ENOMEM);
        put(EACCES, Errno.EACCES);
        put(EFAULT, Errno.EFAULT);
        put(EBUSY, Errno.EBUSY);
        put(EEXIST, Errno.EEXIST);
        put(ENOTDIR, Errno.ENOTDIR);
        put(EINVAL, Errno.EINVAL);
        put(ENFILE, Errno.ENFILE);
        put(EMFILE, Errno.EMFILE);
        put(ENOSPC, Errno.ENOSPC);
        put(EPIPE, Errno.EPIPE);
        put(ENOSYS, Errno.ENOSYS);
        put(ENAMETOOLONG, Errno.ENAMETOOLONG);
        put(ENOTSOCK, Errno.ENOTSOCK);
        put(EDESTADDRREQ, Errno.EDESTADDRREQ);
        put(EMSGSIZE, Errno.EMSGSIZE);
        put(EPROTOTYPE, Errno.EPROTOTYPE);
        put(ENOPROTOOPT, Errno.ENOPROTOOPT);
        put(EPROTONOSUPPORT, Errno.EPROTONOSUPPORT);
        put(ESOCKTNOSUPPORT, Errno.ESOCKTNOSUPPORT);
        put(EOPNOTSUPP, Errno.EOPNOTSUPP);
        put(EAFNOSUPPORT, Errno.EAFNOSUPPORT);
        put(EADDRINUSE, Errno.EADDRINUSE);
        put(EADDRNOTAVAIL, Errno.EADDRNOTAVAIL);
        put(ENETDOWN, Errno.ENETDOWN);
        put(ENETUNREACH, Errno.ENETUNREACH);
        put(ENETRESET, Errno.ENETRESET);
        put(ECONNABORTED, Errno.ECONNABORTED);
        put(ECONNRESET, Errno.ECONNRESET);
        put(ENOBUFS, Errno.ENOBUFS);
        put(EISCONN, Errno.EISCONN);
        put(ENOTCONN, Errno.ENOTCONN);
        put(ESHUTDOWN, Errno.ESHUTDOWN);
        put(ETIMEDOUT, Errno.ETIMEDOUT);
        put(ECONNREFUSED, Errno.ECONNREFUSED);
        put(EHOSTDOWN, Errno.EHOSTDOWN);
        put(EHOSTUNREACH, Errno.EHOSTUNREACH);
        put(EALREADY, Errno.EALREADY);
        put(EINPROGRESS, Errno.EINPROGRESS);
        put(ECANCELED, Errno.ECANCELED);
        put(EOVERFLOW, Errno.EOVERFLOW);
        put(EPROTO, Errno.EPROTO);
        // ETIME is what io_uring timeouts report on expiry; callers translate it where it means success.
    }

    private LinuxErrno() {
    }

    private static void put(int number, Errno errno) {
        if (TABLE[number] != null && TABLE[number] != errno) throw new AssertionError("errno " + number + " mapped twice");
        TABLE[number] = errno;
    }

    /** The portable name of a Linux errno (positive), or {@link Errno#UNKNOWN}. */
    public static Errno of(int linuxErrno) {
        if (linuxErrno <= 0 || linuxErrno >= TABLE.length) return Errno.UNKNOWN;
        Errno e = TABLE[linuxErrno];
        return e == null ? Errno.UNKNOWN : e;
    }

    /** The Linux number of a portable name, or -1 when it has none here. */
    public static int number(Errno errno) {
        for (int i = 0; i < TABLE.length; i++) if (TABLE[i] == errno) return i;
        return -1;
    }
}
