package dev.vigil.gateway.pipeline;

import dev.vigil.gateway.Ticker;
import dev.vigil.gateway.config.Route;
import dev.vigil.gateway.upstream.ConnectionPool;
import dev.vigil.gateway.upstream.ForwardedRequest;
import dev.vigil.gateway.upstream.UpstreamConnection;
import dev.vigil.gateway.upstream.UpstreamBody;
import dev.vigil.gateway.upstream.UpstreamEndpoint;
import dev.vigil.gateway.upstream.UpstreamHead;
import dev.vigil.gateway.upstream.UpstreamMalformed;
import dev.vigil.gateway.upstream.UpstreamObserver;
import dev.vigil.gateway.upstream.UpstreamPool;
import dev.vigil.slo.Failure;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ConnectTimeoutException;
import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.ScheduledFuture;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.concurrent.TimeUnit;

/**
 * The last stage: forwards the request to an endpoint of the route's pool and streams the response back.
 *
 * <h2>Design</h2>
 * Netty's HexDumpProxy pattern on HTTP messages. Both channels have AUTO_READ off and a {@code OneMessagePerRead},
 * so one {@code read()} yields at most one HTTP message; the next piece is read only after the previous one was
 * written to the other side. Bodies therefore stream with at most one chunk in flight per direction, whatever their
 * size. Upstream connections are leased from a pool on the client connection's own event loop.
 *
 * <p>Upstream responses are not decoded into Netty's HTTP objects: the connection's {@code ResponseParser} yields the
 * head's bytes with its fields located and the body as slices, and {@link ForwardedResponse} writes them to the
 * client as {@link ResponseBytes} (the kept field lines copied as received; a small response is one message and one
 * write). Only when a stage reads the response as objects ({@link Exchange#responseObjects}: idempotency recording)
 * is it converted. The request goes upstream as a {@code ForwardedRequest}, encoded in one pass.
 *
 * <h2>Failures</h2>
 * <ul>
 *   <li>Stale keep-alive connection (the upstream closed a pooled connection while it was idle): never surfaces to
 *       the client, in one of two ways.
 *       <ul>
 *         <li>A request that must not be sent twice (a non-idempotent method) leases with
 *             {@link ConnectionPool.Lease#POOLED_CHECKED}: the pool asks the kernel whether the connection is still
 *             established, so a FIN that arrived while the event loop was busy is caught before the head is written,
 *             and another idle or a new connection is used (epoll only; see {@link ConnectionPool}).</li>
 *         <li>A reused connection that closes before any response byte is retried once on a brand-new connection
 *             to the same endpoint — no endpoint failure, no retry budget — when the request can be sent again:
 *             an idempotent method, or any request whose head could not even be written; and only while its body
 *             is still in the replay buffer. An idempotency key does not make a POST replayable here: the gateway's
 *             own idempotency stage promises no second execution while the first may be under way, and a close
 *             that gets past the kernel check usually means the upstream read the request and then failed.</li>
 *       </ul></li>
 *   <li>Retries: only idempotent methods, only after a connect failure, a close before any response byte (an
 *       endpoint killed with requests in flight) or a 502/503, only on a different endpoint
 *       and only while the pool's retry budget allows (≤ 20 % extra load by default). A request whose body has
 *       outgrown the replay buffer ({@value #REPLAY_LIMIT_BYTES} bytes) is never retried.</li>
 *   <li>Timeouts: no response head within the route's request timeout → 504; a response body that stalls for as
 *       long → the client connection is cut (the status line was already sent).</li>
 * </ul>
 *
 * <p>Confined to the client connection's event loop, like everything it touches.
 */
final class ProxyStage extends ChannelInboundHandlerAdapter implements UpstreamConnection.Listener {
    /** Request body bytes kept for a retry; larger bodies stream without a copy and are not retried. */
    static final int REPLAY_LIMIT_BYTES = 64 * 1024;
    private static final int MAX_ATTEMPTS = 3;

    private final GatewayState state;
    private final Ticker ticker;
    private ChannelHandlerContext ctx;

    // Per exchange; reset by finish().
    private Exchange ex;
    private Route route;
    private UpstreamPool pool;
    private ForwardedRequest upstreamHead;
    private boolean idempotent;
    private boolean headRequest;
    private boolean requestComplete;
    private boolean requestSent;
    private boolean headWritten;
    private boolean responseHeadSeen;
    private boolean upstreamKeepAlive;
    /** Response bytes were written to the client without a flush. */
    private boolean unflushed;
    private boolean staleRetried;
    private boolean replayable;
    /** The upstream's response was received to its end (its last piece handed to the client connection). */
    private boolean responseReceived;
    /** The response's encoder when it is forwarded as bytes; null when it goes as Netty objects. */
    private ForwardedResponse forwarded;
    private final ArrayList<HttpContent> replay = new ArrayList<>();
    private long replayBytes;
    private UpstreamEndpoint endpoint;
    private UpstreamConnection conn;
    private int attemptId;
    private int exhaustedSkips;
    /**
     * The request timeout, re-armed lazily like {@link ClientConnection}'s deadlines: finishing a request only
     * clears the deadline, and a pending timer that fires early re-arms itself for the rest, so back-to-back
     * requests on a keep-alive connection do not each schedule and cancel a timer.
     */
    private ScheduledFuture<?> timer;
    private long timerAtNanos;
    private long deadlineNanos = Long.MAX_VALUE;
    private long lastProgressNanos;
    /** When the current attempt's request head was handed to its connection (the upstream's response time starts). */
    private long attemptSentNanos;

    ProxyStage(GatewayState state, Ticker ticker) {
        this.state = state;
        this.ticker = ticker;
    }

    @Override public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override public void channelActive(ChannelHandlerContext ctx) throws Exception {
        super.channelActive(ctx);
        ctx.read(); // the first request
    }

    @Override public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof HttpRequest req) {
            begin(req);
        } else if (msg instanceof HttpContent c) {
            if (ex == null) {
                ReferenceCountUtil.release(c);
                return;
            }
            clientContent(c);
        } else {
            ReferenceCountUtil.release(msg);
        }
    }

    private void begin(HttpRequest req) {
        ex = ctx.channel().attr(Exchange.CURRENT).get();
        route = ex.route;
        pool = ex.config.pool(route.pool());
        HttpMethod m = req.method();
        headRequest = m.equals(HttpMethod.HEAD);
        idempotent = headRequest || m.equals(HttpMethod.GET) || m.equals(HttpMethod.OPTIONS) || m.equals(HttpMethod.PUT)
                || m.equals(HttpMethod.DELETE) || m.equals(HttpMethod.TRACE);
        if (state.draining()) ex.keepAlive = false;
        requestComplete = requestSent = headWritten = responseHeadSeen = false;
        upstreamKeepAlive = staleRetried = false;
        replayable = true;
        replayBytes = 0;
        exhaustedSkips = 0;
        InetSocketAddress peer = ctx.channel().remoteAddress() instanceof InetSocketAddress a ? a : null;
        boolean trusted = peer != null && ex.config.trusted(peer.getAddress());
        upstreamHead = Forwarding.upstreamRequest(req, ex, peer, trusted, true);
        pool.retryBudget().deposit();
        long now = ticker.nanoTime();
        lastProgressNanos = now;
        deadlineNanos = now + route.limits().requestTimeout().toNanos();
        if (timer == null || timerAtNanos - deadlineNanos > 0) scheduleTimer(now, deadlineNanos - now);
        boolean declaresBody = HttpUtil.isTransferEncodingChunked(req) || HttpUtil.getContentLength(req, 0L) > 0;
        // A bodiless request's (empty) last content was decoded with the head: take it now, so the request is
        // complete and an early error answer can keep the connection alive.
        if (!declaresBody) ctx.read();
        attempt(pool.pick(null), false);
    }

    private void attempt(UpstreamEndpoint e, boolean freshConnection) {
        if (e == null) {
            fail(503, ex.attempts == 0 ? "no healthy endpoint in pool '" + pool.name() + "'" : "no other healthy endpoint in pool '" + pool.name() + "'");
            return;
        }
        endpoint = e;
        e.requestStarted();
        ex.attempts++;
        ex.upstream = e.toString();
        // Per attempt: a 502/503 or a 1xx from the previous endpoint must not make this one's close look mid-body.
        headWritten = responseHeadSeen = responseReceived = false;
        forwarded = null;
        ex.upstreamHeadNanos = -1;
        int id = ++attemptId;
        // Only requests that must not be sent twice pay for the kernel check (one getsockopt); the others are
        // replayed on a new connection if the pooled one turns out stale (onUpstreamClosed).
        ConnectionPool.Lease lease = freshConnection ? ConnectionPool.Lease.NEW
                : idempotent ? ConnectionPool.Lease.POOLED : ConnectionPool.Lease.POOLED_CHECKED;
        Future<UpstreamConnection> f = e.connections().acquire(ctx.channel().eventLoop(), this,
                (int) Math.min(Integer.MAX_VALUE, route.limits().connectTimeout().toMillis()), lease);
        if (f.isDone()) acquired(id, e, f); else f.addListener(x -> acquired(id, e, f));
    }

    private void acquired(int id, UpstreamEndpoint e, Future<UpstreamConnection> f) {
        if (id != attemptId || ex == null) {
            // The exchange ended (client gone, timeout) while connecting: a fresh, unused connection is reusable.
            if (f.isSuccess()) f.getNow().release(true);
            return;
        }
        if (!f.isSuccess()) {
            Throwable cause = f.cause();
            if (!(cause instanceof ConnectionPool.ExhaustedException)) e.observer().failed(UpstreamObserver.Failure.CONNECT);
            endpointDone(!(cause instanceof ConnectionPool.ExhaustedException));
            if (cause instanceof ConnectionPool.ExhaustedException) {
                // Nothing was sent, so moving on is no retry (not counted as an attempt); bounded by the pool size.
                ex.attempts--;
                if (++exhaustedSkips < pool.endpoints().size()) {
                    attempt(pool.pick(e), false);
                } else {
                    fail(503, "all endpoints of pool '" + pool.name() + "' are at max-connections");
                }
                return;
            }
            if (!retry(e)) {
                fail(cause instanceof ConnectTimeoutException ? 504 : 502, "cannot connect to upstream " + e.address());
            }
            return;
        }
        conn = f.getNow();
        UpstreamConnection c = conn;
        attemptSentNanos = ticker.nanoTime();
        c.expectResponse(headRequest);
        ChannelFuture head = c.channel().write(upstreamHead);
        ChannelFuture last = head;
        if (replayable) {
            for (HttpContent part : replay) {
                // The empty end of a body framed by Content-Length (all a bodiless request has) is no bytes at all.
                if (!upstreamHead.chunked() && !part.content().isReadable()) continue;
                last = c.channel().write(part.retainedDuplicate());
            }
        }
        c.channel().flush();
        boolean headIsLast = last == head;
        if (!headIsLast) head.addListener(w -> {
            if (w.isSuccess() && c == conn) markHeadWritten();
        });
        last.addListener(w -> {
            if (c != conn) return;
            if (!w.isSuccess()) {
                c.channel().close();
                return;
            }
            if (headIsLast) markHeadWritten(); // one listener instead of two: a GET's whole request is its head
            progress();
            if (requestComplete) requestSent = true; else ctx.read();
        });
        c.channel().read(); // the response may start before the request has been fully sent
    }

    private void markHeadWritten() {
        headWritten = true;
        if (ex != null) ex.upstreamReached = true;
    }

    private void clientContent(HttpContent c) {
        boolean last = c instanceof LastHttpContent;
        if (last) requestComplete = true;
        // The empty end of a body framed by Content-Length (all a bodiless request has) carries nothing to replay.
        if (replayable && (c.content().isReadable() || upstreamHead.chunked())) {
            replayBytes += c.content().readableBytes();
            if (replayBytes > REPLAY_LIMIT_BYTES) {
                releaseReplay();
                replayable = false;
            } else {
                replay.add(c.retainedDuplicate());
            }
        }
        UpstreamConnection u = conn;
        if (u == null) {
            // Between attempts (a retry or a stale-connection replay is connecting): the replay buffer holds it. If
            // this piece just outgrew the buffer, the next attempt could only send the body with a hole in it, and
            // an upstream reading it by its Content-Length would take the next request's bytes for the rest (a
            // desynchronised pooled connection): give up on the exchange instead.
            ReferenceCountUtil.release(c);
            if (!replayable) fail(502, "the request body outgrew the replay buffer while the upstream was being retried");
            return;
        }
        u.channel().writeAndFlush(c).addListener(w -> {
            if (u != conn) return;
            if (!w.isSuccess()) {
                u.channel().close();
                return;
            }
            progress();
            if (last) requestSent = true; else ctx.read();
        });
    }

    @Override public void onUpstreamMessage(UpstreamConnection c, Object msg) {
        if (c != conn || ex == null) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (responseReceived) {
            // Bytes after the response's end (handed on at the close while the client still takes the response):
            // the client already has all it gets; the connection is not reused.
            ReferenceCountUtil.release(msg);
            upstreamKeepAlive = false;
            return;
        }
        if (msg instanceof UpstreamMalformed) {
            // Malformed or oversized response head, bad chunk framing: never pass a broken message on.
            endpoint.observer().failed(UpstreamObserver.Failure.MALFORMED);
            conn = null;
            c.release(false);
            endpointDone(true);
            if (ex.responseStarted) abort(Failure.RESET); else fail(502, "upstream sent a malformed response");
            return;
        }
        if (msg instanceof UpstreamHead h) {
            int code = h.status();
            if (h.informational()) {
                // Informational (100 Continue, 103 Early Hints): the gateway answers Expect itself; drop these.
                h.release();
                c.channel().read();
                return;
            }
            responseHeadSeen = true;
            progress();
            ex.upstreamHeadNanos = lastProgressNanos - attemptSentNanos;
            endpoint.observer().responded(code, ex.upstreamHeadNanos);
            if ((code == 502 || code == 503) && canRetry()) {
                h.release();
                UpstreamEndpoint failed = endpoint;
                conn = null;
                c.release(false);
                endpointDone(true);
                if (!retry(failed)) fail(code, "upstream " + failed.address() + " answered " + code);
                return;
            }
            if (code >= 500) endpoint.recordFailure(); else endpoint.recordSuccess();
            if (ex.responseStarted) {
                h.release();
                abort(Failure.NONE); // another stage already answered (e.g. 413 while the body streamed)
                return;
            }
            ex.upstreamResponded = true;
            upstreamKeepAlive = h.keepAlive();
            c.upstreamKeepAlive(h.keepAliveParameter());
            if (state.draining()) ex.keepAlive = false;
            Object out;
            Object rest = null;
            if (ex.responseObjects) {
                // A stage reads the response as Netty objects (idempotency records it).
                out = Forwarding.clientResponse(h.toHttpResponse(), ex, headRequest);
                ByteBuf body = h.completeBody();
                if (body != null) rest = new DefaultLastHttpContent(body.retain());
            } else {
                forwarded = ForwardedResponse.start(h, ex);
                out = forwarded.head(h, ex, ctx.alloc());
            }
            boolean complete = h.completeBody() != null;
            h.release();
            if (complete) {
                // The whole response came with its head: one write.
                if (rest != null) ctx.write(out);
                forward(c, rest != null ? rest : out, true);
            } else if (ctx.channel().isWritable()) {
                // The head is small and the body's first piece is usually decoded from the same socket read:
                // write it unflushed and take the next piece, so both leave in one write. Flushed at the end of
                // the read at the latest (onUpstreamReadComplete), so a slow body never holds the head back.
                ctx.write(out);
                unflushed = true;
                c.channel().read();
            } else {
                forward(c, out, false);
            }
            return;
        }
        UpstreamBody piece = (UpstreamBody) msg;
        if (!responseHeadSeen) {
            piece.release();
            c.channel().close();
            return;
        }
        progress();
        boolean last = piece.last();
        Object out;
        if (forwarded != null) {
            out = forwarded.body(piece, ctx.alloc());
        } else {
            ByteBuf data = piece.content().retain();
            if (last) {
                LastHttpContent end = new DefaultLastHttpContent(data);
                for (var t : piece.trailers()) end.trailingHeaders().add(t.getKey(), t.getValue());
                out = end;
            } else {
                out = new DefaultHttpContent(data);
            }
        }
        piece.release();
        forward(c, out, last);
    }

    /**
     * Writes one piece of the response to the client. The next piece is read from the upstream socket only once
     * this write succeeded; a piece that is already decoded (head, body and end of a small response usually
     * arrive in one read) is taken at once and flushed together with this one, one write instead of three.
     */
    private void forward(UpstreamConnection c, Object msg, boolean last) {
        if (last) responseReceived = true;
        if (!last && c.hasBuffered() && ctx.channel().isWritable()) {
            ctx.write(msg);
            c.channel().read(); // delivers the buffered piece now, which flushes (or batches) in turn
            return;
        }
        unflushed = false;
        ctx.writeAndFlush(msg).addListener(w -> {
            if (!w.isSuccess()) {
                abort(Failure.RESET);
            } else if (c == conn) {
                if (last) {
                    responseDone();
                } else {
                    progress();
                    c.channel().read();
                }
            }
        });
    }

    @Override public void onUpstreamReadComplete(UpstreamConnection c) {
        if (c == conn && unflushed) {
            unflushed = false;
            ctx.flush();
        }
    }

    @Override public void onUpstreamClosed(UpstreamConnection c, Throwable cause) {
        if (c != conn || ex == null) return;
        // Closed after the whole response (Connection: close, HTTP/1.0) while the client is still taking it: the
        // pending write ends the exchange (responseDone) and the pool discards the closed connection.
        if (responseReceived) return;
        conn = null;
        if (responseHeadSeen) {
            // The status line is out: the only honest signal left is to cut the client connection too.
            endpoint.observer().failed(UpstreamObserver.Failure.RESET);
            endpointDone(true);
            abort(Failure.RESET);
            return;
        }
        if (c.reused() && !staleRetried && replayable && (idempotent || !headWritten)) {
            // Premature close of a pooled keep-alive connection: not the endpoint's fault, not a retry.
            staleRetried = true;
            UpstreamEndpoint e = endpoint;
            e.observer().failed(UpstreamObserver.Failure.STALE);
            endpointDone(false);
            ex.attempts--;
            attempt(e, true);
            return;
        }
        UpstreamEndpoint failed = endpoint;
        failed.observer().failed(UpstreamObserver.Failure.CLOSED);
        endpointDone(true);
        if (!retry(failed)) fail(502, "upstream " + failed.address() + " closed the connection without a response");
    }

    private boolean canRetry() {
        return idempotent && replayable && ex.attempts < MAX_ATTEMPTS;
    }

    /** Retries on another endpoint if allowed; false when the caller must answer the client. */
    private boolean retry(UpstreamEndpoint failed) {
        if (!canRetry()) return false;
        UpstreamEndpoint next = pool.pick(failed);
        if (next == null || !pool.retryBudget().tryWithdraw()) return false;
        attempt(next, false);
        return true;
    }

    private void responseDone() {
        UpstreamConnection c = conn;
        conn = null;
        endpointDone(false);
        boolean reusable = upstreamKeepAlive && requestSent;
        c.release(reusable);
        boolean keep = ex.keepAlive && requestComplete && !state.draining();
        finish();
        if (keep) ctx.read(); else ctx.close();
    }

    private void scheduleTimer(long now, long delayNanos) {
        if (timer != null) timer.cancel(false);
        timerAtNanos = now + delayNanos;
        timer = ctx.executor().schedule(this::timedOut, delayNanos, TimeUnit.NANOSECONDS);
    }

    private void timedOut() {
        timer = null;
        if (ex == null || deadlineNanos == Long.MAX_VALUE) return;
        long now = ticker.nanoTime();
        long timeoutNanos = route.limits().requestTimeout().toNanos();
        if (!ex.responseStarted) {
            if (deadlineNanos - now > 0) {
                scheduleTimer(now, deadlineNanos - now);
                return;
            }
            timedOutAt(endpoint);
            endpointDone(false);
            fail(504, "upstream did not answer within " + route.limits().requestTimeout().toMillis() + " ms");
            return;
        }
        long idle = now - lastProgressNanos;
        if (idle < timeoutNanos) {
            scheduleTimer(now, timeoutNanos - idle);
            return;
        }
        if (!responseReceived) timedOutAt(endpoint); // else the client stopped taking it: not the upstream's fault
        endpointDone(false);
        abort(Failure.TIMEOUT);
    }

    /** Answers the client with a gateway error and ends the exchange. */
    private void fail(int status, String detail) {
        UpstreamConnection c = conn;
        conn = null;
        if (c != null) c.release(false);
        endpointDone(false);
        if (ex.responseStarted) {
            abort(Failure.RESET);
            return;
        }
        boolean keep = ex.keepAlive && requestComplete && !state.draining();
        Exchange e = ex;
        finish();
        Responses.problem(ctx, status, detail, e, !keep).addListener(w -> {
            if (w.isSuccess() && keep) ctx.read(); else ctx.close();
        });
    }

    /** Ends the exchange by cutting both connections. */
    private void abort(Failure failure) {
        if (ex != null && failure != Failure.NONE) ex.failure = failure;
        UpstreamConnection c = conn;
        conn = null;
        if (c != null) c.release(false);
        endpointDone(false);
        finish();
        ctx.close();
    }

    @Override public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
        if (ex != null) {
            UpstreamConnection c = conn;
            conn = null;
            // Half a request or response went through this connection: its framing is unknown, never reuse it.
            if (c != null) c.release(false);
            endpointDone(false);
            finish();
        }
        super.channelInactive(ctx);
    }

    @Override public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }

    /** The attempt's endpoint let the request time out: a passive-health failure and a timeout in its metrics. */
    private static void timedOutAt(UpstreamEndpoint e) {
        if (e == null) return;
        e.recordFailure();
        e.observer().failed(UpstreamObserver.Failure.TIMEOUT);
    }

    private void endpointDone(boolean failed) {
        UpstreamEndpoint e = endpoint;
        if (e == null) return;
        endpoint = null;
        e.requestFinished();
        if (failed) e.recordFailure();
    }

    private void progress() {
        lastProgressNanos = ticker.nanoTime();
    }

    private void releaseReplay() {
        for (HttpContent c : replay) c.release();
        replay.clear();
    }

    private void finish() {
        deadlineNanos = Long.MAX_VALUE;
        releaseReplay();
        attemptId++;
        ex = null;
        route = null;
        pool = null;
        upstreamHead = null;
        forwarded = null;
    }
}
