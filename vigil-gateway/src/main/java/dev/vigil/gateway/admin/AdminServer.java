package dev.vigil.gateway.admin;

import dev.vigil.gateway.config.Listener;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.timeout.ReadTimeoutHandler;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * The admin plane, on its own port. {@code /healthz} and {@code /readyz} are open (load balancers probe them);
 * everything else needs {@code Authorization: Bearer <token>}. The admin plane can make the gateway re-read its own
 * file ({@code POST /admin/reload}); it never accepts configuration, routes or code in a request.
 */
public final class AdminServer implements AutoCloseable {
    private static final int MAX_REQUEST_BYTES = 8 * 1024;

    /** What the admin endpoints act on. */
    public interface Backend {
        /** The current bearer token (a reload may change it). */
        String token();

        boolean ready();

        byte[] metrics();

        String metricsContentType();

        Optional<byte[]> sloReportJson();

        /** Re-reads the gateway file; blocking. Returns the JSON result and whether it was applied. */
        ReloadOutcome reload();

        /**
         * Drops cached responses: for {@code host} and {@code path} when both are given, else everything in the
         * in-process cache. Returns false when no response cache is configured.
         */
        default boolean purgeCache(String host, String path) { return false; }
    }

    public record ReloadOutcome(boolean applied, String json) {}

    private final Channel channel;

    private AdminServer(Channel channel) {
        this.channel = channel;
    }

    public static AdminServer start(Listener listener, EventLoopGroup group, Backend backend, Executor blocking)
            throws InterruptedException {
        Channel ch = new ServerBootstrap().group(group).channel(dev.vigil.gateway.upstream.Transport.serverChannel())
                .childOption(ChannelOption.ALLOCATOR, dev.vigil.gateway.upstream.Transport.allocator())
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new ReadTimeoutHandler(30));
                        ch.pipeline().addLast(new HttpServerCodec());
                        ch.pipeline().addLast(new HttpObjectAggregator(MAX_REQUEST_BYTES));
                        ch.pipeline().addLast(new Handler(backend, blocking));
                    }
                })
                .bind(listener.address(), listener.port()).sync().channel();
        return new AdminServer(ch);
    }

    public InetSocketAddress address() {
        return (InetSocketAddress) channel.localAddress();
    }

    @Override public void close() {
        channel.close().syncUninterruptibly();
    }

    static final class Handler extends SimpleChannelInboundHandler<FullHttpRequest> {
        private final Backend backend;
        private final Executor blocking;

        Handler(Backend backend, Executor blocking) {
            this.backend = backend;
            this.blocking = blocking;
        }

        @Override protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
            boolean keepAlive = HttpUtil.isKeepAlive(req);
            if (!req.decoderResult().isSuccess()) {
                send(ctx, false, HttpResponseStatus.BAD_REQUEST, "text/plain", "bad request\n");
                return;
            }
            String path = req.uri();
            int q = path.indexOf('?');
            if (q >= 0) path = path.substring(0, q);
            HttpMethod m = req.method();
            switch (path) {
                case "/healthz" -> {
                    if (!isRead(m)) { methodNotAllowed(ctx, keepAlive, "GET"); return; }
                    send(ctx, keepAlive, HttpResponseStatus.OK, "text/plain", "ok\n");
                    return;
                }
                case "/readyz" -> {
                    if (!isRead(m)) { methodNotAllowed(ctx, keepAlive, "GET"); return; }
                    if (backend.ready()) send(ctx, keepAlive, HttpResponseStatus.OK, "text/plain", "ready\n");
                    else send(ctx, keepAlive, HttpResponseStatus.SERVICE_UNAVAILABLE, "text/plain", "draining\n");
                    return;
                }
                default -> { }
            }
            if (!authorized(req)) {
                FullHttpResponse r = response(HttpResponseStatus.UNAUTHORIZED, "text/plain", "bearer token required\n");
                r.headers().set(HttpHeaderNames.WWW_AUTHENTICATE, "Bearer realm=\"vigil-admin\"");
                write(ctx, keepAlive, r);
                return;
            }
            switch (path) {
                case "/metrics" -> {
                    if (!isRead(m)) { methodNotAllowed(ctx, keepAlive, "GET"); return; }
                    FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                            Unpooled.wrappedBuffer(backend.metrics()));
                    r.headers().set(HttpHeaderNames.CONTENT_TYPE, backend.metricsContentType());
                    write(ctx, keepAlive, r);
                }
                case "/api/slo" -> {
                    if (!isRead(m)) { methodNotAllowed(ctx, keepAlive, "GET"); return; }
                    // Evaluating every objective takes a while: off the admin event loop, which also runs health checks.
                    CompletableFuture.supplyAsync(backend::sloReportJson, blocking).whenComplete((report, err) ->
                            ctx.executor().execute(() -> {
                                if (err != null) {
                                    send(ctx, false, HttpResponseStatus.INTERNAL_SERVER_ERROR, "text/plain", "SLO evaluation failed\n");
                                } else if (report.isEmpty()) {
                                    send(ctx, keepAlive, HttpResponseStatus.SERVICE_UNAVAILABLE, "application/problem+json",
                                            "{\"type\":\"about:blank\",\"title\":\"Service Unavailable\",\"status\":503,"
                                                    + "\"detail\":\"no SLO engine: set 'slo:' in the gateway file\"}\n");
                                } else {
                                    FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                                            Unpooled.wrappedBuffer(report.get()));
                                    r.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json");
                                    write(ctx, keepAlive, r);
                                }
                            }));
                }
                case "/admin/reload" -> {
                    if (!m.equals(HttpMethod.POST)) { methodNotAllowed(ctx, keepAlive, "POST"); return; }
                    if (req.content().isReadable()) {
                        send(ctx, keepAlive, HttpResponseStatus.BAD_REQUEST, "text/plain",
                                "reload takes no body: it re-reads the gateway file from disk\n");
                        return;
                    }
                    CompletableFuture.supplyAsync(backend::reload, blocking).whenComplete((outcome, err) ->
                            ctx.executor().execute(() -> {
                                if (err != null) {
                                    send(ctx, false, HttpResponseStatus.INTERNAL_SERVER_ERROR, "text/plain", "reload failed\n");
                                } else {
                                    send(ctx, keepAlive, outcome.applied() ? HttpResponseStatus.OK
                                            : HttpResponseStatus.UNPROCESSABLE_ENTITY, "application/json", outcome.json());
                                }
                            }));
                }
                case "/admin/cache/purge" -> {
                    if (!m.equals(HttpMethod.POST)) { methodNotAllowed(ctx, keepAlive, "POST"); return; }
                    var params = new io.netty.handler.codec.http.QueryStringDecoder(req.uri()).parameters();
                    String host = params.containsKey("host") ? params.get("host").get(0) : null;
                    String p = params.containsKey("path") ? params.get("path").get(0) : null;
                    if ((host == null) != (p == null) || p != null && !p.startsWith("/")) {
                        send(ctx, keepAlive, HttpResponseStatus.BAD_REQUEST, "text/plain",
                                "give both ?host=NAME&path=/PATH to purge one path, or neither to purge everything\n");
                        return;
                    }
                    if (!backend.purgeCache(host == null ? null : host.toLowerCase(java.util.Locale.ROOT), p)) {
                        send(ctx, keepAlive, HttpResponseStatus.NOT_FOUND, "text/plain", "no response cache is configured\n");
                        return;
                    }
                    send(ctx, keepAlive, HttpResponseStatus.OK, "application/json",
                            "{\"purged\":" + (p == null ? "\"all\"" : "\"" + (host + p).replace("\\", "\\\\").replace("\"", "\\\"") + "\"") + "}\n");
                }
                default -> send(ctx, keepAlive, HttpResponseStatus.NOT_FOUND, "text/plain", "not found\n");
            }
        }

        private boolean authorized(FullHttpRequest req) {
            String auth = req.headers().get(HttpHeaderNames.AUTHORIZATION);
            if (auth == null || !auth.regionMatches(true, 0, "Bearer ", 0, 7)) return false;
            byte[] given = auth.substring(7).trim().getBytes(StandardCharsets.UTF_8);
            byte[] expected = backend.token().getBytes(StandardCharsets.UTF_8);
            return MessageDigest.isEqual(given, expected); // constant time: no token oracle by timing
        }

        private static boolean isRead(HttpMethod m) {
            return m.equals(HttpMethod.GET) || m.equals(HttpMethod.HEAD);
        }

        private static void methodNotAllowed(ChannelHandlerContext ctx, boolean keepAlive, String allow) {
            FullHttpResponse r = response(HttpResponseStatus.METHOD_NOT_ALLOWED, "text/plain", "method not allowed\n");
            r.headers().set(HttpHeaderNames.ALLOW, allow);
            write(ctx, keepAlive, r);
        }

        private static void send(ChannelHandlerContext ctx, boolean keepAlive, HttpResponseStatus status, String type, String body) {
            write(ctx, keepAlive, response(status, type, body));
        }

        private static FullHttpResponse response(HttpResponseStatus status, String type, String body) {
            ByteBuf b = Unpooled.copiedBuffer(body, StandardCharsets.UTF_8);
            FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, b);
            r.headers().set(HttpHeaderNames.CONTENT_TYPE, type);
            return r;
        }

        private static void write(ChannelHandlerContext ctx, boolean keepAlive, FullHttpResponse r) {
            r.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, r.content().readableBytes());
            r.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-store");
            if (!keepAlive) r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            var f = ctx.writeAndFlush(r);
            if (!keepAlive) f.addListener(ChannelFutureListener.CLOSE);
        }

        @Override public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
