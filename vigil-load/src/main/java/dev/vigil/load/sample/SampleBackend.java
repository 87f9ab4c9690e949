package dev.vigil.load.sample;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpMessage;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * A small, realistic HTTP API to practise load tests on: a gamification service kept in memory.
 *
 * <pre>
 * POST /missions            {"title": "...", "points": 10}  -> 201 {"id", "title", "points", "createdAt"}
 * GET  /missions/{id}                                       -> 200 | 404
 * POST /users/{id}/points   {"points": 5}                   -> 200 {"userId", "awarded", "points", "writes"}
 * GET  /users/{id}                                          -> 200 {"id", "points", "writes", "duplicateWrites"} | 404
 * GET  /leaderboard                                         -> 200 {"leaders": [{"rank", "userId", "points"}], "totalUsers"}
 * GET  /healthz                                             -> 200 {"status": "ok"}
 * </pre>
 *
 * Refusals are RFC 9457 {@code application/problem+json}: 400 (bad JSON or fields), 404, 405 with {@code Allow},
 * 413 (body above {@link SampleBackendConfig#maxBodyBytes()}), 415, 422 (an Idempotency-Key reused for a different
 * award). Every API request takes a service time drawn from {@link SampleBackendConfig#serviceTime()} and may
 * fail with an injected 500/503 at {@link SampleBackendConfig#errorRate()}; {@code /healthz} does neither.
 *
 * <p>Thread-safe; {@link #close()} stops it and waits for its threads.
 */
public final class SampleBackend implements AutoCloseable {
    /** Missions and idempotency keys kept before the oldest are forgotten, so long runs keep a flat heap. */
    static final int MAX_MISSIONS = 1_000_000;
    static final int MAX_IDEMPOTENCY_KEYS = 1_000_000;

    private final SampleBackendConfig config;
    private final EventLoopGroup group;
    private final Channel server;
    private final InetSocketAddress address;

    private SampleBackend(SampleBackendConfig config, EventLoopGroup group, Channel server) {
        this.config = config;
        this.group = group;
        this.server = server;
        this.address = (InetSocketAddress) server.localAddress();
    }

    /**
     * Binds and starts serving; returns once the port accepts connections.
     *
     * @throws IOException when the address cannot be bound (port in use, unknown host)
     */
    public static SampleBackend start(SampleBackendConfig config) throws IOException {
        ObjectMapper json = JsonMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();
        GamificationStore store = new GamificationStore(config.clock(), MAX_MISSIONS, MAX_IDEMPOTENCY_KEYS);
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(config.eventLoopThreads(), NioIoHandler.newFactory());
        try {
            Channel server = new ServerBootstrap()
                    .group(group)
                    .channel(NioServerSocketChannel.class)
                    .option(ChannelOption.SO_BACKLOG, 1024)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            ch.pipeline()
                                    .addLast("http", new HttpServerCodec())
                                    .addLast("body-limit", new BodyLimit(config.maxBodyBytes()))
                                    .addLast("api", new SampleHandler(config, store, json));
                        }
                    })
                    .bind(config.host(), config.port())
                    .sync()
                    .channel();
            return new SampleBackend(config, group, server);
        } catch (InterruptedException e) {
            group.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while binding " + config.host() + ":" + config.port(), e);
        } catch (Exception e) {
            group.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            // bind() rethrows java.net.BindException and friends unchecked-style; give one clear message.
            throw new IOException("cannot listen on " + config.host() + ":" + config.port() + ": " + e.getMessage(), e);
        }
    }

    /** The bound port (the real one when the config asked for port 0). */
    public int port() {
        return address.getPort();
    }

    public InetSocketAddress address() {
        return address;
    }

    /** {@code http://host:port}, ready to prefix a route. */
    public URI baseUri() {
        String host = address.getAddress().getHostAddress();
        return URI.create("http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port());
    }

    public SampleBackendConfig config() {
        return config;
    }

    /** Stops accepting, closes connections and waits (up to a few seconds) for the event loops to end. */
    @Override
    public void close() {
        server.close().awaitUninterruptibly();
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
    }

    /** Aggregates bodies up to the limit; above it answers 413 as problem+json instead of Netty's empty 413. */
    private static final class BodyLimit extends HttpObjectAggregator {
        private final int maxBodyBytes;

        BodyLimit(int maxBodyBytes) {
            super(maxBodyBytes);
            this.maxBodyBytes = maxBodyBytes;
        }

        @Override
        protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) throws Exception {
            if (!(oversized instanceof HttpRequest req)) {
                super.handleOversizedMessage(ctx, oversized);
                return;
            }
            byte[] body = ("{\"type\":\"about:blank\",\"title\":\"Request Entity Too Large\",\"status\":413,"
                    + "\"detail\":\"request body exceeds " + maxBodyBytes + " bytes\"}")
                    .getBytes(StandardCharsets.UTF_8);
            FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                    HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, Unpooled.wrappedBuffer(body));
            res.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/problem+json");
            res.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
            // Like Netty's own handling: keep a keep-alive connection (the rest of the body is discarded),
            // close when the whole oversized message was already read or the client asked to close.
            boolean close = oversized instanceof FullHttpMessage || !HttpUtil.isKeepAlive(req);
            var f = ctx.writeAndFlush(res);
            if (close) {
                f.addListener(ChannelFutureListener.CLOSE);
            }
        }
    }
}
