package dev.vigil.gateway.config;

import dev.vigil.gateway.policy.cache.CacheConfig;
import dev.vigil.gateway.policy.idempotency.IdempotencyConfig;
import dev.vigil.gateway.policy.ratelimit.RateLimitRules;
import dev.vigil.gateway.policy.state.StateConfig;
import dev.vigil.gateway.policy.tenant.TenantConfig;

import java.util.Map;
import java.util.Objects;

/**
 * The edge-policy sections of a gateway file ({@code state}, {@code tenants}, {@code plans}, {@code rate-limit},
 * {@code cache-size} and each route's {@code rate-limit}, {@code idempotency} and {@code cache}), read by
 * {@link dev.vigil.gateway.policy.PolicyFiles}.
 *
 * @param state          where shared state lives (embedded data directory or Redis)
 * @param tenants        API keys and plans; {@code null} when the file has no {@code tenants}/{@code plans}
 *                       (then no tenant is resolved and no rate limit applies)
 * @param rateLimits     plan, per-route and global limits; {@code null} exactly when {@code tenants} is
 * @param cacheMaxBytes  bound of the in-process response cache (L1), bytes
 * @param idempotency    per route name, only routes with an {@code idempotency} block
 * @param cache          per route name, only routes with a {@code cache} block
 */
public record PolicyConfig(StateConfig state, TenantConfig tenants, RateLimitRules rateLimits, long cacheMaxBytes,
                           Map<String, IdempotencyConfig> idempotency, Map<String, CacheConfig> cache) {
    /** No policy section at all: the gateway runs without policy engines. */
    public static final PolicyConfig NONE = new PolicyConfig(null, null, null, 64L << 20, Map.of(), Map.of());

    public PolicyConfig {
        idempotency = Map.copyOf(Objects.requireNonNull(idempotency, "idempotency"));
        cache = Map.copyOf(Objects.requireNonNull(cache, "cache"));
        if ((tenants == null) != (rateLimits == null)) throw new IllegalArgumentException("tenants and rate limits come together");
        if (cacheMaxBytes < 0) throw new IllegalArgumentException("cacheMaxBytes must be >= 0");
        if (state == null && (tenants != null || !idempotency.isEmpty() || !cache.isEmpty())) {
            throw new IllegalArgumentException("policies need a state backend");
        }
    }

    /** Whether any policy is configured (the gateway then builds the policy engines). */
    public boolean enabled() {
        return state != null;
    }

    /** Whether switching from {@code previous} to this needs new engines (a restart), not only new rules. */
    public boolean sameEngines(PolicyConfig previous) {
        return Objects.equals(state, previous.state) && cacheMaxBytes == previous.cacheMaxBytes;
    }
}
