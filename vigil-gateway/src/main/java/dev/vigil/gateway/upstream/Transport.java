package dev.vigil.gateway.upstream;

import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;

/**
 * The I/O transport: Netty's native epoll on Linux when it loads, Java NIO otherwise (or with
 * {@code -Dvigil.transport=nio}). Every event loop group and channel of one gateway uses the same transport,
 * because a channel can only be registered with an event loop of its own kind — upstream connections live on the
 * client connection's event loop.
 */
public final class Transport {
    private static final boolean EPOLL = !"nio".equals(System.getProperty("vigil.transport")) && Epoll.isAvailable();
    private static final ByteBufAllocator ALLOCATOR = System.getProperty("io.netty.allocator.type") == null
            ? PooledByteBufAllocator.DEFAULT : ByteBufAllocator.DEFAULT;

    private Transport() {}

    public static String name() { return EPOLL ? "epoll" : "nio"; }

    /**
     * The buffer allocator of every gateway channel: Netty's pooled allocator with per-thread caches, unless
     * {@code -Dio.netty.allocator.type} names one (then Netty's default, which honours it). Netty 4.2's default,
     * the adaptive allocator, is built for buffers that move between many threads; here a buffer is allocated and
     * freed on the event loop that owns both ends of an exchange, which the pooled allocator's thread caches serve
     * without a shared queue. Measured in BENCHMARKS.md (gateway section, session 3): more requests per second at
     * saturation and less CPU per request than with the adaptive allocator.
     */
    public static ByteBufAllocator allocator() {
        return ALLOCATOR;
    }

    public static IoHandlerFactory ioHandler() {
        return EPOLL ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
    }

    public static Class<? extends SocketChannel> socketChannel() {
        return EPOLL ? EpollSocketChannel.class : NioSocketChannel.class;
    }

    public static Class<? extends ServerSocketChannel> serverChannel() {
        return EPOLL ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    }
}
