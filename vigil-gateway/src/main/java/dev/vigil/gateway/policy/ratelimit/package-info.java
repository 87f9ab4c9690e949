/**
 * Rate limiting per tenant, per plan, optionally per route, plus a global ceiling.
 *
 * <p>Entry point: {@link dev.vigil.gateway.policy.ratelimit.RateLimiter#decide(String, String, String)}
 * — one call per request, returning a {@link dev.vigil.gateway.policy.ratelimit.RateLimitDecision}
 * that {@link dev.vigil.gateway.policy.ratelimit.RateLimitHttp} turns into the IETF {@code RateLimit}
 * / {@code RateLimit-Policy} fields, {@code Retry-After} and the 429 problem body.
 * Two implementations share one algorithm: {@link dev.vigil.gateway.policy.ratelimit.EmbeddedRateLimiter}
 * (in process) and {@link dev.vigil.gateway.policy.ratelimit.RedisRateLimiter} (shared by gateway instances).
 */
package dev.vigil.gateway.policy.ratelimit;
