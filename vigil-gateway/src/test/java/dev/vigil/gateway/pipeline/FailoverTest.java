package dev.vigil.gateway.pipeline;

import dev.vigil.gateway.Gateway;
import dev.vigil.gateway.config.BalancePolicy;
import dev.vigil.gateway.config.GatewayConfig;
import dev.vigil.gateway.config.HealthCheck;
import dev.vigil.gateway.config.PassiveHealth;
import dev.vigil.gateway.config.PoolConfig;
import dev.vigil.gateway.testing.Configs;
import dev.vigil.gateway.testing.KeepAliveCloser;
import dev.vigil.gateway.testing.RawHttp;
import dev.vigil.gateway.testing.TestBackend;
import dev.vigil.gateway.upstream.Transport;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class FailoverTest {
    private final List<AutoCloseable> toClose = new ArrayList<>();
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private Gateway gateway;

    @AfterEach void stop() throws Exception {
        if (gateway != null) gateway.shutdown(Duration.ZERO);
        for (AutoCloseable c : toClose) c.close();
    }

    private int start(PoolConfig pool) throws Exception {
        GatewayConfig cfg = Configs.single(pool, Configs.fastLimits());
        gateway = Gateway.builder(cfg).workerThreads(2).start();
        return gateway.addresses().get(0).getPort();
    }

    private HttpResponse<String> get(int port, String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private TestBackend backend(String name) throws Exception {
        TestBackend b = TestBackend.start(name);
        toClose.add(b);
        return b;
    }

    @Test void aBodyPieceThatOutgrowsTheReplayBufferWhileARetryConnectsEndsTheExchange() throws Exception {
        var loopback = java.net.InetAddress.getLoopbackAddress();
        // A answers 503 once it has 63 KiB of the body. B's accept queue is full (listen backlog 1, two connections
        // waiting), so the kernel drops the retry's SYN and connecting takes a retransmit: the gap in which the
        // client's next piece arrives and pushes the replay buffer past 64 KiB.
        ServerSocket a = new ServerSocket(0, 10, loopback);
        ServerSocket b = new ServerSocket(0, 1, loopback);
        toClose.add(a);
        toClose.add(b);
        toClose.add(new java.net.Socket(loopback, b.getLocalPort()));
        toClose.add(new java.net.Socket(loopback, b.getLocalPort()));
        java.util.concurrent.CountDownLatch answered = new java.util.concurrent.CountDownLatch(1);
        int firstPart = 63 * 1024;
        Thread.ofPlatform().daemon().start(() -> {
            try (java.net.Socket s = a.accept()) {
                var in = s.getInputStream();
                StringBuilder head = new StringBuilder();
                while (!head.toString().endsWith("\r\n\r\n")) head.append((char) in.read());
                in.readNBytes(firstPart);
                s.getOutputStream().write("HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                s.getOutputStream().flush();
                answered.countDown();
                in.transferTo(java.io.OutputStream.nullOutputStream());
            } catch (Exception ignored) {
                // the gateway closed the connection: test over
            }
        });
        int port = start(Configs.pool("api", "127.0.0.1:" + a.getLocalPort(), "127.0.0.1:" + b.getLocalPort()));
        try (RawHttp raw = new RawHttp(port)) {
            raw.send(("PUT /upload HTTP/1.1\r\nHost: x\r\nContent-Length: " + 128 * 1024 + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            raw.send(new byte[firstPart]);
            assertThat(answered.await(5, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            Thread.sleep(100); // the gateway has the 503 and is connecting to B
            RawHttp.Response r = raw.send(new byte[128 * 1024 - firstPart]).read();
            // Without the check: the piece is dropped, B's connect times out, and the answer is a 504 later.
            assertThat(r.status()).isEqualTo(502);
            assertThat(r.body()).contains("replay buffer");
        }
    }

    @Test void retriesIdempotentRequestsOnTheOtherEndpointWhenOneIsKilled() throws Exception {
        TestBackend a = backend("a");
        TestBackend b = TestBackend.start("b");
        int port = start(Configs.pool("api", BalancePolicy.ROUND_ROBIN, Optional.empty(), new PassiveHealth(3, Duration.ofSeconds(30)),
                a.endpoint(), b.endpoint()));
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                if (i == 60) b.close(); // killed mid-test, with requests in flight
                results.add(pool.submit(() -> get(port, "/hello").statusCode()));
                if (i % 4 == 3) Thread.sleep(2);
            }
            for (Future<Integer> f : results) assertThat(f.get()).isEqualTo(200);
        } finally {
            pool.shutdownNow();
        }
        assertThat(a.requests()).isGreaterThan(100);
        String metrics = new String(gateway.scrapeMetrics(), StandardCharsets.UTF_8);
        assertThat(metrics).contains("vigil_gateway_upstream_healthy{endpoint=\"" + b.endpoint() + "\",pool=\"api\"} 0");
    }

    @Test void retriesA503OnAnotherEndpoint() throws Exception {
        TestBackend a = backend("a");
        TestBackend b = backend("b");
        a.forceStatus(503);
        // Two 503s in a row eject 'a'; until then the retry budget's floor (2/s) covers the retries.
        int port = start(Configs.pool("api", BalancePolicy.ROUND_ROBIN, Optional.empty(), new PassiveHealth(2, Duration.ofSeconds(30)),
                a.endpoint(), b.endpoint()));
        for (int i = 0; i < 10; i++) {
            HttpResponse<String> r = get(port, "/hello");
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).isEqualTo("hello from b");
        }
    }

    @Test void neverRetriesAPost() throws Exception {
        TestBackend a = backend("a");
        a.forceStatus(503);
        TestBackend b = backend("b");
        int port = start(Configs.pool("api", BalancePolicy.ROUND_ROBIN, Optional.empty(), new PassiveHealth(100, Duration.ofSeconds(30)),
                a.endpoint(), b.endpoint()));
        int unavailable = 0;
        for (int i = 0; i < 6; i++) {
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/hello"))
                    .POST(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() == 503) unavailable++;
        }
        assertThat(unavailable).isEqualTo(3); // round robin: every other POST hit the failing endpoint, none retried
        assertThat(b.requests()).isEqualTo(3);
    }

    @Test void readmitsAnEjectedEndpointOnceItRecovers() throws Exception {
        TestBackend a = backend("a");
        TestBackend b = TestBackend.start("b");
        int bPort = b.port();
        HealthCheck hc = new HealthCheck("/healthz", Duration.ofMillis(50), Duration.ofMillis(200), 2, 2);
        int port = start(Configs.pool("api", BalancePolicy.ROUND_ROBIN, Optional.of(hc), new PassiveHealth(2, Duration.ofSeconds(30)),
                a.endpoint(), b.endpoint()));
        String healthyB = "vigil_gateway_upstream_healthy{endpoint=\"" + b.endpoint() + "\",pool=\"api\"} ";
        b.close();
        awaitMetric(healthyB + "0");
        for (int i = 0; i < 10; i++) assertThat(get(port, "/hello").body()).isEqualTo("hello from a");
        TestBackend back = TestBackend.start("b", bPort);
        toClose.add(back);
        awaitMetric(healthyB + "1");
        boolean reachedB = false;
        for (int i = 0; i < 10 && !reachedB; i++) reachedB = get(port, "/hello").body().equals("hello from b");
        assertThat(reachedB).isTrue();
    }

    @Test void takesAnEndpointOutWhenItsHealthCheckFails() throws Exception {
        TestBackend a = backend("a");
        TestBackend b = backend("b");
        HealthCheck hc = new HealthCheck("/healthz", Duration.ofMillis(50), Duration.ofMillis(200), 1, 1);
        int port = start(Configs.pool("api", BalancePolicy.ROUND_ROBIN, Optional.of(hc), PassiveHealth.DEFAULTS, a.endpoint(), b.endpoint()));
        b.failHealth(true);
        awaitMetric("vigil_gateway_upstream_healthy{endpoint=\"" + b.endpoint() + "\",pool=\"api\"} 0");
        int before = b.requests();
        for (int i = 0; i < 10; i++) assertThat(get(port, "/hello").body()).isEqualTo("hello from a");
        assertThat(b.requests()).isEqualTo(before);
    }

    @Test void answers503FastWhenTheWholePoolIsDown() throws Exception {
        int dead1;
        int dead2;
        try (ServerSocket s1 = new ServerSocket(0); ServerSocket s2 = new ServerSocket(0)) {
            dead1 = s1.getLocalPort();
            dead2 = s2.getLocalPort();
        }
        int port = start(Configs.pool("api", BalancePolicy.ROUND_ROBIN, Optional.empty(), new PassiveHealth(1, Duration.ofSeconds(30)),
                "127.0.0.1:" + dead1, "127.0.0.1:" + dead2));
        assertThat(get(port, "/hello").statusCode()).isEqualTo(502); // both refused: ejected
        HttpResponse<String> r = get(port, "/hello");
        assertThat(r.statusCode()).isEqualTo(503);
        assertThat(r.headers().firstValue("retry-after")).hasValue("1");
        assertThat(r.body()).contains("no healthy endpoint in pool 'api'");
        String metrics = new String(gateway.scrapeMetrics(), StandardCharsets.UTF_8);
        assertThat(metrics).contains("vigil_gateway_upstream_failures_total{endpoint=\"127.0.0.1:" + dead1 + "\",pool=\"api\",reason=\"connect\"} 1.0");
        assertThat(metrics).contains("vigil_gateway_upstream_failures_total{endpoint=\"127.0.0.1:" + dead2 + "\",pool=\"api\",reason=\"connect\"} 1.0");
    }

    @Test void upstreamMetricsShowEachEndpointsOwnViewThatRetriesHideFromClients() throws Exception {
        TestBackend a = backend("a");
        TestBackend b = backend("b");
        a.forceStatus(503);
        // Two 503s in a row eject 'a' (the retry budget's floor, 2/s, covers the two retries before that).
        int port = start(Configs.pool("api", BalancePolicy.ROUND_ROBIN, Optional.empty(), new PassiveHealth(2, Duration.ofSeconds(30)),
                a.endpoint(), b.endpoint()));
        for (int i = 0; i < 6; i++) assertThat(get(port, "/hello").statusCode()).isEqualTo(200);
        // An exchange is recorded when its last byte was handed to the socket, maybe just after the client read it.
        awaitMetric("vigil_gateway_requests_total{route=\"all\",status=\"200\"} 6.0");
        String metrics = new String(gateway.scrapeMetrics(), StandardCharsets.UTF_8);
        // Clients saw six 200s; every request ended at b, directly or as the retry of one of a's two 503s.
        assertThat(metrics).contains("vigil_gateway_upstream_responses_total{endpoint=\"" + b.endpoint() + "\",pool=\"api\",status=\"200\"} 6.0");
        assertThat(metrics).contains("vigil_gateway_upstream_responses_total{endpoint=\"" + a.endpoint() + "\",pool=\"api\",status=\"503\"} 2.0");
        assertThat(metrics).contains("vigil_gateway_upstream_response_head_seconds_count{endpoint=\"" + b.endpoint() + "\",pool=\"api\"} 6");
        assertThat(metrics).contains("vigil_gateway_requests_total{route=\"all\",status=\"200\"} 6.0");
        assertThat(metrics).doesNotContain("vigil_gateway_requests_total{route=\"all\",status=\"503\"}");
    }

    @Test void spreadsOverEndpointsAtTheConnectionCapThenAnswers503() throws Exception {
        TestBackend a = backend("a");
        TestBackend b = backend("b");
        PoolConfig capped = new PoolConfig("api", List.of(dev.vigil.gateway.config.Endpoint.parse(a.endpoint()),
                dev.vigil.gateway.config.Endpoint.parse(b.endpoint())), BalancePolicy.ROUND_ROBIN, 1, Duration.ofSeconds(30),
                Optional.empty(), PassiveHealth.DEFAULTS);
        int port = start(capped);
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            Future<HttpResponse<String>> first = pool.submit(() -> get(port, "/slow?ms=600"));
            Future<HttpResponse<String>> second = pool.submit(() -> get(port, "/slow?ms=600"));
            Thread.sleep(200); // both slow requests hold their endpoint's only connection
            HttpResponse<String> third = get(port, "/hello");
            assertThat(third.statusCode()).isEqualTo(503);
            assertThat(third.body()).contains("max-connections");
            assertThat(List.of(first.get().body(), second.get().body())).containsExactlyInAnyOrder("slow from a", "slow from b");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test void reloadKeepsTheHealthOfUnchangedPoolsAndStartsChangedOnesAfresh() throws Exception {
        TestBackend b = backend("b");
        int dead;
        try (ServerSocket s = new ServerSocket(0)) {
            dead = s.getLocalPort();
        }
        PoolConfig pool = Configs.pool("api", BalancePolicy.ROUND_ROBIN, Optional.empty(), new PassiveHealth(1, Duration.ofSeconds(30)),
                "127.0.0.1:" + dead, b.endpoint());
        GatewayConfig first = Configs.single(pool, Configs.fastLimits());
        GatewayConfig[] next = {first};
        gateway = Gateway.builder(first).reloadFrom(() -> next[0]).workerThreads(2).start();
        int port = gateway.addresses().get(0).getPort();
        for (int i = 0; i < 2; i++) assertThat(get(port, "/hello").statusCode()).isEqualTo(200); // one hits 'dead': retried, ejected
        String deadHealthy = "vigil_gateway_upstream_healthy{endpoint=\"127.0.0.1:" + dead + "\",pool=\"api\"} ";
        awaitMetric(deadHealthy + "0");

        var extraRoute = new dev.vigil.gateway.config.Route("extra", "*", java.util.Set.of(), new dev.vigil.gateway.config.PathMatch.Prefix("/extra/"),
                "api", Configs.fastLimits());
        next[0] = Configs.config(List.of(extraRoute, first.routes().get(0)), List.of(pool), Configs.fastLimits());
        assertThat(gateway.reload().applied()).isTrue();
        awaitMetric(deadHealthy + "0"); // same pool definition: same live pool, still ejected

        PoolConfig changed = new PoolConfig("api", pool.endpoints(), pool.policy(), 32, pool.idleTimeout(), pool.health(), pool.passive());
        next[0] = Configs.single(changed, Configs.fastLimits());
        assertThat(gateway.reload().applied()).isTrue();
        awaitMetric(deadHealthy + "1"); // a changed pool starts afresh
    }

    @Test void answers504WhenConnectingTakesLongerThanTheConnectTimeout() throws Exception {
        // A loopback listener that never accepts: once its accept queue is full the kernel drops further SYNs,
        // so a connect hangs — exactly what a black-holed endpoint looks like.
        try (ServerSocket full = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            List<java.net.Socket> fillers = new ArrayList<>();
            try {
                for (int i = 0; i < 8; i++) {
                    java.net.Socket f = new java.net.Socket();
                    try {
                        f.connect(full.getLocalSocketAddress(), 200);
                        fillers.add(f);
                    } catch (java.io.IOException timedOut) {
                        f.close();
                        break; // the queue is full
                    }
                }
                int port = start(Configs.pool("api", "127.0.0.1:" + full.getLocalPort()));
                long t0 = System.nanoTime();
                HttpResponse<String> r = get(port, "/hello");
                long ms = (System.nanoTime() - t0) / 1_000_000;
                assertThat(r.statusCode()).isEqualTo(504);
                assertThat(r.body()).contains("cannot connect");
                assertThat(ms).isBetween(400L, 3000L); // fastLimits: connect-timeout 500 ms (retries find no other endpoint)
            } finally {
                for (java.net.Socket f : fillers) f.close();
            }
        }
    }

    @Test void staleKeepAliveConnectionClosedAsARequestArrivesNeverSurfaces() throws Exception {
        KeepAliveCloser closer = new KeepAliveCloser(KeepAliveCloser.Mode.CLOSE_ON_SECOND_REQUEST, 0);
        toClose.add(closer);
        int port = start(Configs.pool("api", BalancePolicy.ROUND_ROBIN, Optional.empty(), new PassiveHealth(2, Duration.ofSeconds(30)),
                closer.endpoint()));
        for (int i = 0; i < 20; i++) assertThat(get(port, "/x").statusCode()).isEqualTo(200);
        assertThat(closer.answered()).isEqualTo(20);
        assertThat(closer.connections()).isGreaterThan(10); // the gateway had to open fresh connections
        awaitMetric("vigil_gateway_requests_total{route=\"all\",status=\"200\"} 20.0");
        String metrics = new String(gateway.scrapeMetrics(), StandardCharsets.UTF_8);
        assertThat(metrics).containsPattern("vigil_gateway_upstream_failures_total\\{endpoint=\"" + closer.endpoint()
                + "\",pool=\"api\",reason=\"stale\"} ([1-9][0-9]*)\\.0");
        assertThat(metrics).contains("vigil_gateway_upstream_responses_total{endpoint=\"" + closer.endpoint() + "\",pool=\"api\",status=\"200\"} 20.0");
    }

    @Test void upstreamClosingIdleConnectionsNeverSurfacesEvenForPosts() throws Exception {
        KeepAliveCloser closer = new KeepAliveCloser(KeepAliveCloser.Mode.CLOSE_WHEN_IDLE, 30);
        toClose.add(closer);
        int port = start(Configs.pool("api", closer.endpoint()));
        for (int i = 0; i < 8; i++) {
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/x"))
                    .POST(HttpRequest.BodyPublishers.ofString("payload " + i)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            Thread.sleep(60); // longer than the upstream's idle timeout
        }
        assertThat(closer.answered()).isEqualTo(8);
    }

    /**
     * Holds the client connection's event loop — which is also the loop of its pooled upstream connections — for
     * {@value #STALL_MILLIS} ms on requests to {@code /stall}, so that an upstream close arriving meanwhile sits in
     * the kernel unprocessed when the proxy leases the connection: the race of a FIN "in flight", made certain.
     */
    private static final class EventLoopStall extends ChannelInboundHandlerAdapter {
        static final int STALL_MILLIS = 250;

        @Override public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof io.netty.handler.codec.http.HttpRequest r && r.uri().equals("/stall")) {
                try {
                    Thread.sleep(STALL_MILLIS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            ctx.fireChannelRead(msg);
        }
    }

    private static String post(String path, String extraHeaders, String body) {
        return "POST " + path + " HTTP/1.1\r\nHost: x\r\n" + extraHeaders + "Content-Length: " + body.length() + "\r\n\r\n" + body;
    }

    @Test void postOnAPooledConnectionTheUpstreamClosedUnnoticedGetsTheUpstreamsAnswer() throws Exception {
        assumeTrue(Transport.name().equals("epoll"), "the pool's kernel check needs TCP_INFO (epoll); NIO keeps this race");
        KeepAliveCloser closer = new KeepAliveCloser(KeepAliveCloser.Mode.CLOSE_WHEN_IDLE, 50);
        toClose.add(closer);
        gateway = Gateway.builder(Configs.single(Configs.pool("api", closer.endpoint()), Configs.fastLimits()))
                .policies(new PolicyStages(EventLoopStall::new, null, null)).workerThreads(1).start();
        try (RawHttp raw = new RawHttp(gateway.addresses().get(0).getPort())) {
            // Pipelined, so the second request is taken the moment the first one's connection went back to the pool,
            // whatever the test thread's own pace; the upstream closes that idle connection 50 ms into the stall.
            raw.send(post("/x", "", "first") + post("/stall", "", "second"));
            assertThat(raw.read().body()).isEqualTo("answer 1");
            RawHttp.Response r = raw.read();
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.body()).isEqualTo("answer 2");
        }
        assertThat(closer.connections()).isEqualTo(2);
    }

    @Test void staleConnectionAfterARetried503IsReplayedNotTakenForACutMidResponse() throws Exception {
        TestBackend failing = backend("failing");
        failing.forceStatus(503);
        KeepAliveCloser closer = new KeepAliveCloser(KeepAliveCloser.Mode.CLOSE_ON_SECOND_REQUEST, 0);
        toClose.add(closer);
        int port = start(Configs.pool("api", BalancePolicy.ROUND_ROBIN, Optional.empty(), new PassiveHealth(100, Duration.ofSeconds(30)),
                failing.endpoint(), closer.endpoint()));
        // Requests alternate; those sent to 'failing' get a 503 and are retried on the closer, whose pooled
        // connection (one request served) is then closed unanswered: a stale connection, replayed on a new one —
        // even though the first attempt already produced a response head (the 503).
        for (int i = 0; i < 4; i++) {
            HttpResponse<String> r = get(port, "/x");
            assertThat(r.statusCode()).as("request %d", i).isEqualTo(200);
            Thread.sleep(600); // keep within the retry budget's floor (2 retries per second)
        }
        assertThat(failing.requests()).isPositive();
    }

    @Test void postIsNeverSentTwiceWhenTheUpstreamReadItAndClosedWithoutAnswering() throws Exception {
        KeepAliveCloser closer = new KeepAliveCloser(KeepAliveCloser.Mode.CLOSE_ON_SECOND_REQUEST, 0);
        toClose.add(closer);
        int port = start(Configs.pool("api", closer.endpoint()));
        try (RawHttp raw = new RawHttp(port)) {
            assertThat(raw.send(post("/x", "", "a")).read().body()).isEqualTo("answer 1");
            // The upstream reads this one on the reused connection and closes unanswered: it may have acted on it,
            // so the gateway must not send it again, not even with an idempotency key (the idempotency stage
            // promises no second execution while the first may be under way).
            assertThat(raw.send(post("/x", "Idempotency-Key: k-1\r\n", "b")).read().status()).isEqualTo(502);
        }
        assertThat(closer.answered()).isEqualTo(1);
        assertThat(closer.connections()).isEqualTo(1);
    }

    private void awaitMetric(String line) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (System.nanoTime() < deadline) {
            if (new String(gateway.scrapeMetrics(), StandardCharsets.UTF_8).contains(line)) return;
            Thread.sleep(20);
        }
        assertThat(new String(gateway.scrapeMetrics(), StandardCharsets.UTF_8)).contains(line);
    }
}
