package dev.vigil.gateway.telemetry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.gateway.Gateway;
import dev.vigil.gateway.config.GatewayConfig;
import dev.vigil.gateway.pipeline.RouteGroups;
import dev.vigil.gateway.testing.Configs;
import dev.vigil.gateway.testing.RawHttp;
import dev.vigil.gateway.testing.TestBackend;
import dev.vigil.slo.CacheResult;
import dev.vigil.slo.Failure;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

class TelemetryTest {
    record Recorded(String group, String tenant, int status, Failure failure, long latencyMicros, CacheResult cache, long epochMillis) {}

    private final List<Recorded> recorded = new CopyOnWriteArrayList<>();
    private final ByteArrayOutputStream accessLog = new ByteArrayOutputStream();
    private TestBackend backend;
    private Gateway gateway;
    private int port;

    @BeforeEach void start() throws Exception {
        backend = TestBackend.start("a");
        GatewayConfig base = Configs.single(Configs.pool("api", backend.endpoint()), Configs.fastLimits());
        GatewayConfig cfg = new GatewayConfig(base.source(), base.listeners(), base.admin(), base.routes(), base.pools(), base.limits(),
                base.slo(), base.trustedProxies(), "X-Tenant", true, 0.2, Duration.ofSeconds(2));
        SloBinding capture = new SloBinding() {
            @Override public RouteGroups routeGroups() {
                return new RouteGroups() {
                    @Override public String groupFor(String method, String path) {
                        return path.startsWith("/slow") ? "slow-group" : "fast-group";
                    }

                    @Override public String defaultGroup() { return "fallback-group"; }
                };
            }

            @Override public SloSink sink() {
                return (g, t, s, f, l, c, e) -> recorded.add(new Recorded(g, t, s, f, l, c, e));
            }

            @Override public Optional<byte[]> reportJson() { return Optional.empty(); }
        };
        InstantSource clock = InstantSource.fixed(Instant.parse("2026-11-25T08:00:00Z"));
        gateway = Gateway.builder(cfg).slo(c -> capture).clock(clock).accessLogTo(new PrintStream(accessLog, true)).workerThreads(2).start();
        port = gateway.addresses().get(0).getPort();
    }

    @AfterEach void stop() {
        gateway.shutdown(Duration.ZERO);
        backend.close();
    }

    @Test void recordsEveryRequestWithGroupTenantStatusAndLatency() throws Exception {
        try (RawHttp raw = new RawHttp(port)) {
            assertThat(raw.send("GET /hello HTTP/1.1\r\nHost: x\r\nX-Tenant: acme\r\n\r\n").read().status()).isEqualTo(200);
            assertThat(raw.send("GET /slow?ms=120 HTTP/1.1\r\nHost: x\r\n\r\n").read().status()).isEqualTo(200);
            assertThat(raw.send("GET /status?code=500 HTTP/1.1\r\nHost: x\r\nX-Tenant: bad tenant!\r\n\r\n").read().status()).isEqualTo(500);
        }
        awaitRecords(3);
        assertThat(recorded.get(0)).extracting(Recorded::group, Recorded::tenant, Recorded::status, Recorded::failure, Recorded::cache)
                .containsExactly("fast-group", "acme", 200, Failure.NONE, CacheResult.NONE);
        assertThat(recorded.get(1).group()).isEqualTo("slow-group");
        assertThat(recorded.get(1).tenant()).isEqualTo("anonymous");
        assertThat(recorded.get(1).latencyMicros()).isBetween(120_000L, 2_000_000L);
        assertThat(recorded.get(1).epochMillis()).isEqualTo(Instant.parse("2026-11-25T08:00:00Z").toEpochMilli());
        assertThat(recorded.get(2).status()).isEqualTo(500);
        assertThat(recorded.get(2).tenant()).isEqualTo("anonymous"); // unusable header value
    }

    @Test void recordsRejectionsAndClientResetsToo() throws Exception {
        try (RawHttp raw = new RawHttp(port)) {
            raw.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n").read();
        }
        try (RawHttp raw = new RawHttp(port)) {
            raw.send("GET /slow?ms=2000 HTTP/1.1\r\nHost: x\r\n\r\n");
            Thread.sleep(100);
        } // client gives up mid-request
        awaitRecords(2);
        assertThat(recorded.get(0).status()).isEqualTo(400);
        assertThat(recorded.get(0).group()).isEqualTo("fallback-group"); // no usable path: the default group
        assertThat(recorded.get(1).failure()).isEqualTo(Failure.RESET);
        assertThat(recorded.get(1).status()).isZero();
    }

    @Test void writesOneJsonAccessLogLinePerRequest() throws Exception {
        try (RawHttp raw = new RawHttp(port)) {
            raw.send("GET /hello?q=1 HTTP/1.1\r\nHost: api.test\r\nX-Request-Id: req-1\r\nX-Tenant: acme\r\n\r\n").read();
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(3).toNanos();
        while (accessLog.size() == 0 && System.nanoTime() < deadline) Thread.sleep(10);
        String[] lines = accessLog.toString(StandardCharsets.UTF_8).split("\n");
        assertThat(lines).hasSize(1);
        JsonNode line = new ObjectMapper().readTree(lines[0]);
        assertThat(line.get("requestId").asText()).isEqualTo("req-1");
        assertThat(line.get("method").asText()).isEqualTo("GET");
        assertThat(line.get("path").asText()).isEqualTo("/hello");
        assertThat(line.get("host").asText()).isEqualTo("api.test");
        assertThat(line.get("status").asInt()).isEqualTo(200);
        assertThat(line.get("tenant").asText()).isEqualTo("acme");
        assertThat(line.get("upstream").asText()).isEqualTo(backend.endpoint());
        assertThat(line.get("latencyMicros").asLong()).isPositive();
        // The upstream's share: its response head came after the request was handed over and before the client's last byte.
        assertThat(line.get("upstreamHeadMicros").asLong()).isBetween(0L, line.get("latencyMicros").asLong());
    }

    @Test void gracefulShutdownFinishesRequestsInFlightAndClosesTheirConnections() throws Exception {
        try (RawHttp raw = new RawHttp(port)) {
            raw.send("GET /slow?ms=300 HTTP/1.1\r\nHost: x\r\n\r\n");
            Thread.sleep(50);
            Thread stopper = Thread.ofPlatform().start(() -> gateway.shutdown(Duration.ofSeconds(3)));
            RawHttp.Response r = raw.read();
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.body()).isEqualTo("slow from a");
            assertThat(r.header("connection")).isEqualTo("close");
            stopper.join();
        }
        try (java.net.Socket s = new java.net.Socket()) {
            s.connect(new java.net.InetSocketAddress("127.0.0.1", port), 500);
            org.assertj.core.api.Assertions.fail("the listener still accepts connections");
        } catch (java.io.IOException expected) {
            // refused: the gateway stopped accepting
        }
    }

    private void awaitRecords(int n) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(3).toNanos();
        while (recorded.size() < n && System.nanoTime() < deadline) Thread.sleep(5);
        assertThat(recorded).hasSize(n);
    }
}
