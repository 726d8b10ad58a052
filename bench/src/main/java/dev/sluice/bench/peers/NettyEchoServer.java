package dev.sluice.bench.peers;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringServerSocketChannel;
import java.net.InetSocketAddress;

/**
 * Echo server on Netty 4.2 with one event loop thread (accept and I/O on the same thread, like the
 * C servers), pooled direct buffers, and a handler that writes each read back and flushes once per
 * read batch ({@code channelReadComplete}).
 *
 * <p>Usage: {@code NettyEchoServer PORT epoll|io_uring}
 */
public final class NettyEchoServer {
    static final String USAGE = "NettyEchoServer PORT epoll|io_uring";

    public static void main(String[] args) throws InterruptedException {
        int port = PeerArgs.port(args, USAGE);
        String transport = args.length > 1 ? args[1] : "";
        IoHandlerFactory ioHandler;
        Class<? extends ServerChannel> channelClass;
        switch (transport) {
            case "epoll" -> {
                Epoll.ensureAvailability();
                ioHandler = EpollIoHandler.newFactory();
                channelClass = EpollServerSocketChannel.class;
            }
            case "io_uring" -> {
                IoUring.ensureAvailability();
                ioHandler = IoUringIoHandler.newFactory();
                channelClass = IoUringServerSocketChannel.class;
            }
            default -> {
                System.err.println("transport must be epoll or io_uring, got '" + transport + "'; usage: " + USAGE);
                System.exit(2);
                return;
            }
        }
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, ioHandler);
        ChannelHandler echo = new EchoHandler();
        Channel server = new ServerBootstrap()
                .group(group)
                .channel(channelClass)
                .option(ChannelOption.SO_BACKLOG, 4096)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(echo);
                    }
                })
                .bind(new InetSocketAddress(PeerArgs.HOST, port))
                .sync()
                .channel();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close().syncUninterruptibly();
            group.shutdownGracefully(0, 2, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
        }));
        System.err.println("netty transport " + transport + " (" + channelClass.getSimpleName() + ")");
        PeerArgs.exitZeroOnTermination();
        PeerArgs.announce(port);
        server.closeFuture().sync();
    }

    /**
     * Writes every inbound buffer back unchanged; one flush per read batch. Stops reading while the
     * outbound buffer is above its high-water mark (a client that does not read), so memory stays
     * bounded like in the C servers. Stateless, so shared.
     */
    @ChannelHandler.Sharable
    static final class EchoHandler extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ctx.write(msg, ctx.voidPromise());
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
            if (!ctx.channel().isWritable()) ctx.channel().config().setAutoRead(false);
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            if (ctx.channel().isWritable()) ctx.channel().config().setAutoRead(true);
            ctx.fireChannelWritabilityChanged();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();        // reset by peer and the like
        }
    }

    private NettyEchoServer() {}

}
