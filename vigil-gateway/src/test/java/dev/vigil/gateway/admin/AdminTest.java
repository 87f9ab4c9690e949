package dev.vigil.gateway.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.gateway.Gateway;
import dev.vigil.gateway.config.GatewayFiles;
import dev.vigil.gateway.testing.RawHttp;
import dev.vigil.gateway.testing.TestBackend;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class AdminTest {
    private static final String TOKEN = "admin-token-for-tests-0123";
    @TempDir Path dir;
    private TestBackend a;
    private TestBackend b;
    private Path file;
    private Gateway gateway;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeEach void start() throws Exception {
        a = TestBackend.start("a");
        b = TestBackend.start("b");
        Files.copy(Path.of("..", "examples", "slo.yaml"), dir.resolve("slo.yaml"));
        file = dir.resolve("gateway.yaml");
        Files.writeString(file, gatewayFile("/", "api"));
        gateway = Gateway.builder(GatewayFiles.load(file)).reloadFrom(() -> GatewayFiles.load(file)).workerThreads(2).start();
    }

    @AfterEach void stop() {
        gateway.shutdown(Duration.ZERO);
        a.close();
        b.close();
    }

    private String gatewayFile(String otherPrefix, String otherPool) {
        return """
                listeners:
                  - address: 127.0.0.1
                    port: 0
                admin:
                  address: 127.0.0.1
                  port: 0
                  token: %s
                slo: slo.yaml
                upstreams:
                  api:
                    endpoints: [%s]
                  other:
                    endpoints: [%s]
                routes:
                  - name: other
                    prefix: %s
                    upstream: %s
                  - name: all
                    prefix: /
                    upstream: api
                """.formatted(TOKEN, a.endpoint(), b.endpoint(), otherPrefix.equals("/") ? "/nothing-matches-this/" : otherPrefix, otherPool);
    }

    private HttpResponse<String> admin(String method, String path, String token) throws Exception {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.adminAddress().getPort() + path))
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (token != null) r.header("Authorization", "Bearer " + token);
        return client.send(r.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.addresses().get(0).getPort() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test void probesNeedNoToken() throws Exception {
        assertThat(admin("GET", "/healthz", null).statusCode()).isEqualTo(200);
        assertThat(admin("GET", "/readyz", null).statusCode()).isEqualTo(200);
    }

    @Test void refusesAMissingOrWrongToken() throws Exception {
        for (String path : new String[] {"/metrics", "/api/slo"}) {
            HttpResponse<String> r = admin("GET", path, null);
            assertThat(r.statusCode()).isEqualTo(401);
            assertThat(r.headers().firstValue("www-authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
            assertThat(admin("GET", path, "wrong-token-wrong-token").statusCode()).isEqualTo(401);
        }
        assertThat(admin("POST", "/admin/reload", null).statusCode()).isEqualTo(401);
    }

    @Test void servesPrometheusMetricsThatPromtoolAccepts() throws Exception {
        for (int i = 0; i < 3; i++) assertThat(get("/hello").statusCode()).isEqualTo(200);
        assertThat(get("/nowhere").statusCode()).isEqualTo(404);
        HttpResponse<String> r = admin("GET", "/metrics", TOKEN);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/plain; version=0.0.4"));
        assertThat(r.body())
                .contains("vigil_gateway_requests_total{route=\"all\",status=\"200\"} 3")
                .contains("vigil_gateway_requests_total{route=\"all\",status=\"404\"} 1")
                .contains("vigil_gateway_request_duration_seconds_bucket{route=\"all\",status=\"200\",le=\"+Inf\"} 3")
                .contains("vigil_gateway_in_flight_requests 0")
                .contains("vigil_gateway_upstream_healthy{endpoint=\"" + a.endpoint() + "\",pool=\"api\"} 1");
        Path promtool = Path.of("/usr/bin/promtool");
        assumeTrue(Files.isExecutable(promtool), "promtool is not installed (apt-get install prometheus)");
        Process p = new ProcessBuilder(promtool.toString(), "check", "metrics").redirectErrorStream(true).start();
        p.getOutputStream().write(r.body().getBytes());
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
    }

    @Test void reportsTheSloFromTheEngine() throws Exception {
        for (int i = 0; i < 5; i++) get("/landing-pages/7");
        HttpResponse<String> r = admin("GET", "/api/slo", TOKEN);
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode json = new ObjectMapper().readTree(r.body());
        assertThat(json.get("service").asText()).isEqualTo("landing-pages-api");
        JsonNode objectives = json.get("objectives");
        assertThat(objectives.size()).isGreaterThan(3);
        boolean sawReadGroup = false;
        for (JsonNode o : objectives) {
            assertThat(o.get("tier").asText()).isIn("TARGET", "ACCEPTABLE", "CRITICAL", "BREACH");
            if (o.get("routeGroup").asText().equals("landing-page-read") && o.get("events").asLong() == 5) sawReadGroup = true;
        }
        assertThat(sawReadGroup).as("5 requests recorded under landing-page-read").isTrue();
        boolean sawBudget = false;
        for (JsonNode o : objectives) {
            if (o.has("budget")) {
                sawBudget = true;
                assertThat(o.get("budget").get("eligible").asLong()).isGreaterThanOrEqualTo(0);
                assertThat(o.get("burnRates").size()).isEqualTo(4); // two PAGE and two TICKET window pairs
                assertThat(o.get("burnRates").get(0).get("longWindow").asText()).isNotBlank();
            }
        }
        assertThat(sawBudget).as("budgeted objectives report their budget and burn rates").isTrue();
    }

    @Test void reloadsFromTheFileWithoutDroppingConnections() throws Exception {
        try (RawHttp raw = new RawHttp(gateway.addresses().get(0).getPort())) {
            assertThat(raw.send("GET /v2/hello HTTP/1.1\r\nHost: x\r\n\r\n").read().body()).isEqualTo("no such test path on a");
            Files.writeString(file, gatewayFile("/v2/", "other"));
            HttpResponse<String> r = admin("POST", "/admin/reload", TOKEN);
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).contains("\"applied\" : true");
            // Same keep-alive connection, new routes.
            assertThat(raw.send("GET /v2/hello HTTP/1.1\r\nHost: x\r\n\r\n").read().body()).isEqualTo("no such test path on b");
        }
    }

    @Test void refusesABrokenFileAndKeepsServingTheOldConfiguration() throws Exception {
        Files.writeString(file, gatewayFile("/", "api").replace("prefix: /\n", "prefx: /\n"));
        HttpResponse<String> r = admin("POST", "/admin/reload", TOKEN);
        assertThat(r.statusCode()).isEqualTo(422);
        assertThat(r.body()).contains("gateway.yaml:19:5: unknown key 'prefx'").contains("\"applied\" : false");
        assertThat(get("/hello").body()).isEqualTo("hello from a");
        assertThat(gateway.reload().applied()).isFalse();
    }

    @Test void reloadAcceptsNoConfigurationOverTheWire() throws Exception {
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.adminAddress().getPort() + "/admin/reload"))
                .header("Authorization", "Bearer " + TOKEN).POST(HttpRequest.BodyPublishers.ofString("routes: []")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(admin("GET", "/admin/reload", TOKEN).statusCode()).isEqualTo(405);
    }
}
