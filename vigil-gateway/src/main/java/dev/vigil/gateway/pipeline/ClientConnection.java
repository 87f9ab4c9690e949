package dev.vigil.gateway.pipeline;

import dev.vigil.gateway.Ticker;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.util.concurrent.ScheduledFuture;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * First handler of a client connection, in front of the HTTP codec: it sees raw bytes, so it stamps when a request's
 * first byte arrives (the start of the latency the SLO judges) and enforces the two slowloris deadlines:
 * <ul>
 *   <li>idle: no byte at all for {@code idleTimeout} between requests → the connection is closed silently;</li>
 *   <li>head: a request started but its head not complete within {@code headerTimeout} → 408 and close.</li>
 * </ul>
 * While a request is being handled neither applies (the proxy's request timeout does).
 *
 * <p>Confined to the connection's event loop.
 */
final class ClientConnection extends ChannelDuplexHandler {
    private enum State { IDLE, HEAD, EXCHANGE }

    private final Ticker ticker;
    private final long idleTimeoutNanos;
    private final long headerTimeoutNanos;
    private final Runnable onHeaderTimeout;
    private ChannelHandlerContext ctx;
    private State state = State.IDLE;
    /** When the current state's deadline passes (ticker time); {@link Long#MAX_VALUE} when none applies. */
    private long deadlineNanos = Long.MAX_VALUE;
    /**
     * One timer per connection, re-armed lazily: moving a deadline later costs nothing (the timer, when it fires,
     * re-arms itself for the rest), so a busy keep-alive connection does not schedule and cancel timers on every
     * request. The timer never waits longer than the header timeout, so a new (later) head deadline is always
     * checked in time.
     */
    private ScheduledFuture<?> timer;
    private long timerAtNanos;
    /** Ticker reading of the current request's first byte; 0 when unknown (bytes arrived while busy). */
    private long firstByteNanos;

    ClientConnection(Ticker ticker, long idleTimeoutNanos, long headerTimeoutNanos, Runnable onHeaderTimeout) {
        this.ticker = ticker;
        this.idleTimeoutNanos = idleTimeoutNanos;
        this.headerTimeoutNanos = headerTimeoutNanos;
        this.onHeaderTimeout = onHeaderTimeout;
    }

    @Override public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override public void channelActive(ChannelHandlerContext ctx) throws Exception {
        deadline(idleTimeoutNanos);
        super.channelActive(ctx);
    }

    @Override public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        if (state == State.IDLE && msg instanceof ByteBuf b && b.isReadable()) {
            state = State.HEAD;
            firstByteNanos = ticker.nanoTime();
            deadline(headerTimeoutNanos);
        }
        super.channelRead(ctx, msg);
    }

    @Override public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        deadlineNanos = Long.MAX_VALUE;
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
        super.channelInactive(ctx);
    }

    /** The request head was decoded; returns when its first byte arrived (now, if not seen). */
    long headReceived() {
        deadlineNanos = Long.MAX_VALUE;
        state = State.EXCHANGE;
        long start = firstByteNanos == 0 ? ticker.nanoTime() : firstByteNanos;
        firstByteNanos = 0;
        return start;
    }

    /**
     * The response was fully written (at ticker reading {@code nowNanos}) and the connection stays open for the next
     * request.
     */
    void exchangeDone(long nowNanos) {
        state = State.IDLE;
        deadline(nowNanos, idleTimeoutNanos);
    }

    private void deadline(long fromNowNanos) {
        deadline(ticker.nanoTime(), fromNowNanos);
    }

    private void deadline(long now, long fromNowNanos) {
        deadlineNanos = now + fromNowNanos;
        if (timer == null || timerAtNanos - deadlineNanos > 0) schedule(now, fromNowNanos);
    }

    private void schedule(long now, long delayNanos) {
        if (timer != null) timer.cancel(false);
        long delay = Math.min(delayNanos, headerTimeoutNanos);
        timerAtNanos = now + delay;
        timer = ctx.executor().schedule(this::expired, delay, TimeUnit.NANOSECONDS);
    }

    private void expired() {
        timer = null;
        if (!ctx.channel().isActive() || deadlineNanos == Long.MAX_VALUE) return;
        long now = ticker.nanoTime();
        if (deadlineNanos - now > 0) {
            schedule(now, deadlineNanos - now);
            return;
        }
        deadlineNanos = Long.MAX_VALUE;
        if (state == State.HEAD) {
            onHeaderTimeout.run();
            ByteBuf body = Unpooled.wrappedBuffer(REQUEST_TIMEOUT_BYTES);
            ctx.writeAndFlush(body).addListener(ChannelFutureListener.CLOSE);
        } else if (state == State.IDLE) {
            ctx.close();
        }
    }

    private static final byte[] REQUEST_TIMEOUT_BYTES;

    static {
        String body = "request head not received in time\n";
        REQUEST_TIMEOUT_BYTES = ("HTTP/1.1 408 Request Timeout\r\nContent-Type: text/plain; charset=utf-8\r\n"
                + "Content-Length: " + body.length() + "\r\nConnection: close\r\n\r\n" + body).getBytes(StandardCharsets.US_ASCII);
    }
}
