package dev.sluice.join;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/** Open file descriptors of this process, from /proc/self/fd. */
final class FdCount {
    private FdCount() {
    }

    static long now() {
        String[] fds = new File("/proc/self/fd").list();
        return fds == null ? -1 : fds.length;
    }

    /** fd number to what it names (socket:[inode], pipe:[inode], anon_inode:[eventpoll], a path). */
    static Map<Integer, String> snapshot() {
        Map<Integer, String> out = new TreeMap<>();
        String[] fds = new File("/proc/self/fd").list();
        if (fds == null) return out;
        for (String fd : fds) {
            try {
                out.put(Integer.parseInt(fd), Files.readSymbolicLink(Path.of("/proc/self/fd", fd)).toString());
            } catch (IOException | NumberFormatException e) {
                // Closed between list and readlink (the listing's own directory fd, for one).
            }
        }
        return out;
    }

    /**
     * The fds a proxy or join owns kinds of: sockets, pipes, io_uring rings and eventfds. Not
     * epoll fds: the JDK starts virtual-thread pollers (one epoll fd each) lazily, whenever a
     * virtual thread first waits to read or write, so their number changes under a test.
     */
    static long ours(Map<Integer, String> snapshot) {
        return snapshot.values().stream()
                .filter(w -> w.startsWith("socket:") || w.startsWith("pipe:") || w.equals("anon_inode:[io_uring]") || w.equals("anon_inode:[eventfd]"))
                .count();
    }

    /** What differs between two snapshots, for failure messages. */
    static String diff(Map<Integer, String> before, Map<Integer, String> after) {
        StringBuilder sb = new StringBuilder();
        before.forEach((fd, what) -> {
            if (!what.equals(after.get(fd))) sb.append(" closed ").append(fd).append('=').append(what);
        });
        after.forEach((fd, what) -> {
            if (!what.equals(before.get(fd))) sb.append(" opened ").append(fd).append('=').append(what);
        });
        return sb.toString();
    }
}
