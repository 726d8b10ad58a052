package dev.sluice.cli;

import dev.sluice.Address;
import dev.sluice.Backends;
import dev.sluice.Completion;
import dev.sluice.IPv4Address;
import dev.sluice.Ring;
import dev.sluice.RingConfig;
import dev.sluice.Server;
import dev.sluice.Socket;
import java.io.PrintStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** The Sluice command line: {@code demo}, {@code echo}, {@code backends}. */
public final class Main {
    private static final PrintStream OUT = System.out;

    private Main() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            usage();
            System.exit(2);
        }
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        switch (args[0]) {
            case "demo" -> demo(rest);
            case "echo" -> echo(rest);
            case "proxy" -> proxy(rest);
            case "backends" -> backends();
            default -> {
                usage();
                System.exit(2);
            }
        }
    }

    private static void usage() {
        System.err.println("""
                usage: sluice COMMAND [ARGS]
                  demo [BACKEND]          start an echo server and a client, do one round trip, print what happened
                  echo PORT [BACKEND [multishot]]
                                          echo server on 127.0.0.1:PORT, one ring on one thread, until SIGTERM;
                                          multishot: one multishot receive per connection into a shared buffer pool
                """ + ProxyArgs.USAGE.indent(2) + """
                  backends                list the backends on this machine and whether they can run
                BACKEND is io_uring or epoll; without it Sluice chooses.""");
    }

    private static RingConfig config(String[] args, int index) {
        return args.length > index ? RingConfig.DEFAULT.withBackend(args[index]) : RingConfig.DEFAULT;
    }

    private static void backends() {
        for (Backends.Status s : Backends.list()) {
            OUT.printf("%-9s priority %3d  %s  %s%n", s.name(), s.priority(), s.available() ? "available  " : "unavailable", s.reason());
        }
    }

    /** One ring, one thread: an echo server and a client doing a round trip through it. */
    private static void demo(String[] args) throws Exception {
        try (Ring ring = Ring.open(config(args, 0)); Arena arena = Arena.ofConfined()) {
            OUT.println("backend: " + ring.backend().name() + " (" + ring.backend().reason() + ")");
            Socket listener = ring.listen(IPv4Address.LOOPBACK, 128);
            Address address = listener.localAddress();
            OUT.println("echo server listening on " + address);

            // Server side: accept one connection and echo it.
            ring.accept(listener, new Completion(), c -> {
                OUT.println("server: accepted a connection from " + peer(c.accepted()));
                Echo.start(ring, c.accepted());
            });

            // Client side: connect, send, read the echo back.
            byte[] message = "hello from Sluice".getBytes(StandardCharsets.UTF_8);
            MemorySegment out = arena.allocate(message.length);
            out.copyFrom(MemorySegment.ofArray(message));
            MemorySegment in = arena.allocate(message.length);
            Socket client = ring.openTcp(address.family());
            String[] echoed = new String[1];
            Completion cc = new Completion();
            long start = System.nanoTime();
            ring.connect(client, address, cc, c -> {
                check(c);
                OUT.println("client: connected to " + address);
                ring.send(client, out, c, s -> {
                    check(s);
                    OUT.println("client: sent " + s.result() + " bytes: \"" + new String(message, StandardCharsets.UTF_8) + "\"");
                    readAll(ring, client, in, 0, echoed);
                });
            });
            if (!ring.runUntil(() -> echoed[0] != null, TimeUnit.SECONDS.toNanos(10))) {
                throw new IllegalStateException("no echo within 10 s");
            }
            long micros = (System.nanoTime() - start) / 1000;
            OUT.println("client: received the echo \"" + echoed[0] + "\" (round trip " + micros + " µs)");
            if (!echoed[0].equals(new String(message, StandardCharsets.UTF_8))) throw new IllegalStateException("echo differs");
            client.close();
            listener.close();
        }
        OUT.println("demo OK: ring closed, every socket closed");
    }

    private static void readAll(Ring ring, Socket client, MemorySegment in, int have, String[] echoed) {
        ring.recv(client, in.asSlice(have), new Completion(), r -> {
            check(r);
            if (r.result() == 0) throw new IllegalStateException("server closed before echoing everything");
            int now = have + r.result();
            if (now < in.byteSize()) readAll(ring, client, in, now, echoed);
            else echoed[0] = new String(in.toArray(java.lang.foreign.ValueLayout.JAVA_BYTE), StandardCharsets.UTF_8);
        });
    }

    private static void check(Completion c) {
        if (!c.ok()) throw new IllegalStateException(c.exception());
    }

    private static String peer(Socket s) {
        try {
            return s.peerAddress().toString();
        } catch (Exception e) {
            return "(unknown: " + e.getMessage() + ")";
        }
    }

    /**
     * SIGTERM and SIGINT exit with status 0 once the shutdown hooks have closed the server; the JVM
     * alone would exit with 143/130 (128 + signal), which a benchmark harness cannot tell from a
     * crash. sun.misc.Signal (module jdk.unsupported) is the only JDK API for this.
     */
    @SuppressWarnings("removal")
    private static void exitZeroOnTermination() {
        for (String name : new String[] {"TERM", "INT"}) {
            sun.misc.Signal.handle(new sun.misc.Signal(name), sig -> System.exit(0));
        }
    }

    /** A TCP proxy built on join, one ring per core (or --rings), in the foreground, until SIGTERM. */
    private static void proxy(String[] args) throws Exception {
        ProxyArgs p;
        try {
            p = ProxyArgs.parse(args, Runtime.getRuntime().availableProcessors());
        } catch (IllegalArgumentException e) {
            System.err.println("sluice proxy: " + e.getMessage());
            usage();
            System.exit(2);
            return;
        }
        // PORT, or ADDRESS:PORT to listen elsewhere than loopback (bench/proxy-bench.sh --netns).
        int at = p.listen().lastIndexOf(':');
        int port = Integer.parseInt(p.listen().substring(at + 1));
        Address listen = at < 0 ? IPv4Address.LOOPBACK.withPort(port)
                : dev.sluice.Names.resolve(p.listen().substring(0, at), p.listen().substring(at + 1)).get(0);
        int colon = p.target().lastIndexOf(':');
        if (colon < 0) throw new IllegalArgumentException("target must be HOST:PORT, got " + p.target());
        String host = p.target().substring(0, colon).replace("[", "").replace("]", "");
        Address target = dev.sluice.Names.resolve(host, p.target().substring(colon + 1)).get(0);
        RingConfig config = p.backend() != null ? RingConfig.DEFAULT.withBackend(p.backend()) : RingConfig.DEFAULT;
        dev.sluice.Proxy proxy = dev.sluice.Proxy.start(listen, target, p.rings(), config, p.options(), p.connectTimeoutNanos());
        int rings = p.rings();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            proxy.close();
            stopped.countDown();
        }, "sluice-shutdown"));
        exitZeroOnTermination();
        OUT.println("sluice proxy listening on " + proxy.address() + " to " + target + " with " + rings + " rings, backend "
                + proxy.rings().get(0).backend().name() + ", " + describe(p.options()));
        OUT.flush();
        stopped.await();
    }

    private static String describe(dev.sluice.Join.Options o) {
        String moving = o.zeroCopy() ? "splice through " + (o.pipeBytes() % 1024 == 0 ? o.pipeBytes() / 1024 + " KiB" : o.pipeBytes() + " B")
                + " pipes (copy where splice cannot work)"
                : "copy through " + o.bufferBytes() + " B buffers";
        return moving + (o.idleTimeoutNanos() > 0 ? ", idle timeout " + o.idleTimeoutNanos() / 1e9 + " s" : "");
    }

    /** The echo server the benchmarks drive: one ring on one thread, in the foreground, until SIGTERM. */
    private static void echo(String[] args) throws Exception {
        if (args.length < 1) {
            usage();
            System.exit(2);
        }
        int port = Integer.parseInt(args[0]);
        // Every connection keeps one receive in flight, and an accept waits behind in-flight
        // operations once inflightMax is reached: with the default (4096) the 4097th connection
        // would never be accepted. The echo server takes the largest limit instead.
        RingConfig config = config(args, 1).withInflightMax(RingConfig.INFLIGHT_MAX);
        boolean multishot = args.length > 2 && args[2].equals("multishot");
        if (args.length > 2 && !multishot) throw new IllegalArgumentException("the third argument of echo can only be 'multishot', got " + args[2]);
        Server server = Server.start(IPv4Address.LOOPBACK.withPort(port), 1, config, multishot ? MultishotEcho::start : Echo::start);
        // The pool is a fixed cost (POOL_BUFFERS × BUFFER_BYTES): pay it before listening, not at the first connection.
        if (multishot) for (Ring r : server.rings()) MultishotEcho.openPool(r);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "sluice-shutdown"));
        exitZeroOnTermination();
        OUT.println("sluice echo listening on " + server.address() + " backend " + server.rings().get(0).backend().name()
                + (multishot ? " (multishot receive into a buffer pool)" : ""));
        OUT.flush();
        stopped.await();
    }
}
