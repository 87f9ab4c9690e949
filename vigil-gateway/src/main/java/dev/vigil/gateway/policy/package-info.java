/**
 * Edge policies as transport-independent engines: request facts in, a decision out.
 *
 * <p>Each engine is called by one thin pipeline stage, in the order the gateway composes them:
 * {@link dev.vigil.gateway.policy.tenant.TenantResolver tenant} →
 * {@link dev.vigil.gateway.policy.ratelimit.RateLimiter rate limit} →
 * {@link dev.vigil.gateway.policy.idempotency.IdempotencyEngine idempotency} →
 * {@link dev.vigil.gateway.policy.cache.ResponseCache cache}. No Netty type appears in a decision
 * API; bodies are {@code byte[]}. Shared state (embedded or Redis) lives in
 * {@link dev.vigil.gateway.policy.state}. Error bodies are RFC 9457 {@link dev.vigil.gateway.policy.Problem}s.
 */
package dev.vigil.gateway.policy;
