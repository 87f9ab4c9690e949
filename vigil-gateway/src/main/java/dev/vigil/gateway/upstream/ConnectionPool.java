package dev.vigil.gateway.upstream;

import dev.vigil.gateway.Ticker;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;

import java.util.ArrayDeque;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Keep-alive connections to one endpoint, with a cap on open connections.
 *
 * <p>Idle connections are kept per event loop so that a client connection only ever leases an upstream connection
 * that lives on its own event loop (as in Netty's proxy example: no cross-thread hand-off on the hot path). Idle
 * connections are reused most-recently-released first, since the oldest ones are the likeliest to have been closed
 * by the upstream; one older than the idle timeout is closed instead of reused.
 */
public final class ConnectionPool {
    /** Raised when the endpoint already has {@code maxConnections} open connections. */
    public static final class ExhaustedException extends Exception {
        ExhaustedException(String message) {
            super(message, null, false, false);
        }
    }

    private static final int MAX_RESPONSE_HEADER_BYTES = 64 * 1024;
    private static final int MAX_CHUNK_BYTES = 64 * 1024;

    private final UpstreamEndpoint endpoint;
    private final int maxConnections;
    private final long idleTimeoutNanos;
    private final Ticker ticker;
    private final AtomicInteger open = new AtomicInteger();
    private final ConcurrentHashMap<EventLoop, ArrayDeque<UpstreamConnection>> idle = new ConcurrentHashMap<>();
    private volatile boolean closed;

    ConnectionPool(UpstreamEndpoint endpoint, int maxConnections, long idleTimeoutNanos, Ticker ticker) {
        this.endpoint = endpoint;
        this.maxConnections = maxConnections;
        this.idleTimeoutNanos = idleTimeoutNanos;
        this.ticker = ticker;
    }

    /** Open connections (idle and leased). */
    public int open() { return open.get(); }

    /**
     * Leases a connection on {@code loop}: a pooled one if {@code allowPooled} and one is idle, else a new one.
     * Must be called on {@code loop}.
     */
    public Future<UpstreamConnection> acquire(EventLoop loop, UpstreamConnection.Listener listener,
                                              int connectTimeoutMillis, boolean allowPooled) {
        Promise<UpstreamConnection> promise = loop.newPromise();
        if (allowPooled) {
            ArrayDeque<UpstreamConnection> q = idle.get(loop);
            if (q != null) {
                long now = ticker.nanoTime();
                UpstreamConnection c;
                while ((c = q.pollFirst()) != null) {
                    long idle = now - c.idleSinceNanos;
                    if (c.channel().isActive() && idle < idleTimeoutNanos && idle < c.upstreamIdleLimitNanos) {
                        c.lease(listener, true);
                        return promise.setSuccess(c);
                    }
                    c.channel().close();
                }
            }
        }
        if (open.incrementAndGet() > maxConnections) {
            open.decrementAndGet();
            return promise.setFailure(new ExhaustedException(endpoint + " has " + maxConnections + " connections open (max-connections)"));
        }
        UpstreamConnection conn = new UpstreamConnection(endpoint);
        ChannelFuture cf = new Bootstrap()
                .group(loop)
                .channel(Transport.socketChannel())
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, connectTimeoutMillis)
                .option(ChannelOption.AUTO_READ, false)
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(new ChannelInitializer<Channel>() {
                    @Override protected void initChannel(Channel ch) {
                        HttpDecoderConfig dc = new HttpDecoderConfig()
                                .setMaxHeaderSize(MAX_RESPONSE_HEADER_BYTES)
                                .setMaxChunkSize(MAX_CHUNK_BYTES);
                        ch.pipeline().addLast("codec", new HttpClientCodec(dc, false, false));
                        ch.pipeline().addLast("flow", conn.flow);
                        ch.pipeline().addLast("connection", conn);
                    }
                })
                .connect(endpoint.socketAddress());
        cf.channel().closeFuture().addListener(f -> open.decrementAndGet());
        cf.addListener(f -> {
            if (f.isSuccess()) {
                conn.lease(listener, false);
                promise.setSuccess(conn);
            } else {
                promise.setFailure(f.cause());
            }
        });
        return promise;
    }

    void release(UpstreamConnection c, boolean reusable) {
        Channel ch = c.channel();
        if (!reusable || closed || !ch.isActive()) {
            ch.close();
            return;
        }
        c.idleSinceNanos = ticker.nanoTime();
        idle.computeIfAbsent(ch.eventLoop(), l -> new ArrayDeque<>()).addFirst(c);
        ch.read(); // a pending read while idle: an upstream close arrives as channelInactive and removes it
    }

    void closed(UpstreamConnection c) {
        ArrayDeque<UpstreamConnection> q = idle.get(c.channel().eventLoop());
        if (q != null) q.remove(c); // on the connection's own event loop, like every other access to q
    }

    /** Closes idle connections now and leased ones when they are released (a reload dropped this endpoint). */
    public void close() {
        closed = true;
        idle.forEach((loop, q) -> loop.execute(() -> {
            UpstreamConnection c;
            while ((c = q.pollFirst()) != null) c.channel().close();
        }));
    }
}
