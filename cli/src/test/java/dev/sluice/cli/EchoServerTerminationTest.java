package dev.sluice.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.sluice.Backends;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The echo server the benchmarks drive ({@code bench/echo-server}, {@code sluice echo}) echoes while
 * clients talk to it and exits with status 0 on SIGTERM, also when the signal lands in the middle
 * of traffic: its shutdown hook closes the ring from another thread, which must wake the ring's
 * thread out of its wait whatever task-work mode the ring runs in. Each case runs several times in
 * a fresh JVM, with the signal sent at a different moment of the traffic.
 */
class EchoServerTerminationTest {
    private static final int CLIENTS = 8;
    private static final int ROUNDS = 3;
    private static final Pattern LISTENING = Pattern.compile("sluice echo listening on 127\\.0\\.0\\.1:(\\d+) backend (\\S+)");

    static Stream<Arguments> servers() {
        List<Arguments> cases = new ArrayList<>();
        for (String backend : List.of("io_uring", "epoll")) {
            cases.add(Arguments.of(backend, List.<String>of(), false));
            cases.add(Arguments.of(backend, List.<String>of(), true));
        }
        // The ring without DEFER_TASKRUN (COOP_TASKRUN): what kernels 5.19-6.0 and virtual-thread owners get.
        cases.add(Arguments.of("io_uring", List.of("-Dsluice.iouring.deferTaskrun=false"), false));
        cases.add(Arguments.of("io_uring", List.of("-Dsluice.iouring.deferTaskrun=false"), true));
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} {1} multishot={2}")
    @MethodSource("servers")
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void echoesThenExitsCleanlyOnSigterm(String backend, List<String> jvmOptions, boolean multishot) throws Exception {
        assumeTrue(Backends.available().contains(backend), backend + " is not available here");
        for (int round = 0; round < ROUNDS; round++) {
            runOnce(backend, jvmOptions, multishot, round);
        }
    }

    private void runOnce(String backend, List<String> jvmOptions, boolean multishot, int round) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElseThrow());
        command.add("--enable-native-access=ALL-UNNAMED");
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(Main.class.getName());
        command.addAll(List.of("echo", "0", backend));
        if (multishot) command.add("multishot");
        Path errors = Files.createTempFile("echo-server", ".err");
        Process server = new ProcessBuilder(command).redirectError(errors.toFile()).start();
        List<Socket> clients = new ArrayList<>();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong echoed = new AtomicLong();
        // Signal at a different point each round: right away, after some echoes, after many.
        long want = round == 0 ? 1 : round == 1 ? 200 : 5_000;
        CountDownLatch reached = new CountDownLatch(1);
        AtomicReference<Throwable> wrong = new AtomicReference<>();
        List<Thread> talkers = new ArrayList<>();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
            String line = out.readLine();
            if (line == null) fail("the server printed nothing; stderr: " + Files.readString(errors));
            Matcher m = LISTENING.matcher(line);
            assertTrue(m.find(), "unexpected first line: " + line);
            assertEquals(backend, m.group(2), line);
            int port = Integer.parseInt(m.group(1));

            for (int i = 0; i < CLIENTS; i++) {
                Socket s = new Socket();
                s.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
                s.setSoTimeout(30_000);
                clients.add(s);
                int id = i;
                // Every client checks each echo byte for byte until the server goes away.
                Thread t = Thread.ofPlatform().name("talker-" + i).start(() -> talk(s, id, stop, echoed, want, reached, wrong));
                talkers.add(t);
            }
            assertTrue(reached.await(30, TimeUnit.SECONDS), "only " + echoed.get() + " echoes in 30 s; stderr: " + Files.readString(errors));

            server.destroy(); // SIGTERM
            if (!server.waitFor(30, TimeUnit.SECONDS)) {
                String stacks = jstack(server.pid());
                server.destroyForcibly();
                fail("round " + round + ": the server did not exit within 30 s of SIGTERM (" + echoed.get() + " echoes done)\n" + stacks);
            }
            assertEquals(0, server.exitValue(), "exit status; stderr: " + Files.readString(errors));
            for (Thread t : talkers) t.join(30_000);
            if (wrong.get() != null) throw new AssertionError("a client saw a wrong echo", wrong.get());
            String err = Files.readString(errors);
            assertTrue(err.isBlank(), "the server wrote to stderr: " + err);
        } finally {
            stop.set(true);
            for (Socket s : clients) s.close();
            for (Thread t : talkers) t.join(30_000);
            server.destroyForcibly();
            server.waitFor(30, TimeUnit.SECONDS);
            Files.deleteIfExists(errors);
        }
    }

    private static void talk(Socket s, int id, AtomicBoolean stop, AtomicLong echoed, long want, CountDownLatch reached,
            AtomicReference<Throwable> wrong) {
        byte[] message = new byte[64];
        byte[] back = new byte[64];
        try {
            OutputStream o = s.getOutputStream();
            InputStream in = s.getInputStream();
            for (long n = 0; !stop.get(); n++) {
                for (int i = 0; i < message.length; i++) message[i] = (byte) (id * 31 + n + i);
                o.write(message);
                int got = 0;
                while (got < back.length) {
                    int r = in.read(back, got, back.length - got);
                    if (r < 0) return; // the server closed: expected once it was signalled
                    got += r;
                }
                if (!java.util.Arrays.equals(message, back)) {
                    wrong.compareAndSet(null, new AssertionError("echo of message " + n + " on client " + id + " differs"));
                    return;
                }
                if (echoed.incrementAndGet() == want) reached.countDown();
            }
        } catch (IOException e) {
            // Reset or closed while the server shuts down, or by the finally block above.
        }
    }

    private static String jstack(long pid) {
        Path jstack = Path.of(ProcessHandle.current().info().command().orElseThrow()).resolveSibling("jstack");
        try {
            Process p = new ProcessBuilder(jstack.toString(), Long.toString(pid)).redirectErrorStream(true).start();
            String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor(30, TimeUnit.SECONDS);
            return text;
        } catch (IOException | InterruptedException e) {
            return "(jstack failed: " + e + ")";
        }
    }
}
