package dev.vigil.gateway.policy.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.gateway.policy.Header;
import dev.vigil.gateway.policy.TestClock;
import dev.vigil.slo.CacheResult;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class ResponseCacheTest {

    final TestClock clock = TestClock.at("2026-01-01T00:00:00Z");
    final ResponseCache cache = new ResponseCache(1 << 20, clock, null);
    final CacheConfig cfg = CacheConfig.of(Duration.ofSeconds(60));
    final AtomicInteger upstreamCalls = new AtomicInteger();

    static CacheRequest get(String target, String tenant, String... headers) {
        return request("GET", target, tenant, headers);
    }

    static CacheRequest request(String method, String target, String tenant, String... headers) {
        Map<String, String> h = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (int i = 0; i < headers.length; i += 2) h.put(headers[i], headers[i + 1]);
        int q = target.indexOf('?');
        return new CacheRequest(method, "api.example.com", q < 0 ? target : target.substring(0, q),
                q < 0 ? null : target.substring(q + 1), tenant, h::get);
    }

    Supplier<CompletionStage<UpstreamResponse>> upstream(int status, String body, String... headers) {
        return () -> {
            upstreamCalls.incrementAndGet();
            return CompletableFuture.completedFuture(response(status, body, headers));
        };
    }

    static UpstreamResponse response(int status, String body, String... headers) {
        List<Header> h = new ArrayList<>();
        for (int i = 0; i < headers.length; i += 2) h.add(new Header(headers[i], headers[i + 1]));
        return new UpstreamResponse(status, h, body.getBytes(StandardCharsets.UTF_8));
    }

    CacheOutcome handle(CacheRequest req, CacheConfig c, Supplier<CompletionStage<UpstreamResponse>> up) {
        return cache.handle(req, c, up).toCompletableFuture().join();
    }

    static String body(CacheOutcome o) {
        return new String(o.response().body(), StandardCharsets.UTF_8);
    }

    @Test
    void missThenHitWithAnAgeUntilTheRouteTtlEnds() {
        assertThat(handle(get("/items", "t"), cfg, upstream(200, "v1")).result()).isEqualTo(CacheResult.MISS);
        clock.advance(Duration.ofSeconds(10));
        CacheOutcome hit = handle(get("/items", "t"), cfg, upstream(200, "v2"));
        assertThat(hit.result()).isEqualTo(CacheResult.HIT);
        assertThat(hit.xCache()).isEqualTo("HIT");
        assertThat(hit.response().header("X-Cache")).isEqualTo("HIT");
        assertThat(body(hit)).isEqualTo("v1");
        assertThat(hit.response().header("Age")).isEqualTo("10");
        clock.advance(Duration.ofSeconds(50));
        assertThat(body(handle(get("/items", "t"), cfg, upstream(200, "v3")))).isEqualTo("v3");
        assertThat(upstreamCalls).hasValue(2);
    }

    @Test
    void hundredConcurrentMissesSendOneUpstreamRequest() throws Exception {
        CompletableFuture<UpstreamResponse> slow = new CompletableFuture<>();
        Supplier<CompletionStage<UpstreamResponse>> up = () -> {
            upstreamCalls.incrementAndGet();
            return slow;
        };
        ExecutorService pool = Executors.newFixedThreadPool(8);
        CountDownLatch go = new CountDownLatch(1);
        List<CompletableFuture<CacheOutcome>> outcomes = new ArrayList<>();
        List<CompletableFuture<Void>> started = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            CompletableFuture<CacheOutcome> o = new CompletableFuture<>();
            outcomes.add(o);
            started.add(CompletableFuture.runAsync(() -> {
                try { go.await(); } catch (InterruptedException e) { throw new IllegalStateException(e); }
                cache.handle(get("/hot?b=2&a=1", "t"), cfg, up).whenComplete((r, e) -> { if (e == null) o.complete(r); else o.completeExceptionally(e); });
            }, pool));
        }
        go.countDown();
        CompletableFuture.allOf(started.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
        slow.complete(response(200, "hot"));
        CompletableFuture.allOf(outcomes.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
        pool.shutdown();
        assertThat(upstreamCalls).hasValue(1);
        assertThat(outcomes).allSatisfy(o -> assertThat(body(o.join())).isEqualTo("hot"));
        assertThat(handle(get("/hot?a=1&b=2", "t"), cfg, upstream(200, "x")).result()).isEqualTo(CacheResult.HIT);
    }

    @Test
    void neverHandsAPrivateAnswerToOtherWaitingRequests() {
        List<CompletableFuture<UpstreamResponse>> fetches = new ArrayList<>();
        Supplier<CompletionStage<UpstreamResponse>> up = () -> {
            CompletableFuture<UpstreamResponse> f = new CompletableFuture<>();
            synchronized (fetches) { fetches.add(f); }
            return f;
        };
        List<CompletableFuture<CacheOutcome>> outcomes = new ArrayList<>();
        for (int i = 0; i < 3; i++) outcomes.add(cache.handle(get("/me", "t"), cfg, up).toCompletableFuture());
        assertThat(fetches).hasSize(1);                                  // coalesced while in flight
        fetches.get(0).complete(response(200, "alice's profile", "Cache-Control", "private"));
        assertThat(body(outcomes.get(0).join())).isEqualTo("alice's profile");
        assertThat(fetches).hasSize(3);                                  // the others fetch for themselves
        fetches.get(1).complete(response(200, "bob's profile", "Cache-Control", "private"));
        fetches.get(2).complete(response(200, "carol's profile", "Cache-Control", "private"));
        assertThat(List.of(body(outcomes.get(1).join()), body(outcomes.get(2).join())))
                .containsExactlyInAnyOrder("bob's profile", "carol's profile");
    }

    @Test
    void answersAuthorizedRequestsOnlyFromSharedMarkedResponses() {
        handle(get("/pub", "t"), cfg, upstream(200, "stored without auth"));
        assertThat(handle(get("/pub", "t", "Authorization", "Bearer x"), cfg, upstream(200, "fresh")).result()).isEqualTo(CacheResult.MISS);
        handle(get("/shared", "t"), cfg, upstream(200, "public", "Cache-Control", "public, max-age=60"));
        assertThat(handle(get("/shared", "t", "Authorization", "Bearer x"), cfg, upstream(200, "x")).result()).isEqualTo(CacheResult.HIT);
    }

    @Test
    void honoursUpstreamCacheControl() {
        handle(get("/a", "t"), cfg, upstream(200, "a", "Cache-Control", "no-store"));
        handle(get("/b", "t"), cfg, upstream(200, "b", "Cache-Control", "private, max-age=600"));
        handle(get("/c", "t"), cfg, upstream(200, "c", "Cache-Control", "max-age=600, s-maxage=5"));
        handle(get("/d", "t"), CacheConfig.of(Duration.ZERO), upstream(200, "d", "Cache-Control", "max-age=100"));
        handle(get("/e", "t"), cfg, upstream(200, "e", "Set-Cookie", "s=1"));
        handle(get("/f", "t"), cfg, upstream(500, "f"));
        upstreamCalls.set(0);
        clock.advance(Duration.ofSeconds(4));
        assertThat(handle(get("/a", "t"), cfg, upstream(200, "a")).result()).isEqualTo(CacheResult.MISS);
        assertThat(handle(get("/b", "t"), cfg, upstream(200, "b")).result()).isEqualTo(CacheResult.MISS);
        assertThat(handle(get("/c", "t"), cfg, upstream(200, "c")).result()).isEqualTo(CacheResult.HIT);
        assertThat(handle(get("/d", "t"), CacheConfig.of(Duration.ZERO), upstream(200, "d")).result()).isEqualTo(CacheResult.HIT);
        assertThat(handle(get("/e", "t"), cfg, upstream(200, "e")).result()).isEqualTo(CacheResult.MISS);
        assertThat(handle(get("/f", "t"), cfg, upstream(200, "f")).result()).isEqualTo(CacheResult.MISS);
        clock.advance(Duration.ofSeconds(2));       // s-maxage=5 wins over max-age=600 and the route's 60 s
        assertThat(handle(get("/c", "t"), cfg, upstream(200, "c")).result()).isEqualTo(CacheResult.MISS);
    }

    @Test
    void reusesAVariedResponseOnlyWhenTheNamedHeadersMatch() {
        handle(get("/v", "t", "Accept-Language", "en"), cfg, upstream(200, "hello", "Vary", "Accept-Language"));
        handle(get("/v", "t", "Accept-Language", "fr"), cfg, upstream(200, "bonjour", "Vary", "Accept-Language"));
        upstreamCalls.set(0);
        assertThat(body(handle(get("/v", "t", "Accept-Language", "en"), cfg, upstream(200, "x")))).isEqualTo("hello");
        assertThat(body(handle(get("/v", "t", "Accept-Language", "fr"), cfg, upstream(200, "x")))).isEqualTo("bonjour");
        assertThat(handle(get("/v", "t"), cfg, upstream(200, "none", "Vary", "Accept-Language")).result()).isEqualTo(CacheResult.MISS);
        assertThat(upstreamCalls).hasValue(1);
        handle(get("/star", "t"), cfg, upstream(200, "s", "Vary", "*"));
        assertThat(handle(get("/star", "t"), cfg, upstream(200, "s")).result()).isEqualTo(CacheResult.MISS);
    }

    @Test
    void keysCoverTenantAcceptAndEncodingButNotQueryOrder() {
        handle(get("/k?x=1&y=2", "t", "Accept", "application/json", "Accept-Encoding", "gzip, br"), cfg, upstream(200, "k"));
        assertThat(handle(get("/k?y=2&x=1", "t", "Accept", "application/json", "Accept-Encoding", "gzip,br"), cfg, upstream(200, "k")).result())
                .isEqualTo(CacheResult.HIT);
        assertThat(handle(get("/k?y=2&x=1", "u", "Accept", "application/json", "Accept-Encoding", "gzip, br"), cfg, upstream(200, "k")).result())
                .isEqualTo(CacheResult.MISS);
        assertThat(handle(get("/k?y=2&x=1", "t", "Accept", "text/html", "Accept-Encoding", "gzip, br"), cfg, upstream(200, "k")).result())
                .isEqualTo(CacheResult.MISS);
        assertThat(handle(get("/k?y=2&x=1", "t", "Accept", "application/json"), cfg, upstream(200, "k")).result())
                .isEqualTo(CacheResult.MISS);
        assertThat(handle(get("/k?y=3&x=1", "t", "Accept", "application/json", "Accept-Encoding", "gzip, br"), cfg, upstream(200, "k")).result())
                .isEqualTo(CacheResult.MISS);
    }

    @Test
    void servesStaleWhileOneBackgroundRequestRevalidates() {
        CacheConfig swr = cfg.withStale(Duration.ofSeconds(30), Duration.ZERO);
        handle(get("/s", "t"), swr, upstream(200, "old"));
        clock.advance(Duration.ofSeconds(70));
        CompletableFuture<UpstreamResponse> refresh = new CompletableFuture<>();
        Supplier<CompletionStage<UpstreamResponse>> slow = () -> { upstreamCalls.incrementAndGet(); return refresh; };
        CacheOutcome stale = handle(get("/s", "t"), swr, slow);
        assertThat(stale.result()).isEqualTo(CacheResult.STALE);
        assertThat(body(stale)).isEqualTo("old");
        assertThat(handle(get("/s", "t"), swr, slow).result()).isEqualTo(CacheResult.STALE);
        assertThat(upstreamCalls).hasValue(2);          // the first fill + ONE revalidation
        refresh.complete(response(200, "new"));
        CacheOutcome fresh = handle(get("/s", "t"), swr, upstream(200, "x"));
        assertThat(fresh.result()).isEqualTo(CacheResult.HIT);
        assertThat(body(fresh)).isEqualTo("new");
        clock.advance(Duration.ofSeconds(91));          // past the stale window: a plain miss
        assertThat(handle(get("/s", "t"), swr, upstream(200, "x")).result()).isEqualTo(CacheResult.MISS);
    }

    @Test
    void servesStaleIfTheUpstreamFailsWithinTheWindow() {
        CacheConfig sie = cfg.withStale(Duration.ZERO, Duration.ofSeconds(300));
        handle(get("/e", "t"), sie, upstream(200, "good"));
        clock.advance(Duration.ofSeconds(61));
        Supplier<CompletionStage<UpstreamResponse>> failing = () -> CompletableFuture.failedFuture(new IllegalStateException("connect refused"));
        assertThat(body(handle(get("/e", "t"), sie, failing))).isEqualTo("good");
        CacheOutcome on503 = handle(get("/e", "t"), sie, upstream(503, "down"));
        assertThat(on503.result()).isEqualTo(CacheResult.STALE);
        assertThat(body(on503)).isEqualTo("good");
        clock.advance(Duration.ofSeconds(300));
        assertThatThrownBy(() -> handle(get("/e", "t"), sie, failing)).hasRootCauseMessage("connect refused");
    }

    @Test
    void mustRevalidateForbidsStaleServing() {
        CacheConfig sie = cfg.withStale(Duration.ofSeconds(30), Duration.ofSeconds(300));
        handle(get("/m", "t"), sie, upstream(200, "m", "Cache-Control", "max-age=10, must-revalidate"));
        clock.advance(Duration.ofSeconds(11));
        assertThat(handle(get("/m", "t"), sie, upstream(503, "down")).result()).isEqualTo(CacheResult.MISS);
    }

    @Test
    void aSuccessfulUnsafeRequestPurgesItsPath() {
        handle(get("/orders?page=1", "t"), cfg, upstream(200, "p1"));
        handle(get("/orders?page=2", "u"), cfg, upstream(200, "p2"));
        handle(get("/other", "t"), cfg, upstream(200, "o"));
        CacheOutcome failedPost = handle(request("POST", "/orders", "t"), cfg, upstream(400, "bad"));
        assertThat(failedPost.result()).isEqualTo(CacheResult.BYPASS);
        assertThat(handle(get("/orders?page=1", "t"), cfg, upstream(200, "x")).result()).isEqualTo(CacheResult.HIT);
        handle(request("POST", "/orders", "t"), cfg, upstream(201, "created"));
        assertThat(handle(get("/orders?page=1", "t"), cfg, upstream(200, "x")).result()).isEqualTo(CacheResult.MISS);
        assertThat(handle(get("/orders?page=2", "u"), cfg, upstream(200, "x")).result()).isEqualTo(CacheResult.MISS);
        assertThat(handle(get("/other", "t"), cfg, upstream(200, "x")).result()).isEqualTo(CacheResult.HIT);
        cache.purge("API.example.com", "/other");
        assertThat(handle(get("/other", "t"), cfg, upstream(200, "x")).result()).isEqualTo(CacheResult.MISS);
    }

    @Test
    void answersHeadFromAStoredGetButNeverStoresHead() {
        handle(request("HEAD", "/h", "t"), cfg, upstream(200, ""));
        assertThat(handle(request("HEAD", "/h", "t"), cfg, upstream(200, "")).result()).isEqualTo(CacheResult.MISS);
        handle(get("/h", "t"), cfg, upstream(200, "body"));
        CacheOutcome head = handle(request("HEAD", "/h", "t"), cfg, upstream(200, ""));
        assertThat(head.result()).isEqualTo(CacheResult.HIT);
        assertThat(head.response().body()).isEmpty();
    }

    @Test
    void aHeadInTheStaleWindowNeverStoresItsEmptyBodyForGets() {
        CacheConfig stale = cfg.withStale(Duration.ofSeconds(30), Duration.ofSeconds(300));
        handle(get("/app.js", "t"), stale, upstream(200, "the script"));
        clock.advance(Duration.ofSeconds(61));                       // stale, inside stale-while-revalidate
        assertThat(handle(request("HEAD", "/app.js", "t"), stale, upstream(200, "")).result()).isEqualTo(CacheResult.STALE);
        assertThat(body(handle(get("/app.js", "t"), stale, upstream(200, "the script, again")))).isEqualTo("the script");
        clock.advance(Duration.ofSeconds(120));                      // past it, inside stale-if-error
        CacheOutcome head = handle(request("HEAD", "/app.js", "t"), stale, upstream(200, ""));
        assertThat(head.result()).isEqualTo(CacheResult.MISS);
        CacheOutcome get = handle(get("/app.js", "t"), stale, upstream(200, "fresh script"));
        assertThat(body(get)).isNotEmpty();
    }

    @Test
    void responsesToRequestsWithACookieAreStoredOnlyWhenMarkedShareable() {
        handle(get("/me", "t", "Cookie", "session=victim"), cfg, upstream(200, "victim's account"));
        CacheOutcome attacker = handle(get("/me", "t"), cfg, upstream(200, "anonymous page"));
        assertThat(attacker.result()).isEqualTo(CacheResult.MISS);
        assertThat(body(attacker)).isEqualTo("anonymous page");
        handle(get("/logo", "t", "Cookie", "session=victim"), cfg, upstream(200, "logo", "Cache-Control", "public, max-age=60"));
        assertThat(handle(get("/logo", "t"), cfg, upstream(200, "x")).result()).isEqualTo(CacheResult.HIT);
    }

    @Test
    void storesAuthorizedResponsesOnlyWhenMarkedShareable() {
        handle(get("/p", "t", "Authorization", "Bearer x"), cfg, upstream(200, "p"));
        assertThat(handle(get("/p", "t", "Authorization", "Bearer x"), cfg, upstream(200, "p")).result()).isEqualTo(CacheResult.MISS);
        handle(get("/q", "t", "Authorization", "Bearer x"), cfg, upstream(200, "q", "Cache-Control", "public"));
        assertThat(handle(get("/q", "t", "Authorization", "Bearer x"), cfg, upstream(200, "q")).result()).isEqualTo(CacheResult.HIT);
    }

    @Test
    void honoursTheRequestsNoStoreAndNoCache() {
        handle(get("/r", "t"), cfg, upstream(200, "v1"));
        assertThat(handle(get("/r", "t", "Cache-Control", "no-store"), cfg, upstream(200, "v2")).result()).isEqualTo(CacheResult.BYPASS);
        CacheOutcome refetched = handle(get("/r", "t", "Cache-Control", "no-cache"), cfg, upstream(200, "v3"));
        assertThat(refetched.result()).isEqualTo(CacheResult.MISS);
        assertThat(body(handle(get("/r", "t"), cfg, upstream(200, "x")))).isEqualTo("v3");
    }

    @Test
    void staysWithinItsByteBound() {
        ResponseCache small = new ResponseCache(64 * 1024, clock, null);
        String body = "x".repeat(4096);
        for (int i = 0; i < 100; i++) {
            small.handle(get("/big/" + i, "t"), cfg, upstream(200, body)).toCompletableFuture().join();
        }
        assertThat(small.weightedSize()).isLessThanOrEqualTo(64 * 1024);
        assertThat(small.weightedSize()).isGreaterThan(32 * 1024);
        CacheConfig tiny = new CacheConfig(Duration.ofSeconds(60), Duration.ZERO, Duration.ZERO, List.of("Accept"), true, 100);
        small.handle(get("/huge", "t"), tiny, upstream(200, body)).toCompletableFuture().join();
        assertThat(small.handle(get("/huge", "t"), tiny, upstream(200, body)).toCompletableFuture().join().result()).isEqualTo(CacheResult.MISS);
    }
}
