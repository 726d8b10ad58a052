package dev.sluice.bench.peers;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;

/**
 * Echo server with blocking {@link ServerSocket}/{@link Socket} and one virtual thread per
 * connection: the "just write blocking code" peer. Blocking writes never lose bytes, so no
 * pending-write logic is needed.
 *
 * <p>Usage: {@code VirtualThreadEchoServer PORT}
 */
public final class VirtualThreadEchoServer {
    static final int READ_BYTES = 16 * 1024;
    static final int BACKLOG = 4096;

    public static void main(String[] args) throws IOException {
        int port = PeerArgs.port(args, "VirtualThreadEchoServer PORT");
        ServerSocket server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(new InetSocketAddress(PeerArgs.HOST, port), BACKLOG);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                server.close();
            } catch (IOException ignored) {
                // exiting anyway
            }
        }));
        PeerArgs.exitZeroOnTermination();
        PeerArgs.announce(port);
        var factory = Thread.ofVirtual().name("echo-", 0).factory();
        while (true) {
            Socket s;
            try {
                s = server.accept();
            } catch (SocketException e) {
                if (server.isClosed()) return;     // shutdown hook
                throw e;
            }
            s.setTcpNoDelay(true);
            factory.newThread(() -> echo(s)).start();
        }
    }

    private static void echo(Socket s) {
        byte[] buf = new byte[READ_BYTES];
        try (s; InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
            for (int n; (n = in.read(buf)) > 0; ) out.write(buf, 0, n);
        } catch (IOException e) {
            // reset by peer: the connection is gone
        }
    }
}
