package dev.vigil.gateway.policy.wiring;

import com.sun.net.httpserver.HttpServer;
import dev.vigil.gateway.Gateway;
import dev.vigil.gateway.config.GatewayConfig;
import dev.vigil.gateway.config.GatewayFiles;
import dev.vigil.gateway.pipeline.RouteGroups;
import dev.vigil.gateway.policy.state.TcpProxy;
import dev.vigil.gateway.telemetry.SloBinding;
import dev.vigil.gateway.telemetry.SloSink;
import dev.vigil.slo.SloEngine;
import dev.vigil.slo.ObjectiveResult;
import dev.vigil.slo.SloReport;
import dev.vigil.slo.spec.Objective;
import dev.vigil.slo.spec.RouteMatcher;
import dev.vigil.slo.spec.SloFiles;
import dev.vigil.slo.spec.SloSpec;
import dev.vigil.gateway.policy.tenant.ApiKeys;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Issue 5 end to end: gateways configured from gateway-file text, a real backend on loopback, real Redis on
 * 127.0.0.1:6379 (these tests fail, never skip, when it is down). Redis keys carry a per-test tenant id and are
 * deleted afterwards by that id only.
 */
class PolicyWiringTest {
    private static final String TOKEN = "test-admin-token-0123456789";
    private final String run = UUID.randomUUID().toString().substring(0, 8);
    private final String key = "key-" + run;
    private final String otherKey = "other-" + run;
    /** A tenant whose plan never limits: for tests about other policies. */
    private final String bulkKey = "bulk-" + run;
    private final List<Gateway> gateways = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private Backend backend;

    /** Counts executions per path; POST /orders answers 201 after 200 ms, GET /items after 300 ms. */
    static final class Backend implements AutoCloseable {
        final HttpServer server;
        final Map<String, AtomicInteger> hits = new ConcurrentHashMap<>();

        Backend() throws Exception {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 256);
            server.setExecutor(Executors.newFixedThreadPool(64));
            server.createContext("/", ex -> {
                String path = ex.getRequestURI().getPath();
                int n = hits.computeIfAbsent(ex.getRequestMethod() + " " + path, p -> new AtomicInteger()).incrementAndGet();
                ex.getRequestBody().readAllBytes();
                try {
                    Thread.sleep(path.startsWith("/orders") ? 200 : path.startsWith("/items") ? 300 : 0);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                byte[] body = (ex.getRequestMethod() + " " + path + " #" + n).getBytes(StandardCharsets.UTF_8);
                ex.getResponseHeaders().set("Content-Type", "text/plain");
                ex.sendResponseHeaders(ex.getRequestMethod().equals("POST") ? 201 : 200, body.length);
                ex.getResponseBody().write(body);
                ex.close();
            });
            server.start();
        }

        int hits(String methodAndPath) {
            AtomicInteger a = hits.get(methodAndPath);
            return a == null ? 0 : a.get();
        }

        @Override public void close() {
            server.stop(0);
        }
    }

    /** A clock the test moves (cache freshness). */
    static final class TestClock implements InstantSource {
        final AtomicLong offsetMillis = new AtomicLong();

        @Override public Instant instant() { return Instant.ofEpochMilli(System.currentTimeMillis() + offsetMillis.get()); }
    }

    private String yaml(String state, String extraRoutes) {
        return """
                listeners: [{address: 127.0.0.1, port: 0}]
                admin: {address: 127.0.0.1, port: 0, token: "%s"}
                limits: {connect-timeout: 500ms, request-timeout: 5s}
                state: %s
                state-timeout: 200ms
                plans:
                  free: {rate: 5 rps, burst: 5}
                  pro: {rate: 100 rps, burst: 20}
                  bulk: {rate: 100000 rps, burst: 100000}
                tenants:
                  key-header: X-Api-Key
                  anonymous-plan: free
                  keys:
                    - {sha256: %s, tenant: acme-%s, plan: pro}
                    - {sha256: %s, tenant: other-%s, plan: pro}
                    - {sha256: %s, tenant: bulk-%s, plan: bulk}
                upstreams:
                  api: {endpoints: ["127.0.0.1:%d"]}
                routes:
                  - name: orders
                    prefix: /orders
                    upstream: api
                    idempotency: {mode: required, in-flight-deadline: 30s}
                  - name: items
                    prefix: /items
                    upstream: api
                    cache: {ttl: 5s, stale-while-revalidate: 30s}
                %s
                  - name: rest
                    prefix: /
                    upstream: api
                """.formatted(TOKEN, state, ApiKeys.sha256Hex(key), run, ApiKeys.sha256Hex(otherKey), run, ApiKeys.sha256Hex(bulkKey), run, backend.server.getAddress().getPort(), extraRoutes);
    }

    private Gateway start(String yaml, Path dir, InstantSource clock) throws Exception {
        GatewayConfig cfg = GatewayFiles.parse("gateway.yaml", yaml, dir, Map.<String, String>of()::get);
        Gateway gw = Gateway.builder(cfg).clock(clock).workerThreads(2).start();
        gateways.add(gw);
        return gw;
    }

    private HttpResponse<String> send(Gateway gw, String method, String path, String apiKey, String idemKey, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gw.addresses().get(0).getPort() + path))
                .timeout(Duration.ofSeconds(10))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (apiKey != null) b.header("X-Api-Key", apiKey);
        if (idemKey != null) b.header("Idempotency-Key", idemKey);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private String admin(Gateway gw, String method, String path) throws Exception {
        HttpRequest r = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gw.adminAddress().getPort() + path))
                .header("Authorization", "Bearer " + TOKEN).method(method, HttpRequest.BodyPublishers.noBody()).build();
        return http.send(r, HttpResponse.BodyHandlers.ofString()).body();
    }

    @AfterEach void cleanUp() throws Exception {
        for (Gateway g : gateways) g.shutdown(Duration.ZERO);
        if (backend != null) backend.close();
        RedisClient client = RedisClient.create("redis://127.0.0.1:6379");
        try (StatefulRedisConnection<String, String> c = client.connect()) {
            ScanCursor cursor = ScanCursor.INITIAL;
            do {
                KeyScanCursor<String> page = c.sync().scan(cursor, ScanArgs.Builder.matches("*" + run + "*").limit(1000));
                if (!page.getKeys().isEmpty()) c.sync().del(page.getKeys().toArray(String[]::new));
                cursor = page;
            } while (!cursor.isFinished());
        } finally {
            client.shutdown();
        }
    }

    @Test void unknownKeyIs401AndTenantsComeFromKeys(@TempDir Path dir) throws Exception {
        backend = new Backend();
        Gateway gw = start(yaml("embedded", ""), dir, InstantSource.system());
        HttpResponse<String> bad = send(gw, "GET", "/hello", "not-a-key", null, null);
        assertThat(bad.statusCode()).isEqualTo(401);
        assertThat(bad.headers().firstValue("content-type")).hasValue("application/problem+json");
        assertThat(bad.body()).doesNotContain("not-a-key");
        HttpResponse<String> ok = send(gw, "GET", "/hello", key, null, null);
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(ok.headers().firstValue("RateLimit-Policy")).isPresent();
        assertThat(ok.headers().firstValue("RateLimit")).isPresent();
        assertThat(backend.hits("GET /hello")).isEqualTo(1);
    }

    @Test void anonymousPlanIsLimitedWith429AndCountedPerTenantNotAsServerError(@TempDir Path dir) throws Exception {
        backend = new Backend();
        Gateway gw = start(yaml("embedded", ""), dir, InstantSource.system());
        int ok = 0, limited = 0;
        HttpResponse<String> refused = null;
        for (int i = 0; i < 12; i++) {
            HttpResponse<String> r = send(gw, "GET", "/hello", null, null, null);
            if (r.statusCode() == 200) ok++;
            if (r.statusCode() == 429) {
                limited++;
                refused = r;
            }
        }
        assertThat(ok).isBetween(5, 6);   // burst 5, plus at most one token refilled while the loop ran
        assertThat(limited).isEqualTo(12 - ok);
        assertThat(refused.headers().firstValue("Retry-After")).isPresent();
        assertThat(refused.headers().firstValue("RateLimit")).isPresent();
        assertThat(refused.headers().firstValue("RateLimit-Policy")).isPresent();
        assertThat(refused.headers().firstValue("content-type")).hasValue("application/problem+json");
        // Counted when the 429's last byte has been handed to the socket, which can be just after the client read it.
        String expected = "vigil_gateway_rate_limited_total{tenant=\"anonymous\"} " + limited + ".0";
        long deadline = System.nanoTime() + 5_000_000_000L;
        String metrics = new String(gw.scrapeMetrics(), StandardCharsets.UTF_8);
        while (!metrics.contains(expected) && System.nanoTime() < deadline) {
            Thread.sleep(20);
            metrics = new String(gw.scrapeMetrics(), StandardCharsets.UTF_8);
        }
        assertThat(metrics).contains(expected);
    }

    @Test void sloEngineGetsTenantsAndCacheResultsAndDoesNotCount429AsErrors(@TempDir Path dir) throws Exception {
        backend = new Backend();
        SloSpec spec = SloFiles.parse("slo.yaml", """
                version: 1
                service: wiring
                errors: [5xx]
                routes:
                  everything:
                    match: "* /**"
                    error-rate: { target: 1%% }
                    cache-hit-ratio: { target: 10%% }
                """.formatted());
        AtomicReference<SloEngine> engine = new AtomicReference<>();
        List<String> recorded = new CopyOnWriteArrayList<>();
        GatewayConfig cfg = GatewayFiles.parse("gateway.yaml", yaml("embedded", ""), dir, Map.<String, String>of()::get);
        Gateway gw = Gateway.builder(cfg).workerThreads(2).slo(c -> {
            SloEngine e = SloEngine.create(spec, InstantSource.system());
            engine.set(e);
            RouteMatcher matcher = RouteMatcher.of(spec);
            return new SloBinding() {
                @Override public RouteGroups routeGroups() { return RouteGroups.of(matcher); }

                @Override public SloSink sink() {
                    return (g, t, st, f, l, ca, ms) -> {
                        recorded.add(t + " " + st + " " + ca);
                        e.record(g, t, st, f, l, ca, ms);
                    };
                }

                @Override public Optional<byte[]> reportJson() { return Optional.empty(); }
            };
        }).start();
        gateways.add(gw);
        for (int i = 0; i < 12; i++) send(gw, "GET", "/hello", null, null, null);   // free plan: burst 5, then 429s
        send(gw, "GET", "/items/9", key, null, null);
        send(gw, "GET", "/items/9", key, null, null);
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (recorded.size() < 14 && System.nanoTime() < deadline) Thread.sleep(10);
        assertThat(recorded).contains("acme-" + run + " 200 MISS", "acme-" + run + " 200 HIT", "addr:127.0.0.1 429 NONE");
        assertThat(recorded).doesNotContain("anonymous 200 NONE");
        SloReport report = engine.get().evaluate();
        ObjectiveResult errors = report.results().stream().filter(r -> r.objective() instanceof Objective.ErrorRate).findFirst().orElseThrow();
        assertThat(errors.measuredValue()).isZero();
        ObjectiveResult hits = report.results().stream().filter(r -> r.objective() instanceof Objective.CacheHitRatio).findFirst().orElseThrow();
        assertThat(hits.measuredValue()).isGreaterThan(0);
    }

    @Test void fiftyConcurrentDuplicatesOnTwoInstancesExecuteOnce(@TempDir Path dir) throws Exception {
        backend = new Backend();
        Gateway a = start(yaml("redis://127.0.0.1:6379", ""), dir, InstantSource.system());
        Gateway b = start(yaml("redis://127.0.0.1:6379", ""), dir, InstantSource.system());
        ExecutorService pool = Executors.newFixedThreadPool(50);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<HttpResponse<String>>> all = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            Gateway g = i % 2 == 0 ? a : b;
            all.add(pool.submit(() -> {
                go.await();
                return send(g, "POST", "/orders", bulkKey, "order-1", "{\"sku\":42}");
            }));
        }
        go.countDown();
        int created = 0, replayed = 0, conflict = 0;
        for (Future<HttpResponse<String>> f : all) {
            HttpResponse<String> r = f.get();
            if (r.statusCode() == 201 && r.headers().firstValue("Idempotent-Replayed").isPresent()) replayed++;
            else if (r.statusCode() == 201) created++;
            else if (r.statusCode() == 409) conflict++;
        }
        pool.shutdown();
        assertThat(backend.hits("POST /orders")).isEqualTo(1);
        assertThat(created).isEqualTo(1);
        assertThat(created + replayed + conflict).isEqualTo(50);
        HttpResponse<String> later = send(b, "POST", "/orders", bulkKey, "order-1", "{\"sku\":42}");
        assertThat(later.statusCode()).isEqualTo(201);
        assertThat(later.headers().firstValue("Idempotent-Replayed")).hasValue("true");
        assertThat(later.body()).isEqualTo("POST /orders #1");
        assertThat(send(a, "POST", "/orders", bulkKey, "order-1", "{\"sku\":43}").statusCode()).isEqualTo(422);
        assertThat(send(a, "POST", "/orders", key, null, "{\"sku\":43}").statusCode()).isEqualTo(400);
        // Another tenant's identical key is its own record.
        assertThat(send(a, "POST", "/orders", otherKey, "order-1", "{\"sku\":42}").headers().firstValue("Idempotent-Replayed")).isEmpty();
        assertThat(backend.hits("POST /orders")).isEqualTo(2);
    }

    @Test void embeddedGatewayRestartedBetweenRequestAndDuplicateReplays(@TempDir Path dir) throws Exception {
        backend = new Backend();
        Gateway first = start(yaml("embedded", ""), dir, InstantSource.system());
        assertThat(send(first, "POST", "/orders", key, "restart-1", "x").statusCode()).isEqualTo(201);
        first.shutdown(Duration.ofSeconds(1));
        Gateway second = start(yaml("embedded", ""), dir, InstantSource.system());
        HttpResponse<String> dup = send(second, "POST", "/orders", key, "restart-1", "x");
        assertThat(dup.statusCode()).isEqualTo(201);
        assertThat(dup.headers().firstValue("Idempotent-Replayed")).hasValue("true");
        assertThat(backend.hits("POST /orders")).isEqualTo(1);
    }

    @Test void connectFailureReleasesTheKey(@TempDir Path dir) throws Exception {
        backend = new Backend();
        int port = backend.server.getAddress().getPort();
        backend.close();
        Gateway gw = start(yaml("embedded", ""), dir, InstantSource.system());
        assertThat(send(gw, "POST", "/orders", key, "retry-me", "x").statusCode()).isIn(502, 503, 504);
        backend = null;
        HttpServer revived = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 16);
        revived.createContext("/", ex -> {
            ex.getRequestBody().readAllBytes();
            ex.sendResponseHeaders(201, 2);
            ex.getResponseBody().write("ok".getBytes());
            ex.close();
        });
        revived.start();
        try {
            HttpResponse<String> r = send(gw, "POST", "/orders", key, "retry-me", "x");
            assertThat(r.statusCode()).isEqualTo(201);
            assertThat(r.headers().firstValue("Idempotent-Replayed")).isEmpty();
        } finally {
            revived.stop(0);
        }
    }

    @Test void hundredConcurrentMissesSendOneUpstreamRequestThenStaleThenPurge(@TempDir Path dir) throws Exception {
        backend = new Backend();
        TestClock clock = new TestClock();
        Gateway gw = start(yaml("embedded", ""), dir, clock);
        ExecutorService pool = Executors.newFixedThreadPool(100);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<HttpResponse<String>>> all = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            all.add(pool.submit(() -> {
                go.await();
                return send(gw, "GET", "/items/1", bulkKey, null, null);
            }));
        }
        go.countDown();
        for (Future<HttpResponse<String>> f : all) {
            HttpResponse<String> r = f.get();
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).isEqualTo("GET /items/1 #1");
        }
        pool.shutdown();
        assertThat(backend.hits("GET /items/1")).isEqualTo(1);
        assertThat(send(gw, "GET", "/items/1", bulkKey, null, null).headers().firstValue("X-Cache")).hasValue("HIT");

        clock.offsetMillis.addAndGet(6_000);   // past the 5 s TTL, inside stale-while-revalidate
        HttpResponse<String> stale = send(gw, "GET", "/items/1", bulkKey, null, null);
        assertThat(stale.headers().firstValue("X-Cache")).hasValue("STALE");
        assertThat(stale.body()).isEqualTo("GET /items/1 #1");
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (backend.hits("GET /items/1") < 2 && System.nanoTime() < deadline) Thread.sleep(20);
        assertThat(backend.hits("GET /items/1")).isEqualTo(2);   // revalidated in the background
        deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        HttpResponse<String> fresh;
        do {
            fresh = send(gw, "GET", "/items/1", bulkKey, null, null);
        } while (!fresh.body().endsWith("#2") && System.nanoTime() < deadline);
        assertThat(fresh.headers().firstValue("X-Cache")).hasValue("HIT");

        assertThat(send(gw, "POST", "/items/1", bulkKey, null, "update").statusCode()).isEqualTo(201);   // purges the path
        HttpResponse<String> afterPost = send(gw, "GET", "/items/1", bulkKey, null, null);
        assertThat(afterPost.headers().firstValue("X-Cache")).hasValue("MISS");
        assertThat(afterPost.body()).isEqualTo("GET /items/1 #3");

        assertThat(admin(gw, "POST", "/admin/cache/purge?host=127.0.0.1&path=/items/1")).contains("purged");
        assertThat(send(gw, "GET", "/items/1", bulkKey, null, null).headers().firstValue("X-Cache")).hasValue("MISS");
        String metrics = admin(gw, "GET", "/metrics");
        assertThat(metrics).contains("vigil_gateway_cache_requests_total{result=\"HIT\",route=\"items\"}");
        assertThat(metrics).contains("vigil_gateway_cache_requests_total{result=\"STALE\",route=\"items\"}");
        assertThat(metrics).contains("vigil_gateway_cache_requests_total{result=\"MISS\",route=\"items\"}");
        promtoolAccepts(metrics);
    }

    @Test void twoInstancesShareOnePlanLimitAndTenantsAreIsolated(@TempDir Path dir) throws Exception {
        backend = new Backend();
        Gateway a = start(yaml("redis://127.0.0.1:6379", ""), dir, InstantSource.system());
        Gateway b = start(yaml("redis://127.0.0.1:6379", ""), dir, InstantSource.system());
        AtomicInteger admitted = new AtomicInteger(), refused = new AtomicInteger(), other = new AtomicInteger();
        long seconds = 10;
        long end = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<?>> workers = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            Gateway g = i % 2 == 0 ? a : b;
            workers.add(pool.submit(() -> {
                while (System.nanoTime() < end) {
                    int s = send(g, "GET", "/hello", key, null, null).statusCode();
                    if (s == 200) admitted.incrementAndGet(); else if (s == 429) refused.incrementAndGet(); else other.incrementAndGet();
                }
                return null;
            }));
        }
        // Meanwhile the other tenant on the same plan is not affected by acme's hammering.
        Thread.sleep(1_000);
        int otherOk = 0;
        for (int i = 0; i < 10; i++) if (send(b, "GET", "/hello", otherKey, null, null).statusCode() == 200) otherOk++;
        for (Future<?> w : workers) w.get();
        pool.shutdown();
        assertThat(other.get()).isZero();
        assertThat(refused.get()).isPositive();
        // 100 rps × 10 s + burst 20, plus one second of slack: the hammering loop's own start/stop edges.
        assertThat(admitted.get()).isLessThanOrEqualTo(100 * (int) seconds + 20 + 100);
        assertThat(admitted.get()).isGreaterThan(100 * (int) seconds / 2);
        assertThat(otherOk).isEqualTo(10);
    }

    @Test void redisOutageAppliesTheFailModeAndRecovers(@TempDir Path dir) throws Exception {
        backend = new Backend();
        try (TcpProxy proxy = new TcpProxy(6379)) {
            String route = "  - {name: closed, prefix: /closed, upstream: api, rate-limit: {fail: closed}}";
            Gateway gw = start(yaml(proxy.uri(), route), dir, InstantSource.system());
            assertThat(send(gw, "GET", "/closed", key, null, null).statusCode()).isEqualTo(200);
            assertThat(send(gw, "POST", "/orders", key, "outage-1", "x").statusCode()).isEqualTo(201);
            // The key is completed just after the response's last byte is out: wait until a duplicate replays.
            long stored = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (send(gw, "POST", "/orders", key, "outage-1", "x").headers().firstValue("Idempotent-Replayed").isEmpty()
                    && System.nanoTime() < stored) Thread.sleep(10);
            proxy.stop();
            assertThat(send(gw, "GET", "/hello", key, null, null).statusCode()).isEqualTo(200);       // fail open (default)
            assertThat(send(gw, "GET", "/closed", key, null, null).statusCode()).isEqualTo(503);      // fail closed
            assertThat(send(gw, "POST", "/orders", key, "outage-2", "x").statusCode()).isEqualTo(503); // idempotency fails closed by default
            String metrics = admin(gw, "GET", "/metrics");
            assertThat(metrics).contains("vigil_gateway_state_available{address=\"127.0.0.1:" + proxy.port() + "\"} 0");
            proxy.start();
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            int s;
            do {
                Thread.sleep(100);
                s = send(gw, "GET", "/closed", key, null, null).statusCode();
            } while (s != 200 && System.nanoTime() < deadline);
            assertThat(s).isEqualTo(200);
            HttpResponse<String> replay = send(gw, "POST", "/orders", key, "outage-1", "x");
            assertThat(replay.headers().firstValue("Idempotent-Replayed")).hasValue("true");
            String after = admin(gw, "GET", "/metrics");
            assertThat(after).contains("vigil_gateway_state_outages_total{address=\"127.0.0.1:" + proxy.port() + "\"} 1.0");
            assertThat(after).contains("vigil_gateway_state_available{address=\"127.0.0.1:" + proxy.port() + "\"} 1");
            promtoolAccepts(after);
        }
    }

    /**
     * The exposition with every policy metric present passes {@code promtool check metrics}. Called last in a test, so
     * without promtool (CI installs it; a developer machine may not have it) every other assertion has already run.
     */
    private static void promtoolAccepts(String metrics) throws Exception {
        Path promtool = Path.of("/usr/bin/promtool");
        assumeTrue(Files.isExecutable(promtool),
                "promtool is not installed (apt-get install prometheus)");
        Process p = new ProcessBuilder(promtool.toString(), "check", "metrics").redirectErrorStream(true).start();
        p.getOutputStream().write(metrics.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
    }
}
