package dev.vigil.bench;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.util.ReferenceCountUtil;
import dev.vigil.gateway.upstream.Transport;

import java.net.InetAddress;

/**
 * The ceiling for any Netty proxy on a given machine: a TCP byte pump that gives every client connection its own
 * upstream connection and copies bytes both ways, with no HTTP parsing, routing, limits or telemetry at all — the
 * least work a proxy built on Netty's transport can do per request. {@code bench/gateway-vs-peers.sh} runs it beside
 * {@code vigil gateway}, so "vigil / pump" says how much of the gap to nginx is Vigil's own work and how much is the
 * transport and the JVM.
 *
 * <pre>java -cp bench/target/benchmarks.jar dev.vigil.bench.NettyBytePump LISTEN_PORT UPSTREAM_PORT [THREADS]</pre>
 *
 * Loopback only: it listens on 127.0.0.1 and connects to 127.0.0.1. Not a proxy to use: no back-pressure beyond the
 * socket buffers and no timeouts.
 */
public final class NettyBytePump {
    private NettyBytePump() {}

    public static void main(String[] args) throws InterruptedException {
        if (args.length < 2) {
            System.err.println("usage: NettyBytePump LISTEN_PORT UPSTREAM_PORT [THREADS]");
            System.exit(2);
        }
        int port = Integer.parseInt(args[0]);
        int upstreamPort = Integer.parseInt(args[1]);
        int threads = args.length > 2 ? Integer.parseInt(args[2]) : Runtime.getRuntime().availableProcessors();
        InetAddress loopback = InetAddress.getLoopbackAddress();
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(threads, Transport.ioHandler());
        Channel server = new ServerBootstrap().group(group).channel(Transport.serverChannel())
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.ALLOCATOR, Transport.allocator()) // the gateway's, so the ceiling is like for like
                .childOption(ChannelOption.AUTO_READ, false) // read only once the upstream connection is there
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new ClientSide(loopback, upstreamPort));
                    }
                })
                .bind(loopback, port).sync().channel();
        System.out.println("netty byte pump: 127.0.0.1:" + port + " -> 127.0.0.1:" + upstreamPort + ", "
                + threads + " thread(s), " + Transport.name());
        server.closeFuture().sync();
    }

    /** Copies client bytes to the upstream; flushes once per socket read, so a request leaves in one write. */
    private static final class ClientSide extends ChannelInboundHandlerAdapter {
        private final InetAddress host;
        private final int port;
        private Channel upstream;

        ClientSide(InetAddress host, int port) {
            this.host = host;
            this.port = port;
        }

        @Override public void channelActive(ChannelHandlerContext ctx) {
            Channel client = ctx.channel();
            new Bootstrap().group(client.eventLoop()).channel(Transport.socketChannel())
                    .option(ChannelOption.TCP_NODELAY, true)
                    .option(ChannelOption.ALLOCATOR, Transport.allocator())
                    .handler(new UpstreamSide(client))
                    .connect(host, port)
                    .addListener((ChannelFutureListener) f -> {
                        if (!f.isSuccess()) {
                            client.close();
                            return;
                        }
                        upstream = f.channel();
                        client.config().setAutoRead(true);
                    });
        }

        @Override public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (upstream == null) {
                ReferenceCountUtil.release(msg);
                ctx.close();
                return;
            }
            upstream.write(msg, upstream.voidPromise());
        }

        @Override public void channelReadComplete(ChannelHandlerContext ctx) {
            if (upstream != null) upstream.flush();
        }

        @Override public void channelInactive(ChannelHandlerContext ctx) {
            if (upstream != null) upstream.close();
        }

        @Override public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    /** Copies upstream bytes back to the client. */
    private static final class UpstreamSide extends ChannelInboundHandlerAdapter {
        private final Channel client;

        UpstreamSide(Channel client) {
            this.client = client;
        }

        @Override public void channelRead(ChannelHandlerContext ctx, Object msg) {
            client.write(msg, client.voidPromise());
        }

        @Override public void channelReadComplete(ChannelHandlerContext ctx) {
            client.flush();
        }

        @Override public void channelInactive(ChannelHandlerContext ctx) {
            client.close();
        }

        @Override public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
