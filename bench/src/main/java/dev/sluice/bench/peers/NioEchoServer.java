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
 * Echo server on one JDK {@link Selector} thread: the plain-JDK readiness peer.
 *
 * <p>Bytes are read into one shared direct buffer and written straight back. Whatever the socket
 * does not take moves into a per-connection direct buffer, and the key switches from OP_READ to
 * OP_WRITE until it drains, so a client that stops reading costs at most one read
 * ({@link #READ_BYTES}) of memory. Idle connections hold no buffer.
 *
 * <p>Usage: {@code NioEchoServer PORT}
 */
public final class NioEchoServer {
    static final int READ_BYTES = 64 * 1024;
    static final int BACKLOG = 4096;

    public static void main(String[] args) throws IOException, InterruptedException {
        int port = PeerArgs.port(args, "NioEchoServer PORT");
        Selector selector = Selector.open();
        ServerSocketChannel server = ServerSocketChannel.open();
        server.setOption(StandardSocketOptions.SO_REUSEADDR, true);
        server.bind(new InetSocketAddress(PeerArgs.HOST, port), BACKLOG);
        server.configureBlocking(false);
        server.register(selector, SelectionKey.OP_ACCEPT);

        CountDownLatch stopped = new CountDownLatch(1);
        Thread loop = Thread.ofPlatform().name("nio-echo").unstarted(() -> {
            try {
                run(selector, server);
            } catch (ClosedSelectorException e) {
                // shutdown hook closed the selector
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
                selector.close();   // Selector.close waits for a select in progress to return
                stopped.await();
                server.close();
            } catch (IOException | InterruptedException ignored) {
                // exiting anyway
            }
        }));
        loop.start();
        PeerArgs.exitZeroOnTermination();
        PeerArgs.announce(port);
        loop.join();
    }

    private static void run(Selector selector, ServerSocketChannel server) throws IOException {
        ByteBuffer readBuf = ByteBuffer.allocateDirect(READ_BYTES);
        while (!Thread.currentThread().isInterrupted()) {
            selector.select();
            var keys = selector.selectedKeys();
            for (var it = keys.iterator(); it.hasNext(); ) {
                SelectionKey key = it.next();
                it.remove();
                if (!key.isValid()) continue;
                if (key.isAcceptable()) accept(selector, server);
                else if (key.isWritable()) writePending(key);
                else if (key.isReadable()) readAndEcho(key, readBuf);
            }
        }
    }

    private static void accept(Selector selector, ServerSocketChannel server) throws IOException {
        for (int i = 0; i < 64; i++) {
            SocketChannel ch = server.accept();
            if (ch == null) return;
            ch.configureBlocking(false);
            ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
            ch.register(selector, SelectionKey.OP_READ);
        }
    }

    private static void readAndEcho(SelectionKey key, ByteBuffer buf) {
        SocketChannel ch = (SocketChannel) key.channel();
        try {
            buf.clear();
            int n = ch.read(buf);
            if (n < 0) {
                close(key);
                return;
            }
            if (n == 0) return;
            buf.flip();
            ch.write(buf);
            if (!buf.hasRemaining()) return;
            // Short write: keep the rest (a copy, the read buffer is shared) and wait for OP_WRITE.
            ByteBuffer pending = ByteBuffer.allocateDirect(buf.remaining());
            pending.put(buf).flip();
            key.attach(pending);
            key.interestOps(SelectionKey.OP_WRITE);
        } catch (IOException e) {
            close(key);     // reset by peer and the like: the connection is gone
        }
    }

    private static void writePending(SelectionKey key) {
        SocketChannel ch = (SocketChannel) key.channel();
        ByteBuffer pending = (ByteBuffer) key.attachment();
        try {
            ch.write(pending);
            if (pending.hasRemaining()) return;
            key.attach(null);
            key.interestOps(SelectionKey.OP_READ);
        } catch (IOException e) {
            close(key);
        }
    }

    private static void close(SelectionKey key) {
        key.cancel();
        try {
            key.channel().close();
        } catch (IOException ignored) {
            // already broken
        }
    }
}
