package dev.sluice.bench.peers;

/** Command-line handling shared by the peer echo servers: PORT first, validated once, up front. */
final class PeerArgs {
    static final String HOST = "127.0.0.1";

    private PeerArgs() {}

    static int port(String[] args, String usage) {
        if (args.length < 1) {
            System.err.println("usage: " + usage);
            System.exit(2);
        }
        int port;
        try {
            port = Integer.parseInt(args[0]);
        } catch (NumberFormatException e) {
            port = -1;
        }
        if (port < 1 || port > 65535) {
            System.err.println("bad port '" + args[0] + "': must be 1..65535; usage: " + usage);
            System.exit(2);
        }
        return port;
    }

    /**
     * Makes SIGTERM and SIGINT exit with status 0 after the shutdown hooks ran. Without this the JVM
     * runs the hooks but exits 143/130 (128 + signal), which a harness cannot tell from a crash.
     * sun.misc.Signal (module jdk.unsupported) is the only JDK API for this.
     */
    @SuppressWarnings("removal")
    static void exitZeroOnTermination() {
        for (String name : new String[] {"TERM", "INT"}) {
            sun.misc.Signal.handle(new sun.misc.Signal(name), sig -> System.exit(0));
        }
    }

    /** The one line the harness waits for before it starts the load generator. */
    static void announce(int port) {
        System.out.println("listening on " + HOST + ":" + port);
        System.out.flush();
    }
}
