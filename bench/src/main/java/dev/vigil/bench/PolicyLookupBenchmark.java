package dev.vigil.bench;

import dev.vigil.gateway.policy.Header;
import dev.vigil.gateway.policy.cache.CacheConfig;
import dev.vigil.gateway.policy.cache.CacheOutcome;
import dev.vigil.gateway.policy.cache.CacheRequest;
import dev.vigil.gateway.policy.cache.ResponseCache;
import dev.vigil.gateway.policy.cache.UpstreamResponse;
import dev.vigil.gateway.policy.tenant.ApiKey;
import dev.vigil.gateway.policy.tenant.ApiKeys;
import dev.vigil.gateway.policy.tenant.Plan;
import dev.vigil.gateway.policy.tenant.Tenant;
import dev.vigil.gateway.policy.tenant.TenantConfig;
import dev.vigil.gateway.policy.tenant.TenantResolver;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The other per-request policy lookups: resolving an API key among 10 000 (one SHA-256 + a bucket
 * probe), and a response-cache hit (key building with sorted query and vary headers, Caffeine get,
 * Age header).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class PolicyLookupBenchmark {

    TenantResolver resolver;
    ResponseCache cache;
    CacheConfig cacheConfig;
    CacheRequest hit;

    @Setup
    public void setup() {
        Plan pro = new Plan("pro", List.of());
        List<ApiKey> keys = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) keys.add(new ApiKey(ApiKeys.sha256Hex("key-" + i), "tenant-" + i, "pro"));
        resolver = new TenantResolver(new TenantConfig("X-Api-Key", Map.of("pro", pro), keys, null));

        cache = new ResponseCache(64L << 20, InstantSource.system(), null);
        cacheConfig = CacheConfig.of(Duration.ofHours(1));
        Map<String, String> headers = Map.of("accept", "application/json", "accept-encoding", "gzip, br");
        hit = new CacheRequest("GET", "api.example.com", "/products/42", "lang=en&currency=EUR", "tenant-7",
                name -> headers.get(name.toLowerCase(java.util.Locale.ROOT)));
        UpstreamResponse response = new UpstreamResponse(200, List.of(new Header("Content-Type", "application/json")), new byte[2048]);
        cache.handle(hit, cacheConfig, () -> CompletableFuture.completedFuture(response)).toCompletableFuture().join();
    }

    @Benchmark
    public Optional<Tenant> resolveApiKey() {
        return resolver.resolve("key-4242", "192.0.2.1");
    }

    @Benchmark
    public CacheOutcome cacheHit() {
        return cache.handle(hit, cacheConfig, () -> { throw new IllegalStateException("a hit never fetches"); })
                .toCompletableFuture().join();
    }
}
