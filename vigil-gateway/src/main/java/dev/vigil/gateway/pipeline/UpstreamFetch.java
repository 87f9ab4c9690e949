package dev.vigil.gateway.pipeline;

import dev.vigil.gateway.config.Route;
import dev.vigil.gateway.policy.Header;
import dev.vigil.gateway.policy.cache.UpstreamResponse;
import dev.vigil.gateway.upstream.ConnectionPool;
import dev.vigil.gateway.upstream.ForwardedRequest;
import dev.vigil.gateway.upstream.UpstreamBody;
import dev.vigil.gateway.upstream.UpstreamConnection;
import dev.vigil.gateway.upstream.UpstreamEndpoint;
import dev.vigil.gateway.upstream.UpstreamHead;
import dev.vigil.gateway.upstream.UpstreamMalformed;
import dev.vigil.gateway.upstream.UpstreamObserver;
import dev.vigil.gateway.upstream.UpstreamPool;
import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.ScheduledFuture;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * One complete (buffered) upstream exchange for the response cache: a bodiless GET or HEAD to an endpoint of the
 * route's pool, on pooled connections of the given event loop, independent of any client connection — the cache may
 * run it in the background to revalidate after the client already got a stale copy.
 *
 * <p>Bounded: the route's request timeout (then the connection is closed and the fetch fails) and
 * {@value #MAX_BODY_BYTES} bytes of body (larger → failure; such routes should not be cached). A pooled connection
 * that the upstream closed while idle is retried once on a fresh one; a connect failure once on another endpoint. Confined to {@code loop}.
 */
final class UpstreamFetch implements UpstreamConnection.Listener {
    static final int MAX_BODY_BYTES = 16 << 20;

    private final EventLoop loop;
    private final UpstreamPool pool;
    private final Route route;
    private final ForwardedRequest request;
    private final CompletableFuture<UpstreamResponse> result = new CompletableFuture<>();
    private UpstreamEndpoint endpoint;
    private UpstreamConnection conn;
    private boolean retried;
    private boolean triedOther;
    private int status;
    private List<Header> headers;
    private boolean keepAlive;
    private final ByteArrayOutputStream body = new ByteArrayOutputStream();
    private ScheduledFuture<?> timer;
    /** When the request was handed to the connection: the start of the upstream's response time. */
    private long sentNanos;

    private UpstreamFetch(EventLoop loop, UpstreamPool pool, Route route, ForwardedRequest request) {
        this.loop = loop;
        this.pool = pool;
        this.route = route;
        this.request = request;
    }

    /** Starts the fetch (a bodiless request). Callable from any thread. */
    static CompletableFuture<UpstreamResponse> start(EventLoop loop, UpstreamPool pool, Route route, ForwardedRequest request) {
        UpstreamFetch f = new UpstreamFetch(loop, pool, route, request);
        if (loop.inEventLoop()) f.begin(); else loop.execute(f::begin);
        return f.result;
    }

    private void begin() {
        timer = loop.schedule(() -> {
            if (endpoint != null) endpoint.observer().failed(UpstreamObserver.Failure.TIMEOUT);
            fail(new IOException("upstream did not answer within " + route.limits().requestTimeout().toMillis() + " ms"));
        }, route.limits().requestTimeout().toNanos(), TimeUnit.NANOSECONDS);
        attempt(pool.pick(null), false);
    }

    private void attempt(UpstreamEndpoint e, boolean fresh) {
        if (e == null) {
            fail(new IOException("no healthy endpoint in pool '" + pool.name() + "'"));
            return;
        }
        endpoint = e;
        e.requestStarted();
        Future<UpstreamConnection> f = e.connections().acquire(loop, this,
                (int) Math.min(Integer.MAX_VALUE, route.limits().connectTimeout().toMillis()),
                // A GET or HEAD is simply sent again if the pooled connection was stale: no kernel check needed.
                fresh ? ConnectionPool.Lease.NEW : ConnectionPool.Lease.POOLED);
        f.addListener(x -> {
            if (result.isDone()) {
                // Timed out (and counted as such) while connecting: nothing more to report for this attempt.
                if (f.isSuccess()) f.getNow().release(false);
                return;
            }
            if (!f.isSuccess()) {
                if (!(f.cause() instanceof ConnectionPool.ExhaustedException)) e.observer().failed(UpstreamObserver.Failure.CONNECT);
                done(!(f.cause() instanceof ConnectionPool.ExhaustedException));
                UpstreamEndpoint next = triedOther ? null : pool.pick(e);
                if (next != null && next != e) {
                    triedOther = true;   // nothing was sent: a GET or HEAD may go to another endpoint once
                    attempt(next, false);
                    return;
                }
                fail(new IOException("cannot connect to upstream " + e.address(), f.cause()));
                return;
            }
            conn = f.getNow();
            sentNanos = System.nanoTime();
            conn.expectResponse(request.method().equals(io.netty.handler.codec.http.HttpMethod.HEAD));
            conn.channel().writeAndFlush(request);
            conn.channel().read();
        });
    }

    @Override public void onUpstreamMessage(UpstreamConnection c, Object msg) {
        if (c != conn || result.isDone()) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (msg instanceof UpstreamMalformed) {
            endpoint.observer().failed(UpstreamObserver.Failure.MALFORMED);
            fail(new IOException("upstream sent a malformed response"));
            return;
        }
        ByteBuf data;
        boolean last;
        if (msg instanceof UpstreamHead h) {
            if (h.informational()) {
                h.release();
                c.channel().read();
                return;
            }
            status = h.status();
            endpoint.observer().responded(status, System.nanoTime() - sentNanos);
            keepAlive = h.keepAlive();
            headers = new ArrayList<>(h.fieldCount());
            h.forEachEndToEndField((name, value) -> headers.add(new Header(name, value)));
            data = h.completeBody();
            last = data != null;
            if (data == null) {
                h.release();
                c.channel().read();
                return;
            }
            data.retain();
            h.release();
        } else {
            UpstreamBody piece = (UpstreamBody) msg;
            data = piece.content();
            last = piece.last();
        }
        try {
            if (body.size() + data.readableBytes() > MAX_BODY_BYTES) {
                fail(new IOException("upstream response is larger than " + MAX_BODY_BYTES + " bytes; too large to cache"));
                return;
            }
            byte[] bytes = new byte[data.readableBytes()];
            data.getBytes(data.readerIndex(), bytes);
            body.writeBytes(bytes);
        } finally {
            data.release();
        }
        if (!last) {
            c.channel().read();
            return;
        }
        UpstreamConnection done = conn;
        conn = null;
        if (status >= 500) endpoint.recordFailure(); else endpoint.recordSuccess();
        done(false);
        done.release(keepAlive);
        cancelTimer();
        result.complete(new UpstreamResponse(status, headers, body.toByteArray()));
    }

    @Override public void onUpstreamClosed(UpstreamConnection c, Throwable cause) {
        if (c != conn || result.isDone()) return;
        conn = null;
        UpstreamEndpoint e = endpoint;
        if (c.reused() && !retried && headers == null) {
            retried = true; // premature close of an idle keep-alive connection: not the endpoint's fault
            e.observer().failed(UpstreamObserver.Failure.STALE);
            done(false);
            attempt(e, true);
            return;
        }
        e.observer().failed(headers == null ? UpstreamObserver.Failure.CLOSED : UpstreamObserver.Failure.RESET);
        done(true);
        fail(new IOException("upstream " + e.address() + " closed the connection without a complete response", cause));
    }

    private void fail(Throwable t) {
        if (result.isDone()) return;
        UpstreamConnection c = conn;
        conn = null;
        if (c != null) c.release(false);
        done(false);
        cancelTimer();
        result.completeExceptionally(t);
    }

    private void done(boolean failed) {
        UpstreamEndpoint e = endpoint;
        if (e == null) return;
        endpoint = null;
        e.requestFinished();
        if (failed) e.recordFailure();
    }

    private void cancelTimer() {
        if (timer != null) timer.cancel(false);
    }
}
