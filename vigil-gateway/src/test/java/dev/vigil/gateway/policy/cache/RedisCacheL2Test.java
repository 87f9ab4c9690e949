package dev.vigil.gateway.policy.cache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.gateway.policy.TestClock;
import dev.vigil.gateway.policy.state.LocalRedis;
import dev.vigil.gateway.policy.state.RedisState;
import dev.vigil.slo.CacheResult;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("redis")
class RedisCacheL2Test {

    final RedisState redis = LocalRedis.open();
    final String prefix = LocalRedis.uniquePrefix("cache");
    final TestClock clock = new TestClock(java.time.Instant.now());
    final CacheConfig cfg = CacheConfig.of(Duration.ofSeconds(60));
    final AtomicInteger calls = new AtomicInteger();

    @AfterEach
    void close() {
        redis.close();
    }

    CacheOutcome handle(ResponseCache cache, String path, String body) {
        return cache.handle(ResponseCacheTest.get(path, "t"), cfg, () -> {
            calls.incrementAndGet();
            return CompletableFuture.completedFuture(new UpstreamResponse(200, List.of(), body.getBytes(StandardCharsets.UTF_8)));
        }).toCompletableFuture().join();
    }

    @Test
    void aSecondInstanceHitsWhatTheFirstStored() throws Exception {
        var l2 = new RedisCacheL2(redis, prefix);
        var a = new ResponseCache(1 << 20, clock, l2);
        var b = new ResponseCache(1 << 20, clock, new RedisCacheL2(redis, prefix));
        assertThat(handle(a, "/shared", "from-a").result()).isEqualTo(CacheResult.MISS);
        String primary = CacheKeys.primary(ResponseCacheTest.get("/shared", "t"), cfg);
        String pathKey = CacheKeys.pathKey("api.example.com", "/shared");
        for (int i = 0; i < 100 && l2.get(pathKey, primary).toCompletableFuture().join() == null; i++) {
            Thread.sleep(10);                       // the L2 write is asynchronous
        }
        calls.set(0);
        CacheOutcome onB = handle(b, "/shared", "from-b");
        assertThat(calls).hasValue(0);
        assertThat(onB.result()).isEqualTo(CacheResult.HIT);
        assertThat(new String(onB.response().body(), StandardCharsets.UTF_8)).isEqualTo("from-a");
    }

    @Test
    void anUnreachableL2CountsErrorsAndTheCacheKeepsWorkingFromL1() throws Exception {
        try (var proxy = new dev.vigil.gateway.policy.state.TcpProxy(LocalRedis.PORT);
             RedisState down = RedisState.open(proxy.uri(), Duration.ofMillis(200))) {
            proxy.stop();
            var l2 = new RedisCacheL2(down, prefix);
            var cache = new ResponseCache(1 << 20, clock, l2);
            assertThat(handle(cache, "/l1", "v").result()).isEqualTo(CacheResult.MISS);
            assertThat(handle(cache, "/l1", "v").result()).isEqualTo(CacheResult.HIT);
            assertThat(l2.errors()).isGreaterThanOrEqualTo(1);
            assertThat(down.outages()).isEqualTo(1);
        }
    }

    @Test
    void aPurgeOnOneInstanceHidesTheL2EntryFromTheOthers() throws Exception {
        var a = new ResponseCache(1 << 20, clock, new RedisCacheL2(redis, prefix));
        var b = new ResponseCache(1 << 20, clock, new RedisCacheL2(redis, prefix));
        handle(a, "/p", "v1");
        Thread.sleep(100);
        a.purge("api.example.com", "/p");
        Thread.sleep(100);
        calls.set(0);
        CacheOutcome onB = handle(b, "/p", "v2");
        assertThat(onB.result()).isEqualTo(CacheResult.MISS);
        assertThat(calls).hasValue(1);
    }
}
