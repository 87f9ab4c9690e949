package dev.vigil.gateway.policy.cache;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Cache settings of one route.
 *
 * @param ttl                  freshness when the upstream sends no {@code s-maxage}/{@code max-age};
 *                             zero = store only what the upstream marks cacheable
 * @param staleWhileRevalidate default window after expiry in which a stale copy is served while one
 *                             background request refreshes it (the upstream's directive wins)
 * @param staleIfError         default window after expiry in which a stale copy is served when the
 *                             upstream fails or answers 5xx (the upstream's directive wins)
 * @param varyHeaders          request headers always part of the key (at least Accept, Accept-Encoding)
 * @param varyByTenant         whether the tenant is part of the key (true unless the route is public)
 * @param maxEntryBytes        larger responses are passed through, not stored
 */
public record CacheConfig(Duration ttl, Duration staleWhileRevalidate, Duration staleIfError, List<String> varyHeaders,
                          boolean varyByTenant, long maxEntryBytes) {

    public CacheConfig {
        Objects.requireNonNull(ttl, "ttl");
        Objects.requireNonNull(staleWhileRevalidate, "staleWhileRevalidate");
        Objects.requireNonNull(staleIfError, "staleIfError");
        if (ttl.isNegative() || staleWhileRevalidate.isNegative() || staleIfError.isNegative()) {
            throw new IllegalArgumentException("cache durations must not be negative");
        }
        varyHeaders = Objects.requireNonNull(varyHeaders, "varyHeaders").stream().map(h -> h.toLowerCase(Locale.ROOT)).sorted().distinct().toList();
        if (maxEntryBytes < 1) throw new IllegalArgumentException("maxEntryBytes must be at least 1");
    }

    /** {@code ttl} freshness, Accept + Accept-Encoding + tenant in the key, no stale windows, 1 MiB entries. */
    public static CacheConfig of(Duration ttl) {
        return new CacheConfig(ttl, Duration.ZERO, Duration.ZERO, List.of("Accept", "Accept-Encoding"), true, 1 << 20);
    }

    public CacheConfig withStale(Duration whileRevalidate, Duration ifError) {
        return new CacheConfig(ttl, whileRevalidate, ifError, varyHeaders, varyByTenant, maxEntryBytes);
    }
}
