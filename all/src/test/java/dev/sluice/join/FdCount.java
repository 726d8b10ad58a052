package dev.sluice.join;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Open file descriptors of this process, from /proc/self/fd. */
final class FdCount {
    private FdCount() {
    }

    static long now() {
        String[] fds = new File("/proc/self/fd").list();
        return fds == null ? -1 : fds.length;
    }

    /**
     * Open sockets and pipes only. Tests that also use JDK virtual-thread sockets count these: the
     * JDK starts its own pollers (epoll and eventfd descriptors) lazily, per fd hash, at any time.
     */
    static long socketsAndPipes() {
        long n = 0;
        File[] fds = new File("/proc/self/fd").listFiles();
        if (fds == null) return -1;
        for (File f : fds) {
            try {
                String target = Files.readSymbolicLink(Path.of(f.getPath())).toString();
                if (target.startsWith("socket:") || target.startsWith("pipe:")) n++;
            } catch (IOException gone) {
                // closed while we listed: not open
            }
        }
        return n;
    }
}
