package dev.vigil.gateway.pipeline;

import dev.vigil.gateway.policy.Header;
import dev.vigil.gateway.policy.ratelimit.RateLimitDecision;
import dev.vigil.gateway.policy.ratelimit.RateLimitHttp;
import dev.vigil.gateway.policy.ratelimit.RateLimiter;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.util.ReferenceCountUtil;

import java.util.List;

/**
 * Per tenant, plan, route and global limits: one {@link RateLimiter#decide} per request (in process, or one Redis
 * round trip). Allowed → the request goes on and the response carries {@code RateLimit} / {@code RateLimit-Policy}
 * showing what is left. Refused → 429 (503 when the state is unreachable and the route fails closed) with
 * {@code Retry-After}, the same fields and an RFC 9457 body; the upstream is never contacted.
 * Requests without a plan (no tenants configured) pass untouched.
 */
final class RateLimitStage extends PolicyStage {
    private final RateLimiter limiter;

    RateLimitStage(RateLimiter limiter) {
        this.limiter = limiter;
    }

    @Override void onMessage(Object msg) {
        if (msg instanceof HttpRequest req) {
            Exchange ex = ctx.channel().attr(Exchange.CURRENT).get();
            if (ex != null && ex.plan != null) {
                onLoop(limiter.decide(ex.tenant, ex.plan, ex.route.name()), (d, error) -> decided(req, ex, d, error));
                return;
            }
        }
        ctx.fireChannelRead(msg);
    }

    private void decided(HttpRequest req, Exchange ex, RateLimitDecision d, Throwable error) {
        if (!ctx.channel().isActive()) {
            ReferenceCountUtil.release(req);
            return;
        }
        if (error != null) {
            // The limiter promises never to fail for outages; anything else is a bug: do not let it block traffic.
            ctx.fireChannelRead(req);
            return;
        }
        List<Header> fields = RateLimitHttp.responseHeaders(d);
        if (d.allowed()) {
            if (!fields.isEmpty()) ex.responseHeaders = fields;
            ctx.fireChannelRead(req);
            return;
        }
        ex.rateLimited = d.refusalStatus() == 429;
        ReferenceCountUtil.release(req);
        answer(problem(RateLimitHttp.problem(d), fields), ex, false);
    }
}
