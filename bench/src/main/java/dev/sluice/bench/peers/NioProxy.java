package dev.sluice.bench.peers;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.concurrent.CountDownLatch;

/**
 * TCP proxy on one JDK {@link Selector} thread: the plain-JDK copying baseline of the proxy
 * benchmark ({@code bench/proxy-bench.sh}).
 *
 * <p>Each accepted connection gets a non-blocking connect to the target; each direction copies
 * through one direct buffer ({@code BUFFER_BYTES}, default 256 KiB like socat's {@code -b} in the
 * same benchmark), read while it has room and written while it holds bytes, without compacting
 * (reads start again at the front once it is empty). A direction whose source reached EOF passes
 * it on as shutdownOutput after its last byte; when both have, the pair is closed. An error on
 * either side closes both. Memory is bounded: two buffers per connection.
 *
 * <p>Usage: {@code NioProxy PORT HOST:PORT [BUFFER_BYTES]}
 */
public final class NioProxy {
    static final int BACKLOG = 4096;

    /** One direction: bytes [readAt, writeAt) of {@code buffer} are held, read from {@code from}, not yet written to {@code to}. */
    static final class Direction {
        final SocketChannel from;
        final SocketChannel to;
        final ByteBuffer buffer;
        int readAt;
        int writeAt;
        boolean eof;
        boolean shut;

        Direction(SocketChannel from, SocketChannel to, int bytes) {
            this.from = from;
            this.to = to;
            this.buffer = ByteBuffer.allocateDirect(bytes);
        }

        boolean canRead() {
            return !eof && writeAt < buffer.capacity();
        }

        boolean holds() {
            return readAt < writeAt;
        }

        /** Reads while there is room and writes while there are bytes, until neither moves. */
        void pump() throws IOException {
            boolean moved = true;
            while (moved) {
                moved = false;
                if (canRead()) {
                    buffer.limit(buffer.capacity()).position(writeAt);
                    int n = from.read(buffer);
                    if (n < 0) eof = true;
                    else if (n > 0) {
                        writeAt += n;
                        moved = true;
                    }
                }
                if (holds()) {
                    buffer.limit(writeAt).position(readAt);
                    int n = to.write(buffer);
                    if (n > 0) {
                        readAt += n;
                        moved = true;
                    }
                    if (readAt == writeAt) readAt = writeAt = 0;
                }
            }
            if (eof && !holds() && !shut) {
                to.shutdownOutput();
                shut = true;
            }
        }
    }

    /** A client and its upstream connection. */
    static final class Pair {
        final SocketChannel client;
        final SocketChannel server;
        final Direction up;
        final Direction down;
        SelectionKey clientKey;
        SelectionKey serverKey;

        Pair(SocketChannel client, SocketChannel server, int bytes) {
            this.client = client;
            this.server = server;
            this.up = new Direction(client, server, bytes);
            this.down = new Direction(server, client, bytes);
        }

        void pumpAndArm() throws IOException {
            up.pump();
            down.pump();
            if (up.shut && down.shut) {
                close();
                return;
            }
            clientKey.interestOps((up.canRead() ? SelectionKey.OP_READ : 0) | (down.holds() ? SelectionKey.OP_WRITE : 0));
            serverKey.interestOps((down.canRead() ? SelectionKey.OP_READ : 0) | (up.holds() ? SelectionKey.OP_WRITE : 0));
        }

        void close() {
            for (SocketChannel ch : new SocketChannel[] {client, server}) {
                try {
                    ch.close();
                } catch (IOException ignored) {
                    // closing anyway
                }
            }
        }
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        String usage = "NioProxy [ADDR:]PORT HOST:PORT [BUFFER_BYTES]";
        // ADDR:PORT listens elsewhere than loopback (bench/proxy-bench.sh --netns).
        String bindHost = PeerArgs.HOST;
        if (args.length > 0 && args[0].lastIndexOf(':') >= 0) {
            bindHost = args[0].substring(0, args[0].lastIndexOf(':'));
            args = args.clone();
            args[0] = args[0].substring(args[0].lastIndexOf(':') + 1);
        }
        int port = PeerArgs.port(args, usage);
        if (args.length < 2 || args[1].lastIndexOf(':') < 0) {
            System.err.println("usage: " + usage);
            System.exit(2);
        }
        int colon = args[1].lastIndexOf(':');
        InetSocketAddress target = new InetSocketAddress(args[1].substring(0, colon), Integer.parseInt(args[1].substring(colon + 1)));
        int bytes = args.length > 2 ? Integer.parseInt(args[2]) : 256 * 1024;
        if (bytes < 1024 || bytes > 64 << 20) {
            System.err.println("BUFFER_BYTES must be 1 KiB to 64 MiB, got " + bytes);
            System.exit(2);
        }
        Selector selector = Selector.open();
        ServerSocketChannel listener = ServerSocketChannel.open();
        listener.setOption(StandardSocketOptions.SO_REUSEADDR, true);
        listener.bind(new InetSocketAddress(bindHost, port), BACKLOG);
        listener.configureBlocking(false);
        listener.register(selector, SelectionKey.OP_ACCEPT);

        CountDownLatch stopped = new CountDownLatch(1);
        Thread loop = Thread.ofPlatform().name("nio-proxy").unstarted(() -> {
            try {
                run(selector, listener, target, bytes);
            } catch (ClosedSelectorException e) {
                // the shutdown hook closed the selector
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            } finally {
                stopped.countDown();
            }
        });
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                selector.wakeup();
                loop.interrupt();
                selector.close();
                stopped.await();
                listener.close();
            } catch (IOException | InterruptedException ignored) {
                // exiting anyway
            }
        }));
        loop.start();
        PeerArgs.exitZeroOnTermination();
        PeerArgs.announce(port);
        loop.join();
    }

    private static void run(Selector selector, ServerSocketChannel listener, InetSocketAddress target, int bytes) throws IOException {
        while (!Thread.currentThread().isInterrupted()) {
            selector.select();
            var keys = selector.selectedKeys();
            for (var it = keys.iterator(); it.hasNext(); ) {
                SelectionKey key = it.next();
                it.remove();
                if (!key.isValid()) continue;
                if (key.isAcceptable()) {
                    accept(selector, listener, target, bytes);
                    continue;
                }
                Pair pair = (Pair) key.attachment();
                try {
                    if (key.isConnectable() && !pair.server.finishConnect()) continue;
                    pair.pumpAndArm();
                } catch (IOException e) {
                    pair.close(); // refused, reset, broken pipe: the pair is done
                }
            }
        }
    }

    private static void accept(Selector selector, ServerSocketChannel listener, InetSocketAddress target, int bytes) throws IOException {
        for (int i = 0; i < 64; i++) {
            SocketChannel client = listener.accept();
            if (client == null) return;
            client.configureBlocking(false);
            SocketChannel server = SocketChannel.open();
            server.configureBlocking(false);
            Pair pair = new Pair(client, server, bytes);
            pair.clientKey = client.register(selector, 0, pair);
            boolean connected = server.connect(target);
            pair.serverKey = server.register(selector, connected ? 0 : SelectionKey.OP_CONNECT, pair);
            if (connected) pair.pumpAndArm();
        }
    }
}
