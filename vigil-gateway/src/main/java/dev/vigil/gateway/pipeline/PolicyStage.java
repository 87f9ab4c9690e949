package dev.vigil.gateway.pipeline;

import dev.vigil.gateway.policy.Header;
import dev.vigil.gateway.policy.Problem;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;

import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.function.BiConsumer;

/**
 * What every edge-policy stage shares, following the {@link PolicyStages} contract:
 * <ul>
 *   <li>{@link #answer} writes the stage's own response and reads and drops the rest of the request, so the
 *       connection stays usable for the next one;</li>
 *   <li>{@link #hold}/{@link #release}: messages a stage read ahead (a buffered body) are handed on one per
 *       downstream {@code read()}, exactly as {@code OneMessagePerRead} would, so later stages see the same
 *       one-message-per-read flow whether or not a policy buffered;</li>
 *   <li>{@link #onLoop} brings an engine's asynchronous decision (a Redis round trip) back to the connection's
 *       event loop, where all per-connection state lives.</li>
 * </ul>
 * Confined to the connection's event loop.
 */
abstract class PolicyStage extends ChannelDuplexHandler {
    protected ChannelHandlerContext ctx;
    private final ArrayDeque<Object> held = new ArrayDeque<>(4);
    /** The rest of a request this stage answered itself: read and dropped up to its last content. */
    private boolean draining;

    @Override public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override public final void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        if (draining && msg instanceof HttpContent c) {
            boolean last = c instanceof LastHttpContent;
            c.release();
            if (last) draining = false;
            ctx.read(); // more of the body, or the next request
            return;
        }
        onMessage(msg);
    }

    /** A message from the client, in order; pass it on with {@code ctx.fireChannelRead} or handle it. */
    abstract void onMessage(Object msg) throws Exception;

    @Override public void read(ChannelHandlerContext ctx) {
        Object next = held.poll();
        if (next != null) {
            ctx.fireChannelRead(next);
            return;
        }
        ctx.read();
    }

    /** Queues a message to be delivered by the next downstream read (after the head was fired on). */
    final void hold(Object msg) {
        held.add(msg);
    }

    final void release() {
        Object o;
        while ((o = held.poll()) != null) ReferenceCountUtil.release(o);
    }

    @Override public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        release();
        super.channelInactive(ctx);
    }

    /** Runs {@code then} on the event loop when {@code stage} completes; at once if it already has, on the loop. */
    final <T> void onLoop(CompletionStage<T> stage, BiConsumer<T, Throwable> then) {
        stage.whenComplete((v, e) -> {
            if (ctx.executor().inEventLoop()) then.accept(v, e); else ctx.executor().execute(() -> then.accept(v, e));
        });
    }

    /**
     * Writes this stage's complete response. With {@code requestComplete} false the rest of the request is read and
     * dropped first-come (the stage saw only the head); the next request is read after it.
     */
    final void answer(FullHttpResponse response, Exchange ex, boolean requestComplete) {
        var f = ctx.writeAndFlush(response);
        boolean keep = ex == null || ex.keepAlive;   // read after the write: telemetry clears it while draining
        if (!keep) {
            f.addListener(ChannelFutureListener.CLOSE);
            return;
        }
        if (!requestComplete) draining = true;
        ctx.read();
    }

    static FullHttpResponse problem(Problem p, List<Header> extra) {
        FullHttpResponse r = full(p.status(), extra, p.toJson());
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, Problem.CONTENT_TYPE);
        return r;
    }

    /** A complete response; framing headers from {@code headers} are replaced by this body's Content-Length. */
    static FullHttpResponse full(int status, List<Header> headers, byte[] body) {
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(status),
                Unpooled.wrappedBuffer(body));
        for (Header h : headers) r.headers().add(h.name(), h.value());
        Forwarding.stripHopByHop(r.headers());
        r.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
        return r;
    }
}
