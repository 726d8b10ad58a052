package dev.sluice.conformance;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * Counts this process's open file descriptors by listing {@code /proc/self/fd}, so a test can
 * prove it leaked none: take a {@link #snapshot()} before, and {@link #assertNoLeak} after every
 * ring is closed. The listing's own directory fd appears in every snapshot alike.
 */
final class FdCounter {
    private static final Path FDS = Path.of("/proc/self/fd");

    private FdCounter() {
    }

    /** True where /proc/self/fd exists (Linux). */
    static boolean supported() {
        return Files.isDirectory(FDS);
    }

    /** How many fds are open now. */
    static int count() {
        return snapshot().size();
    }

    /** Every open fd with what it points to (for the failure message). */
    static Map<Integer, String> snapshot() {
        Map<Integer, String> fds = new TreeMap<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(FDS)) {
            for (Path entry : entries) {
                String target;
                try {
                    target = Files.readSymbolicLink(entry).toString();
                } catch (IOException e) {
                    target = "(closed while listing)";
                }
                fds.put(Integer.parseInt(entry.getFileName().toString()), target);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + FDS, e);
        }
        return fds;
    }

    /** Fails, naming the fds that appeared and disappeared, unless as many are open as in {@code before}. */
    static void assertNoLeak(Map<Integer, String> before, String when) {
        Map<Integer, String> after = snapshot();
        if (after.size() == before.size()) return;
        // An fd number may have been reused for something else, so compare number and target.
        Map<Integer, String> added = new TreeMap<>(after);
        added.entrySet().removeIf(e -> e.getValue().equals(before.get(e.getKey())));
        Map<Integer, String> removed = new TreeMap<>(before);
        removed.entrySet().removeIf(e -> e.getValue().equals(after.get(e.getKey())));
        throw new AssertionError("fd count " + when + " went from " + before.size() + " to " + after.size()
                + "; now open: " + added + "; no longer open: " + removed
                + " (the /proc/self/fd listing itself shows up under a new number when its old one was taken)");
    }
}
