package dev.sluice.bindings.linux;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.fail;

/** Compiles and runs a C probe with gcc against the real headers; the oracle for the ABI tests. */
final class Gcc {
    private Gcc() {}

    static final String INSTALL_HINT = "install gcc and liburing-dev: apt-get install -y gcc liburing-dev";

    /**
     * Every header the bindings mirror. The kernel's io_uring.h goes first: liburing 2.3 ships an
     * older copy under the same include guard, so this order makes the newer (6.1) one win and
     * liburing.h then compiles against it, which shows the two agree.
     */
    static final String PRELUDE = """
            #define _GNU_SOURCE
            #include <linux/io_uring.h>
            #include <liburing.h>
            #include <sys/socket.h>
            #include <sys/un.h>
            #include <netinet/in.h>
            #include <netinet/tcp.h>
            #include <netdb.h>
            #include <unistd.h>
            #include <sys/syscall.h>
            #include <fcntl.h>
            #include <sys/eventfd.h>
            #include <sys/mman.h>
            #include <string.h>
            #include <errno.h>
            #include <sys/epoll.h>
            #include <sys/prctl.h>
            #include <linux/seccomp.h>
            #include <linux/filter.h>
            #include <linux/audit.h>
            #include <stddef.h>
            #include <stdio.h>
            """;

    /** Compiles {@code PRELUDE + body} (body holds the statements of main) and returns its stdout. */
    static List<String> run(String body) {
        Path dir = null;
        try {
            dir = Files.createTempDirectory("sluice-abi");
            Path src = dir.resolve("probe.c");
            Path exe = dir.resolve("probe");
            Files.writeString(src, PRELUDE + "\nint main(void) {\n" + body + "\n    return 0;\n}\n");
            Result cc = exec(dir, "gcc", "-D_GNU_SOURCE", "-O0", "-o", exe.toString(), src.toString());
            if (cc.code != 0) {
                String hint = cc.err.contains("liburing.h") ? INSTALL_HINT + "\n" : "";
                fail(hint + "gcc failed on the generated probe (" + src + " is deleted; rerun to inspect):\n" + cc.err);
            }
            Result probe = exec(dir, exe.toString());
            if (probe.code != 0) fail("probe exited with " + probe.code + ": " + probe.err);
            return probe.out.lines().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            if (dir != null) deleteTree(dir);
        }
    }

    private record Result(int code, String out, String err) {}

    private static Result exec(Path dir, String... command) throws IOException {
        Process p;
        try {
            p = new ProcessBuilder(command).directory(dir.toFile()).start();
        } catch (IOException e) {
            // gcc itself is missing.
            fail(INSTALL_HINT + " (" + e.getMessage() + ")");
            throw e;
        }
        p.getOutputStream().close();
        try {
            // Read both pipes before waiting so a chatty compiler cannot block on a full pipe.
            var err = new java.util.concurrent.CompletableFuture<String>();
            Thread t = Thread.ofVirtual().start(() -> {
                try {
                    err.complete(new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
                } catch (IOException e) {
                    err.completeExceptionally(e);
                }
            });
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                fail(String.join(" ", command) + " did not finish in 120 s");
            }
            t.join();
            return new Result(p.exitValue(), out, err.join());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // A leftover temp dir is not worth failing a test over.
        }
    }
}
