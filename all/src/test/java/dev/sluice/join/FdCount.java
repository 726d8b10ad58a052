package dev.sluice.join;

import java.io.File;

/** Open file descriptors of this process, from /proc/self/fd. */
final class FdCount {
    private FdCount() {
    }

    static long now() {
        String[] fds = new File("/proc/self/fd").list();
        return fds == null ? -1 : fds.length;
    }
}
