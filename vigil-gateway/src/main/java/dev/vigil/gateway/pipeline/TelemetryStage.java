package dev.vigil.gateway.pipeline;

import dev.vigil.gateway.Ticker;
import dev.vigil.slo.Failure;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;

import java.net.InetSocketAddress;
import java.time.InstantSource;

/**
 * Opens an {@link Exchange} for every request head and records it once, when the last byte of the response has been
 * written (latency = first byte in → last byte out) or when the connection dies first ({@link Failure#RESET}).
 *
 * <p>It sits nearest the codec, so every response passes it — including rejections written by later stages
 * (431, 413, 429 …) — and its outbound side puts the final touches on every response head written as an object:
 * {@code X-Request-Id}, a policy's fields and the {@code Connection} header that matches what the gateway will do
 * with the connection. A response forwarded as bytes ({@link ResponseBytes}) already has them
 * ({@link ForwardedResponse}, which applies the same rules).
 */
final class TelemetryStage extends ChannelDuplexHandler {
    private final ClientConnection connection;
    private final ExchangeRecorder recorder;
    private final Ticker ticker;
    private final InstantSource clock;
    private final GatewayState state;
    private Exchange current;
    /** The peer's address as text, computed once per connection rather than once (or twice) per request. */
    private String clientAddress;

    TelemetryStage(ClientConnection connection, ExchangeRecorder recorder, Ticker ticker, InstantSource clock, GatewayState state) {
        this.connection = connection;
        this.recorder = recorder;
        this.ticker = ticker;
        this.clock = clock;
        this.state = state;
    }

    @Override public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        if (msg instanceof HttpRequest req) {
            Exchange ex = new Exchange();
            ex.startNanos = connection.headReceived();
            String client = clientAddress;
            if (client == null && ctx.channel().remoteAddress() instanceof InetSocketAddress a) {
                client = clientAddress = a.getAddress().getHostAddress();
            }
            ex.clientAddress = client;
            ex.method = req.method().name();
            current = ex;
            ctx.channel().attr(Exchange.CURRENT).set(ex);
            state.requestStarted();
            recorder.started(ex);
        }
        super.channelRead(ctx, msg);
    }

    @Override public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
        Exchange ex = current;
        if (ex != null) {
            boolean last;
            if (msg instanceof ResponseBytes b) {
                // Forwarded as bytes: the proxy stage already wrote this stage's fields (ForwardedResponse).
                if (b.status != 0) {
                    ex.status = b.status;
                    ex.responseStarted = true;
                }
                ex.responseBodyBytes += b.bodyBytes;
                last = b.last;
            } else {
                if (msg instanceof HttpResponse r && r.status().code() >= 200) {
                    ex.status = r.status().code();
                    ex.responseStarted = true;
                    if (ex.requestId != null) r.headers().set(VigilHeaders.REQUEST_ID, ex.requestId);
                    if (ex.responseHeaders != null) {
                        for (var h : ex.responseHeaders) r.headers().set(h.name(), h.value());
                    }
                    if (state.draining()) ex.keepAlive = false;
                    if (!ex.keepAlive) {
                        r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
                    } else if (ex.http10) {
                        r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
                    }
                }
                if (msg instanceof HttpContent c) ex.responseBodyBytes += c.content().readableBytes();
                last = msg instanceof LastHttpContent;
            }
            if (last && ex.responseStarted) {
                current = null;
                promise = promise.unvoid();
                promise.addListener(f -> {
                    if (!f.isSuccess()) ex.failure = Failure.RESET;
                    long now = finish(ctx, ex);
                    if (f.isSuccess() && ex.keepAlive && ctx.channel().isActive()) connection.exchangeDone(now);
                });
            }
        }
        super.write(ctx, msg, promise);
    }

    @Override public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        Exchange ex = current;
        if (ex != null) {
            current = null;
            if (ex.failure == Failure.NONE) ex.failure = Failure.RESET;
            finish(ctx, ex);
        }
        super.channelInactive(ctx);
    }

    /** Records the exchange (once); returns the ticker's reading it took as the end. */
    private long finish(ChannelHandlerContext ctx, Exchange ex) {
        long now = ticker.nanoTime();
        if (ex.recorded) return now;
        ex.recorded = true;
        if (ctx.channel().attr(Exchange.CURRENT).get() == ex) ctx.channel().attr(Exchange.CURRENT).set(null);
        long micros = Math.max(0, (now - ex.startNanos) / 1000);
        RouteGroups groups = ex.config == null ? null : ex.config.groups();
        if (groups == null) {
            ex.routeGroup = ex.routeName();
        } else {
            ex.routeGroup = ex.path != null ? groups.groupFor(ex.method, ex.path) : groups.defaultGroup();
        }
        state.requestFinished();
        recorder.record(ex, micros, clock.millis());
        return now;
    }
}
