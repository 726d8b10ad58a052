package dev.sluice.cli;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.sluice.Backends;
import dev.sluice.Join;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code sluice proxy}: its options, and the command itself in a child JVM moving checked bytes both ways. */
class ProxyCommandTest {
    private static final Pattern LISTENING = Pattern.compile("sluice proxy listening on 127\\.0\\.0\\.1:(\\d+) to \\S+ with (\\d+) rings, backend (\\S+), (.*)");

    @Test
    void defaultsAreJoinsDefaultsAndOneRingPerCore() {
        ProxyArgs p = ProxyArgs.parse(new String[] {"8080", "example.org:80"}, 6);
        assertEquals("8080", p.listen());
        assertEquals("example.org:80", p.target());
        assertNull(p.backend());
        assertEquals(6, p.rings());
        assertEquals(Join.Options.DEFAULT, p.options());
        assertEquals(TimeUnit.SECONDS.toNanos(10), p.connectTimeoutNanos());
    }

    @Test
    void optionsSetWhatTheySay() {
        ProxyArgs p = ProxyArgs.parse(new String[] {"--rings", "2", "--pipe-bytes", "1m", "--buffer-bytes", "16k", "--copy",
                "--idle-timeout", "1.5", "--connect-timeout", "0.25", "10.0.0.1:9000", "[::1]:7000", "epoll"}, 8);
        assertEquals("10.0.0.1:9000", p.listen());
        assertEquals("[::1]:7000", p.target());
        assertEquals("epoll", p.backend());
        assertEquals(2, p.rings());
        assertEquals(new Join.Options(false, 1 << 20, 16 << 10, 1_500_000_000L), p.options());
        assertEquals(250_000_000L, p.connectTimeoutNanos());
    }

    @Test
    void badInputIsNamed() {
        assertMessage("--pipe-bytes must be 4096 to 67108864 bytes, got 12", "--pipe-bytes", "12", "1", "h:2");
        assertMessage("--pipe-bytes takes a size in bytes (suffix k or m allowed), got lots", "--pipe-bytes", "lots", "1", "h:2");
        assertMessage("--buffer-bytes must be 1 to 67108864 bytes, got 65m", "--buffer-bytes", "65m", "1", "h:2");
        assertMessage("--rings must be 1 to 1024, got 0", "--rings", "0", "1", "h:2");
        assertMessage("--idle-timeout must be 0 to 1000000 seconds, got -1", "--idle-timeout", "-1", "1", "h:2");
        assertMessage("--idle-timeout must be 0 to 1000000 seconds, got NaN", "--idle-timeout", "NaN", "1", "h:2");
        assertMessage("--connect-timeout must be above 0, got 0", "--connect-timeout", "0", "1", "h:2");
        assertMessage("--rings needs a value", "1", "h:2", "--rings");
        assertMessage("unknown option --splice", "--splice", "yes", "1", "h:2");
        assertMessage("expected [ADDR:]PORT HOST:PORT [BACKEND], got [1]", "1");
        assertMessage("expected [ADDR:]PORT HOST:PORT [BACKEND], got [1, h:2, epoll, extra]", "1", "h:2", "epoll", "extra");
    }

    private static void assertMessage(String expected, String... args) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ProxyArgs.parse(args, 2));
        assertEquals(expected, e.getMessage());
    }

    @Test
    @Timeout(60)
    void badOptionsExitWithStatusTwoAndSayWhy() throws Exception {
        Path errors = Files.createTempFile("proxy", ".err");
        try {
            Process p = new ProcessBuilder(command("--pipe-bytes", "12", "0", "127.0.0.1:1")).redirectError(errors.toFile()).start();
            assertTrue(p.waitFor(30, TimeUnit.SECONDS));
            assertEquals(2, p.exitValue());
            String err = Files.readString(errors);
            assertTrue(err.contains("sluice proxy: --pipe-bytes must be 4096 to 67108864 bytes, got 12"), err);
            // Then the usage, with the proxy command in line with the others.
            assertTrue(err.contains("\n  echo PORT") && err.contains("\n  proxy [OPTIONS] [ADDR:]PORT HOST:PORT [BACKEND]\n")
                    && err.contains("\n      --pipe-bytes SIZE") && err.contains("\n  backends "), err);
        } finally {
            Files.deleteIfExists(errors);
        }
    }

    /**
     * The proxy command with options, in a child JVM, between Java sockets and an echoing target:
     * 1 MiB of random bytes through it and back, every byte checked, on each backend and both
     * ways of moving bytes; then SIGTERM ends it with status 0.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"io_uring splice", "io_uring copy", "epoll splice", "epoll copy"})
    @Timeout(120)
    void movesCheckedBytesWithTheOptionsGiven(String how) throws Exception {
        String backend = how.split(" ")[0];
        boolean copy = how.endsWith("copy");
        assumeTrue(Backends.available().contains(backend), backend + " is not available here");
        try (ServerSocket target = new ServerSocket()) {
            target.bind(new InetSocketAddress("127.0.0.1", 0));
            Thread echo = Thread.ofPlatform().name("target").start(() -> echoOnce(target));
            List<String> args = new ArrayList<>(List.of("--rings", "1", "--pipe-bytes", "64k", "--buffer-bytes", "4k", "--idle-timeout", "60"));
            if (copy) args.add("--copy");
            args.addAll(List.of("0", "127.0.0.1:" + target.getLocalPort(), backend));
            Path errors = Files.createTempFile("proxy", ".err");
            Process proxy = new ProcessBuilder(command(args.toArray(String[]::new))).redirectError(errors.toFile()).start();
            try {
                String line = new BufferedReader(new InputStreamReader(proxy.getInputStream(), StandardCharsets.UTF_8)).readLine();
                if (line == null) fail("the proxy printed nothing; stderr: " + Files.readString(errors));
                Matcher m = LISTENING.matcher(line);
                assertTrue(m.matches(), "unexpected first line: " + line);
                assertEquals("1", m.group(2), line);
                assertEquals(backend, m.group(3), line);
                assertEquals(copy ? "copy through 4096 B buffers, idle timeout 60.0 s"
                        : "splice through 64 KiB pipes (copy where splice cannot work), idle timeout 60.0 s", m.group(4));

                byte[] data = new byte[1 << 20];
                new Random(42).nextBytes(data);
                byte[] back = new byte[data.length];
                try (Socket client = new Socket()) {
                    client.connect(new InetSocketAddress("127.0.0.1", Integer.parseInt(m.group(1))), 10_000);
                    client.setSoTimeout(30_000);
                    Thread writer = Thread.ofPlatform().name("writer").start(() -> {
                        try {
                            OutputStream o = client.getOutputStream();
                            o.write(data);
                            client.shutdownOutput();
                        } catch (Exception e) {
                            throw new RuntimeException(e);
                        }
                    });
                    InputStream in = client.getInputStream();
                    int got = 0;
                    for (int r; got < back.length && (r = in.read(back, got, back.length - got)) > 0; ) got += r;
                    writer.join();
                    assertEquals(data.length, got, "bytes back through the proxy");
                    assertEquals(-1, in.read(), "the target's FIN passed on after the bytes");
                    assertTrue(Arrays.equals(data, back), "bytes differ");
                }
                echo.join(30_000);
                proxy.destroy(); // SIGTERM
                assertTrue(proxy.waitFor(30, TimeUnit.SECONDS), "the proxy did not exit within 30 s of SIGTERM");
                assertEquals(0, proxy.exitValue(), "exit status; stderr: " + Files.readString(errors));
                assertTrue(Files.readString(errors).isBlank(), "the proxy wrote to stderr: " + Files.readString(errors));
            } finally {
                proxy.destroyForcibly();
                proxy.waitFor(30, TimeUnit.SECONDS);
                Files.deleteIfExists(errors);
            }
        }
    }

    /** Accepts one connection, echoes it to end of stream, then closes. */
    private static void echoOnce(ServerSocket target) {
        try (Socket s = target.accept()) {
            s.setSoTimeout(30_000);
            s.getInputStream().transferTo(s.getOutputStream());
            s.shutdownOutput();
        } catch (Exception e) {
            throw new RuntimeException(e);
        }
    }

    private static List<String> command(String... args) {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElseThrow());
        command.add("--enable-native-access=ALL-UNNAMED");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(Main.class.getName());
        command.add("proxy");
        command.addAll(List.of(args));
        return command;
    }
}
