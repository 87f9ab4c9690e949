package dev.vigil.gateway.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.gateway.Gateway;
import dev.vigil.gateway.config.GatewayFiles;
import dev.vigil.gateway.testing.TestBackend;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Reloading a changed SLO file through {@code POST /admin/reload}: a file that records requests the same way keeps
 * the measurements and judges them by the new targets at once; one that records differently restarts them and
 * says why on the gateway's log.
 */
class SloReloadTest {
    private static final String TOKEN = "admin-token-for-tests-0123";
    private static final String AVAILABILITY = "api:availability";
    @TempDir Path dir;
    private TestBackend backend;
    private Path sloFile;
    private Path gatewayFile;
    private Gateway gateway;
    private final ByteArrayOutputStream log = new ByteArrayOutputStream();
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeEach void start() throws Exception {
        backend = TestBackend.start("api");
        sloFile = dir.resolve("slo.yaml");
        Files.writeString(sloFile, sloFile("99.9%", "1000ms"));
        gatewayFile = dir.resolve("gateway.yaml");
        Files.writeString(gatewayFile, """
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
                routes:
                  - name: all
                    prefix: /
                    upstream: api
                """.formatted(TOKEN, backend.endpoint()));
        gateway = Gateway.builder(GatewayFiles.load(gatewayFile)).reloadFrom(() -> GatewayFiles.load(gatewayFile))
                .logTo(new PrintStream(log, true, StandardCharsets.UTF_8)).workerThreads(2).start();
    }

    @AfterEach void stop() {
        gateway.shutdown(Duration.ZERO);
        backend.close();
    }

    private static String sloFile(String availability, String fastEnough) {
        return """
                service: reload-test
                routes:
                  api:
                    match: GET /status
                    availability: %s
                    latency:
                      under:
                        %s: 99%%
                  default:
                    latency: { p99: 5s }
                """.formatted(availability, fastEnough);
    }

    @Test void tighterTargetKeepsTheMeasurementsAndAnotherLatencyThresholdRestartsThem() throws Exception {
        for (int i = 0; i < 18; i++) assertThat(get("/status?code=200").statusCode()).isEqualTo(200);
        for (int i = 0; i < 2; i++) assertThat(get("/status?code=500").statusCode()).isEqualTo(500);
        JsonNode before = awaitEvents(AVAILABILITY, 20);
        assertThat(before.get("budget").get("fraction").asDouble()).isEqualTo(0.001);
        assertThat(before.get("budget").get("bad").asLong()).isEqualTo(2);

        // An unchanged SLO file keeps the engine, as it always did.
        assertThat(reload().statusCode()).isEqualTo(200);
        assertThat(objective(AVAILABILITY).get("events").asLong()).isEqualTo(20);

        // A tighter target, and a comment: only evaluation changes, the 20 requests stay.
        Files.writeString(sloFile, "# tightened after the Q4 review\n" + sloFile("99.95%", "1000ms"));
        HttpResponse<String> r = reload();
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("\"applied\" : true").doesNotContain("restart");
        JsonNode tighter = objective(AVAILABILITY);
        assertThat(tighter.get("events").asLong()).isEqualTo(20);
        assertThat(tighter.get("budget").get("bad").asLong()).isEqualTo(2);
        assertThat(tighter.get("budget").get("fraction").asDouble()).isEqualTo(0.0005);
        assertThat(objective("api:latency:under-1000ms").get("events").asLong()).isEqualTo(20);
        assertThat(log.toString(StandardCharsets.UTF_8)).isEqualTo(
                ("vigil gateway: reloaded (POST /admin/reload)" + System.lineSeparator()).repeat(2));

        // Another latency threshold changes what each request increments: measurements restart, and the log says why.
        Files.writeString(sloFile, sloFile("99.95%", "500ms"));
        HttpResponse<String> restarted = reload();
        assertThat(restarted.statusCode()).isEqualTo(200);
        // The operator who reloaded over HTTP is told too, not only the log.
        assertThat(new ObjectMapper().readTree(restarted.body()).get("warnings").get(0).asText())
                .startsWith("SLO measurements restart: route group 'api' has different latency thresholds");
        assertThat(objective(AVAILABILITY).get("events").asLong()).isZero();
        assertThat(objective("api:latency:under-500ms").get("events").asLong()).isZero();
        assertThat(log.toString(StandardCharsets.UTF_8)).endsWith("vigil gateway: reloaded (POST /admin/reload) (SLO measurements"
                + " restart: route group 'api' has different latency thresholds (new 500ms for api:latency:under-500ms;"
                + " no longer 1000ms for api:latency:under-1000ms))" + System.lineSeparator());

        // The new engine records on.
        assertThat(get("/status?code=200").statusCode()).isEqualTo(200);
        assertThat(awaitEvents(AVAILABILITY, 1).get("budget").get("bad").asLong()).isZero();
    }

    @Test void droppingTheSloFileSaysTheMeasurementsAreGone() throws Exception {
        assertThat(get("/status?code=200").statusCode()).isEqualTo(200);
        Files.writeString(gatewayFile, Files.readString(gatewayFile).replace("slo: slo.yaml\n", ""));
        HttpResponse<String> r = reload();
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(new ObjectMapper().readTree(r.body()).get("warnings").get(0).asText())
                .isEqualTo("SLO measurements dropped: the gateway file no longer names an SLO file");
        assertThat(log.toString(StandardCharsets.UTF_8)).isEqualTo("vigil gateway: reloaded (POST /admin/reload)"
                + " (SLO measurements dropped: the gateway file no longer names an SLO file)" + System.lineSeparator());
    }

    private HttpResponse<String> get(String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.addresses().get(0).getPort() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> reload() throws Exception {
        return admin("POST", "/admin/reload");
    }

    private HttpResponse<String> admin(String method, String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.adminAddress().getPort() + path))
                .method(method, HttpRequest.BodyPublishers.noBody()).header("Authorization", "Bearer " + TOKEN).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode objective(String id) throws Exception {
        HttpResponse<String> r = admin("GET", "/api/slo");
        assertThat(r.statusCode()).isEqualTo(200);
        for (JsonNode o : new ObjectMapper().readTree(r.body()).get("objectives")) {
            if (o.get("id").asText().equals(id)) return o;
        }
        throw new AssertionError("no objective " + id + " in " + r.body());
    }

    /** The objective once the gateway has recorded {@code events} requests (it records after the last byte is out). */
    private JsonNode awaitEvents(String id, long events) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        JsonNode o = objective(id);
        while (o.get("events").asLong() < events && System.nanoTime() - deadline < 0) {
            Thread.sleep(10);
            o = objective(id);
        }
        assertThat(o.get("events").asLong()).isEqualTo(events);
        return o;
    }
}
