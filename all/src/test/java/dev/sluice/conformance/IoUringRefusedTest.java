package dev.sluice.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.Backends;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * io_uring refused the way real deployments refuse it (TigerBeetle #2446): a child JVM installs
 * a seccomp filter that fails io_uring_setup, then lets Sluice choose. It must fall back to
 * epoll, say why in words that point at the cause, and work. ENOSYS is what Docker's default
 * seccomp profile answers; EPERM is what {@code kernel.io_uring_disabled} answers.
 *
 * <p>No fd-leak check here, and this class runs last ({@code @Order}): no ring is opened in this
 * JVM, and the JDK's process launcher (JDK 25, posix_spawn) sometimes closes one of its pipes
 * only after {@code waitFor} returned, which would show up as a change in some other test's count.
 */
@Order(Integer.MAX_VALUE)
@Timeout(value = 120, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class IoUringRefusedTest {

    @ParameterizedTest(name = "io_uring_setup fails with {0}")
    @CsvSource({"ENOSYS, seccomp", "EPERM, io_uring_disabled"})
    void fallsBackToEpollAndSaysWhy(String errno, String causeWord) throws Exception {
        Assumptions.assumeTrue(System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux"), "seccomp is Linux's");
        Assumptions.assumeTrue(Backends.available().contains("io_uring"),
                "io_uring is not available in this JVM either, so refusing it in a child proves nothing: " + Backends.list());
        Map<String, String> out = runChild(errno);
        assertEquals(errno, out.get("filter-check"), "the seccomp filter makes io_uring_setup fail with " + errno + ": " + out);
        assertEquals("epoll", out.get("backend"), "with io_uring refused, automatic choice falls back to epoll: " + out);
        String reason = out.getOrDefault("reason", "");
        assertTrue(reason.contains("io_uring"), "the reason says io_uring was passed over: " + reason);
        assertTrue(reason.contains(errno), "the reason names the errno " + errno + ": " + reason);
        assertTrue(reason.toLowerCase(Locale.ROOT).contains(causeWord.toLowerCase(Locale.ROOT)),
                "for " + errno + " the reason should point at " + causeWord + ": " + reason);
        assertTrue(out.containsKey("OK"), "the echo over the fallback worked: " + out);
    }

    private static Map<String, String> runChild(String errno) throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command().orElseThrow(() -> new IllegalStateException("cannot tell which java runs this test"));
        String classPath = System.getProperty("java.class.path");
        List<String> command = List.of(java, "--enable-native-access=ALL-UNNAMED", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-Xshare:auto", "-cp", classPath, SeccompChild.class.getName(), errno);
        // Not File.createTempFile: its SecureRandom opens /dev/urandom for good, which the fd check would see.
        File output = new File(System.getProperty("java.io.tmpdir"), Conformance.uniqueName("sluice-seccomp") + ".out");
        try {
            ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            pb.environment().remove("JAVA_TOOL_OPTIONS");
            Process p = pb.start();
            if (!p.waitFor(90, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor();
                throw new AssertionError("the child JVM did not finish in 90 s: " + Files.readString(output.toPath()));
            }
            String text = Files.readString(output.toPath(), StandardCharsets.UTF_8);
            assertEquals(0, p.exitValue(), "child JVM exit status; its output:\n" + text);
            Map<String, String> lines = new HashMap<>();
            for (String line : text.split("\n")) {
                int eq = line.indexOf('=');
                if (eq > 0) lines.putIfAbsent(line.substring(0, eq), line.substring(eq + 1).trim());
                else if (line.trim().equals("OK")) lines.put("OK", "");
            }
            return lines;
        } finally {
            Files.deleteIfExists(output.toPath());
        }
    }

}
