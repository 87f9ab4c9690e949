package dev.vigil.bench;

import dev.vigil.gateway.policy.FailMode;
import dev.vigil.gateway.policy.idempotency.ClaimResult;
import dev.vigil.gateway.policy.idempotency.RecordKey;
import dev.vigil.gateway.policy.idempotency.RedisIdempotencyStore;
import dev.vigil.gateway.policy.ratelimit.Limit;
import dev.vigil.gateway.policy.ratelimit.RateLimitDecision;
import dev.vigil.gateway.policy.ratelimit.RateLimitRules;
import dev.vigil.gateway.policy.ratelimit.RedisRateLimiter;
import dev.vigil.gateway.policy.state.RedisState;
import dev.vigil.gateway.policy.tenant.Plan;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The Redis paths, one caller waiting for each answer (so this is round-trip latency, not
 * throughput): a rate-limit decision (one EVALSHA over 4 limits) and an idempotency lookup (one
 * HMGET). Needs a Redis at {@code -p uri=...} (default redis://127.0.0.1:6379); keys use a random
 * prefix and expire by themselves.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class RedisPolicyBenchmark {

    @Param("redis://127.0.0.1:6379")
    String uri;

    RedisState redis;
    RedisRateLimiter limiter;
    RedisIdempotencyStore store;
    RecordKey key;
    byte[] fingerprint = new byte[32];

    @Setup
    public void setup() {
        redis = RedisState.open(uri, Duration.ofSeconds(1));
        String prefix = "vigil-bench:" + UUID.randomUUID() + ":";
        long perSecond = 1_000_000_000L;
        Plan plan = new Plan("pro", List.of(
                new Limit.Rate("rate", perSecond, Duration.ofSeconds(1), perSecond),
                new Limit.Quota("minute", Limit.MAX_COUNT, Duration.ofMinutes(1)),
                new Limit.Quota("hour", Limit.MAX_COUNT, Duration.ofHours(1)),
                new Limit.Quota("day", Limit.MAX_COUNT, Duration.ofDays(1))));
        limiter = new RedisRateLimiter(new RateLimitRules(Map.of("pro", plan), List.of(), List.of(), FailMode.CLOSED), redis, prefix + "rl:");
        store = new RedisIdempotencyStore(redis, prefix + "idem:");
        key = new RecordKey("acme", "orders", "k1");
        var claim = (ClaimResult.Claimed) store.claim(key, fingerprint, 600_000).toCompletableFuture().join();
        store.complete(key, claim.token(), 201, null, 600_000).toCompletableFuture().join();
        if (limiter.decide("t", "pro", null).toCompletableFuture().join().degraded()) {
            throw new IllegalStateException("Redis at " + uri + " is not reachable");
        }
    }

    @TearDown
    public void tearDown() {
        redis.close();
    }

    @Benchmark
    public RateLimitDecision decide() {
        return limiter.decide("t", "pro", null).toCompletableFuture().join();
    }

    @Benchmark
    public ClaimResult idempotencyLookup() {
        return store.lookup(key, fingerprint).toCompletableFuture().join();
    }
}
