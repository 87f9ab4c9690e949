package dev.vigil.gateway.policy;

import dev.vigil.gateway.policy.cache.CacheL2;
import dev.vigil.gateway.policy.cache.RedisCacheL2;
import dev.vigil.gateway.policy.cache.ResponseCache;
import dev.vigil.gateway.policy.idempotency.EmbeddedIdempotencyStore;
import dev.vigil.gateway.policy.idempotency.IdempotencyEngine;
import dev.vigil.gateway.policy.idempotency.IdempotencyStore;
import dev.vigil.gateway.policy.idempotency.RedisIdempotencyStore;
import dev.vigil.gateway.policy.ratelimit.EmbeddedRateLimiter;
import dev.vigil.gateway.policy.ratelimit.RateLimitRules;
import dev.vigil.gateway.policy.ratelimit.RateLimiter;
import dev.vigil.gateway.policy.ratelimit.RedisRateLimiter;
import dev.vigil.gateway.policy.state.RedisState;
import dev.vigil.gateway.policy.state.StateConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;

/**
 * The policy engines of one gateway instance over one state backend, built in one place.
 *
 * <p>Embedded: in-process rate limiter, MVStore idempotency file in the data directory (swept for
 * expired records every minute), L1-only cache. Redis: one shared {@link RedisState}; rate limiter,
 * idempotency store and cache L2 in Redis. Close on shutdown (after draining requests).
 */
public final class PolicyEngines implements AutoCloseable {

    private final RateLimiter rateLimiter;
    private final IdempotencyEngine idempotency;
    private final ResponseCache cache;
    private final IdempotencyStore idempotencyStore;
    private final RedisState redis;
    private final ScheduledFuture<?> sweep;

    private PolicyEngines(RateLimiter rateLimiter, IdempotencyStore store, IdempotencyEngine idempotency, ResponseCache cache,
                          RedisState redis, ScheduledFuture<?> sweep) {
        this.rateLimiter = rateLimiter;
        this.idempotencyStore = store;
        this.idempotency = idempotency;
        this.cache = cache;
        this.redis = redis;
        this.sweep = sweep;
    }

    /**
     * @param cacheMaxBytes bound of the in-process cache (L1)
     * @param clock         time for embedded limits, idempotency expiry and cache freshness
     * @param scheduler     for idempotency waits and the embedded expiry sweep; owned by the caller
     */
    public static PolicyEngines create(StateConfig state, RateLimitRules rules, long cacheMaxBytes, InstantSource clock,
                                       ScheduledExecutorService scheduler) {
        return switch (state) {
            case StateConfig.Embedded e -> {
                try {
                    Files.createDirectories(e.dataDir());
                } catch (IOException ex) {
                    throw new UncheckedIOException("cannot create the state directory " + e.dataDir(), ex);
                }
                EmbeddedIdempotencyStore store = EmbeddedIdempotencyStore.open(e.dataDir().resolve("idempotency.mv.db"), clock, e.fsync());
                // Map updates run on the caller's thread; file commits, batched, on the store's own commit thread.
                yield new PolicyEngines(new EmbeddedRateLimiter(rules, clock), store, new IdempotencyEngine(store, scheduler),
                        new ResponseCache(cacheMaxBytes, clock, null), null, store.purgeEvery(Duration.ofMinutes(1), scheduler));
            }
            case StateConfig.Memory m -> {
                // The same store without a file: same semantics and call order, nothing survives a restart.
                EmbeddedIdempotencyStore store = EmbeddedIdempotencyStore.inMemory(clock);
                yield new PolicyEngines(new EmbeddedRateLimiter(rules, clock), store, new IdempotencyEngine(store, scheduler),
                        new ResponseCache(cacheMaxBytes, clock, null), null, store.purgeEvery(Duration.ofMinutes(1), scheduler));
            }
            case StateConfig.Redis r -> {
                RedisState redis = RedisState.open(r.uri(), r.commandTimeout());
                IdempotencyStore store = new RedisIdempotencyStore(redis);
                CacheL2 l2 = new RedisCacheL2(redis);
                yield new PolicyEngines(new RedisRateLimiter(rules, redis), store, new IdempotencyEngine(store, scheduler),
                        new ResponseCache(cacheMaxBytes, clock, l2), redis, null);
            }
        };
    }

    public RateLimiter rateLimiter() { return rateLimiter; }

    public IdempotencyEngine idempotency() { return idempotency; }

    public ResponseCache cache() { return cache; }

    /** The Redis connection (for metrics: failures, outages, availability), when state is Redis. */
    public Optional<RedisState> redis() { return Optional.ofNullable(redis); }

    @Override
    public void close() {
        if (sweep != null) sweep.cancel(false);
        rateLimiter.close();
        idempotencyStore.close();
        if (redis != null) redis.close();
    }
}
