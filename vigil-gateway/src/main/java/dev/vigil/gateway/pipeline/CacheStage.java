package dev.vigil.gateway.pipeline;


import dev.vigil.gateway.policy.Problem;
import dev.vigil.gateway.policy.cache.CacheConfig;
import dev.vigil.gateway.policy.cache.CacheOutcome;
import dev.vigil.gateway.policy.cache.CacheRequest;
import dev.vigil.gateway.policy.cache.ResponseCache;
import dev.vigil.gateway.policy.cache.UpstreamResponse;
import dev.vigil.gateway.upstream.ForwardedRequest;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;

import java.net.InetSocketAddress;
import java.util.List;

/**
 * The response cache (RFC 9111) for GET and HEAD on routes with a {@code cache} block: {@link ResponseCache#handle}
 * decides HIT, STALE or MISS and coalesces concurrent misses into one upstream request, fetched by
 * {@link UpstreamFetch} (buffered, independent of this connection so a stale-while-revalidate refresh outlives it).
 * The answer carries {@code X-Cache}; the result goes into the SLO engine and {@code /metrics} through
 * {@link Exchange#cache}. A 1xx–3xx upstream answer to POST, PUT, PATCH or DELETE purges the path.
 * Other requests stream through the proxy unchanged.
 */
final class CacheStage extends PolicyStage {
    private final ResponseCache cache;
    private Exchange unsafeExchange;

    CacheStage(ResponseCache cache) {
        this.cache = cache;
    }

    @Override void onMessage(Object msg) {
        if (msg instanceof HttpRequest req) {
            Exchange ex = ctx.channel().attr(Exchange.CURRENT).get();
            String m = ex == null ? "" : ex.method;
            boolean read = m.equals("GET") || m.equals("HEAD");
            CacheConfig cfg = ex == null || !read ? null : ex.config.config().policies().cache().get(ex.route.name());
            unsafeExchange = m.equals("POST") || m.equals("PUT") || m.equals("PATCH") || m.equals("DELETE") ? ex : null;
            if (cfg != null) {
                lookup(req, ex, cfg);
                return;
            }
        }
        ctx.fireChannelRead(msg);
    }

    private void lookup(HttpRequest req, Exchange ex, CacheConfig cfg) {
        InetSocketAddress peer = ctx.channel().remoteAddress() instanceof InetSocketAddress a ? a : null;
        boolean trusted = peer != null && ex.config.trusted(peer.getAddress());
        // The request head holds no buffer, so it stays readable after this stage is done with it; it is never
        // changed again (the fetch below works on a copy), so cache lookups may read its headers from any thread.
        var reqHeaders = req.headers();
        // Every value of a repeated field, joined as the upstream reads them: keyed on the first alone, "Accept: text/html"
        // plus "Accept: application/json" would store the upstream's JSON under the browsers' key.
        CacheRequest creq = new CacheRequest(ex.method, ex.host, ex.path, query(ex.target), ex.tenant, name -> {
            List<String> all = reqHeaders.getAll(name);
            return all.isEmpty() ? null : all.size() == 1 ? all.get(0) : String.join(", ", all);
        });
        var pool = ex.config.pool(ex.route.pool());
        var loop = ctx.channel().eventLoop();
        var route = ex.route;
        onLoop(cache.handle(creq, cfg, () -> {
            // Only on a miss or a revalidation: a hit builds no upstream request at all.
            HttpRequest copy = new io.netty.handler.codec.http.DefaultHttpRequest(HttpVersion.HTTP_1_1, req.method(), req.uri(),
                    new io.netty.handler.codec.http.DefaultHttpHeaders().set(reqHeaders));
            ForwardedRequest fetch = Forwarding.upstreamRequest(copy, ex, peer, trusted, false);
            return UpstreamFetch.start(loop, pool, route, fetch);
        }), (outcome, error) -> answered(ex, outcome, error));
    }

    private void answered(Exchange ex, CacheOutcome outcome, Throwable error) {
        if (!ctx.channel().isActive()) return;
        if (error != null) {
            ex.cache = dev.vigil.slo.CacheResult.MISS;
            Throwable cause = error instanceof java.util.concurrent.CompletionException && error.getCause() != null ? error.getCause() : error;
            answer(problem(Problem.of(502, "Bad Gateway", String.valueOf(cause.getMessage())), List.of()), ex, false);
            return;
        }
        ex.cache = outcome.result();
        ex.upstreamResponded = true;
        UpstreamResponse r = outcome.response();
        FullHttpResponse resp = full(r.status(), r.headers(), r.body());
        if (ex.method.equals("HEAD")) {
            String len = r.header("Content-Length");
            if (len != null) resp.headers().set(HttpHeaderNames.CONTENT_LENGTH, len); else resp.headers().remove(HttpHeaderNames.CONTENT_LENGTH);
        }
        if (ex.http10) resp.setProtocolVersion(HttpVersion.HTTP_1_0);
        answer(resp, ex, false);
    }

    @Override public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
        Exchange ex = unsafeExchange;
        int status = ex == null ? 0 : ResponseBytes.finalStatus(msg);
        if (status != 0) {
            unsafeExchange = null;
            // RFC 9111 §4.4: a non-error answer to an unsafe method invalidates what is stored for the path.
            if (ex.upstreamResponded && status < 400 && ex.host != null && ex.path != null) cache.purge(ex.host, ex.path);
        }
        super.write(ctx, msg, promise);
    }

    private static String query(String target) {
        int q = target.indexOf('?');
        return q < 0 ? null : target.substring(q + 1);
    }

}
