package dev.vigil.gateway.policy.cache;

import dev.vigil.slo.CacheResult;

/**
 * What to send and how the cache took part.
 *
 * @param response the response for the client, with {@code X-Cache} (and {@code Age} on cached copies)
 * @param result   HIT, MISS, STALE or BYPASS: record it in the SLO engine and send it as {@code X-Cache}
 */
public record CacheOutcome(UpstreamResponse response, CacheResult result) {

    public static final String X_CACHE = "X-Cache";

    /** The {@code X-Cache} value: {@code HIT}, {@code MISS}, {@code STALE} or {@code BYPASS}. */
    public String xCache() { return result.name(); }
}
