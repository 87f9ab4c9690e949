package dev.vigil.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.load.TinyHttpServer;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class LoadCommandTest {
    @TempDir Path dir;
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int vigil(String... args) {
        return Vigil.commandLine(new PrintWriter(out, true), new PrintWriter(err, true)).execute(args);
    }

    private Path scenario(String yaml) throws Exception {
        Path file = dir.resolve("load.yaml");
        Files.writeString(file, yaml);
        return file;
    }

    @Test
    void runsAScenarioPrintsTheSummaryAndWritesResultJson() throws Exception {
        try (TinyHttpServer server = new TinyHttpServer(req -> TinyHttpServer.Response.ok("{\"id\":1}"))) {
            Path file = scenario("""
                    target: %s
                    phases: [ { duration: 2s, arrivalRate: 50 } ]
                    scenarios:
                      - name: read
                        flow:
                          - get: /items
                          - get: /items/{{ randomInt(1, 9) }}
                            name: item
                    """.formatted(server.uri()));
            int code = vigil("load", file.toString(), "--out", dir.resolve("out").toString());

            assertThat(code).as(err.toString()).isZero();
            assertThat(out.toString()).contains("1s/2s").contains("GET /items").contains("item").contains("total");
            JsonNode json = new ObjectMapper().readTree(dir.resolve("out/result.json").toFile());
            assertThat(json.get("vigil").asText()).isEqualTo("0.1.0");
            assertThat(json.get("model").asText()).isEqualTo("open");
            assertThat(json.get("totals").get("count").asLong()).isEqualTo(200);
            assertThat(json.get("steps")).hasSize(2);
            assertThat(json.get("totals").get("latencyMs").has("p999")).isTrue();
            assertThat(json.get("totals").get("errors").get("byStatusClass").has("5xx")).isTrue();
            assertThat(json.get("timeline").size()).isGreaterThanOrEqualTo(2);
            assertThat(json.get("slo").isNull()).isTrue();
        }
    }

    @Test
    void failureCriteriaStopTheRunEarlyAndSayWhyWithExitCode1() throws Exception {
        try (TinyHttpServer server = new TinyHttpServer(req -> new TinyHttpServer.Response(503, java.util.Map.of(), "busy"))) {
            Path file = scenario("""
                    target: %s
                    phases: [ { duration: 20s, arrivalRate: 200 } ]
                    scenarios: [ { name: a, flow: [ { get: / } ] } ]
                    failure_criteria: { error_rate: "> 5%%" }
                    """.formatted(server.uri()));
            long started = System.nanoTime();
            int code = vigil("load", file.toString());

            assertThat(code).isEqualTo(1);
            assertThat((System.nanoTime() - started) / 1e9).isLessThan(10);
            assertThat(out.toString()).contains("Stopped early: failure criterion error_rate > 5% broken: error_rate was 100.00%");
        }
    }

    @Test
    void aBadScenarioFileIsAUsageErrorNamingLineColumnAndField() throws Exception {
        Path file = scenario("""
                target: http://127.0.0.1:1
                phases: [ { duration: 1m, arrivalRate: 10, rampto: 20 } ]
                scenarios: [ { name: a, flow: [ { get: / } ] } ]
                """);
        int code = vigil("load", file.toString());

        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("load.yaml:2:").contains("unknown key 'rampto'").contains("rampTo");
        assertThat(err.toString()).doesNotContain("Exception");
    }

    @Test
    void anUnreachableTargetIsOneLineBeforeTheRunStarts() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path file = scenario("""
                target: http://127.0.0.1:%d
                phases: [ { duration: 1m, arrivalRate: 10 } ]
                scenarios: [ { name: a, flow: [ { get: / } ] } ]
                """.formatted(port));
        int code = vigil("load", file.toString());

        assertThat(code).isEqualTo(2);
        assertThat(err.toString().strip()).isEqualTo("vigil load: cannot reach http://127.0.0.1:" + port
                + ": connection refused (is the server running?)");
        assertThat(out.toString()).doesNotContain("1s/");
    }

    @Test
    void stressFindsTheBreakingPointOfAServerThatSaturates() throws Exception {
        // One connection, 10 ms per request: at most 100 req/s. Steps of 15, 45 and 135 req/s: 45 uses the
        // connection less than half the time, so only a stall of ~300 ms (rare even on a busy CI machine) could
        // fail it; 135 overloads it by 35 req/s, so after 2 s about 70 requests queue (≈ 700 ms), well past 300 ms.
        try (TinyHttpServer server = new TinyHttpServer(req -> {
            TinyHttpServer.sleepUntil(req.arrivedNanos() + 10_000_000);
            return TinyHttpServer.Response.ok("ok");
        })) {
            Path file = scenario("""
                    target: %s
                    connections: 1
                    phases: [ { duration: 1m, arrivalRate: 1 } ]
                    scenarios: [ { name: a, flow: [ { get: / } ] } ]
                    failure_criteria: { p99: "> 300ms" }
                    """.formatted(server.uri()));
            int code = vigil("load", file.toString(), "--stress", "--stress-start", "15", "--stress-factor", "3",
                    "--stress-step-duration", "2s", "--stress-max", "640", "--out", dir.resolve("out").toString());

            assertThat(code).as(out + "\n" + err).isZero();
            JsonNode stress = new ObjectMapper().readTree(dir.resolve("out/result.json").toFile()).get("stress");
            assertThat(stress.get("highestPassingRps").asDouble()).as(out.toString()).isEqualTo(45.0);
            assertThat(stress.get("breakingPointRps").asDouble()).isEqualTo(135.0);
            assertThat(stress.get("steps")).hasSize(3);
            assertThat(stress.get("steps").get(2).get("reason").asText()).contains("p99");
            assertThat(out.toString()).contains("Breaking point: passed at 45/s, broke at 135/s.");
        }
    }

    @Test
    void stressOptionsWithoutStressAreAUsageError() throws Exception {
        Path file = scenario("""
                target: http://127.0.0.1:1
                phases: [ { duration: 1m, arrivalRate: 10 } ]
                scenarios: [ { name: a, flow: [ { get: / } ] } ]
                """);
        assertThat(vigil("load", file.toString(), "--stress-factor", "2")).isEqualTo(2);
        assertThat(err.toString()).contains("--stress-* options need --stress");
    }

    private Path slo() throws Exception {
        Path file = dir.resolve("slo.yaml");
        Files.writeString(file, """
                service: items-api
                routes:
                  item-read:
                    match: GET /items/{id}
                    latency:
                      p99: { target: 50ms, acceptable: 1s, critical: 2s }   # loose: CI machines are busy
                    error-rate: { target: 1%, acceptable: 2%, critical: 5% }
                  default:
                    latency: { p99: 1s }
                """);
        return file;
    }

    @Test
    void judgesTheRunWithTheSloFileAndPassesWithExitCode0() throws Exception {
        try (TinyHttpServer server = new TinyHttpServer(req -> TinyHttpServer.Response.ok("{}"))) {
            Path file = scenario("""
                    target: %s
                    phases: [ { duration: 2s, arrivalRate: 100 } ]
                    scenarios: [ { name: a, flow: [ { get: "/items/{{ randomInt(1, 100) }}", name: item } ] } ]
                    """.formatted(server.uri()));
            int code = vigil("load", file.toString(), "--slo", slo().toString(), "--out", dir.resolve("out").toString());

            assertThat(code).as(out + "\n" + err).isZero();
            JsonNode json = new ObjectMapper().readTree(dir.resolve("out/result.json").toFile());
            assertThat(json.get("slo").get("passes").asBoolean()).isTrue();
            assertThat(json.get("steps").get(0).get("routeGroup").asText()).isEqualTo("item-read");
            JsonNode objectives = json.get("slo").get("objectives");
            assertThat(objectives.size()).isGreaterThanOrEqualTo(3);
            assertThat(objectives.findValuesAsText("id")).anyMatch(id -> id.startsWith("item-read"));
            assertThat(out.toString()).contains("Objective").contains("Acceptable").contains("PASS");
        }
    }

    @Test
    void aBreachedObjectiveFailsWithExitCode1AndNamesIt() throws Exception {
        java.util.concurrent.atomic.AtomicInteger n = new java.util.concurrent.atomic.AtomicInteger();
        try (TinyHttpServer server = new TinyHttpServer(req -> n.incrementAndGet() % 10 == 0
                ? new TinyHttpServer.Response(503, java.util.Map.of(), "down") : TinyHttpServer.Response.ok("{}"))) {
            Path file = scenario("""
                    target: %s
                    phases: [ { duration: 2s, arrivalRate: 100 } ]
                    scenarios: [ { name: a, flow: [ { get: /items/7 } ] } ]
                    """.formatted(server.uri()));
            int code = vigil("load", file.toString(), "--slo", slo().toString());

            assertThat(code).isEqualTo(1);
            assertThat(out.toString()).contains("FAIL: breached").contains("item-read");
        }
    }

    @Test
    void aBadSloFileIsAUsageError() throws Exception {
        Path slo = dir.resolve("bad-slo.yaml");
        Files.writeString(slo, "service: x\nroutes:\n  a:\n    match: GET /a\n    latency: { p999: 1s }\n");
        Path file = scenario("""
                target: http://127.0.0.1:1
                phases: [ { duration: 1s, arrivalRate: 1 } ]
                scenarios: [ { name: a, flow: [ { get: / } ] } ]
                """);
        assertThat(vigil("load", file.toString(), "--slo", slo.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("bad-slo.yaml:5:");
    }

    @Test
    void ctrlCStopsTheRunAndStillWritesThePartialResult() throws Exception {
        try (TinyHttpServer server = new TinyHttpServer(req -> TinyHttpServer.Response.ok("ok"))) {
            Path file = scenario("""
                    target: %s
                    phases: [ { duration: 60s, arrivalRate: 50 } ]
                    scenarios: [ { name: a, flow: [ { get: / } ] } ]
                    """.formatted(server.uri()));
            int[] code = new int[1];
            Thread run = new Thread(() -> code[0] = vigil("load", file.toString(), "--out", dir.resolve("out").toString()));
            run.start();
            long deadline = System.nanoTime() + 20_000_000_000L;
            while (!out.toString().contains("1s/60s") && System.nanoTime() < deadline) Thread.sleep(20);
            assertThat(out.toString()).contains("1s/60s"); // the handler is installed before the first progress line
            sun.misc.Signal.raise(new sun.misc.Signal("INT"));
            run.join(15_000);

            assertThat(run.isAlive()).isFalse();
            assertThat(code[0]).isEqualTo(1);
            assertThat(err.toString()).contains("interrupted");
            JsonNode json = new ObjectMapper().readTree(dir.resolve("out/result.json").toFile());
            assertThat(json.get("interrupted").asBoolean()).isTrue();
            assertThat(json.get("durationSeconds").asDouble()).isLessThan(10);
            assertThat(json.get("totals").get("count").asLong()).isGreaterThan(40);
        }
    }

    @Test
    void targetAndDurationOverrideTheFile() throws Exception {
        try (TinyHttpServer server = new TinyHttpServer(req -> TinyHttpServer.Response.ok("ok"))) {
            Path file = scenario("""
                    target: http://127.0.0.1:1
                    phases: [ { duration: 1m, arrivalRate: 50, rampTo: 50 } ]
                    scenarios: [ { name: a, flow: [ { get: / } ] } ]
                    """);
            long started = System.nanoTime();
            int code = vigil("load", file.toString(), "--target", server.uri().toString(), "--duration", "2s",
                    "--out", dir.resolve("out").toString());

            assertThat(code).as(err.toString()).isZero();
            assertThat((System.nanoTime() - started) / 1e9).isLessThan(8);
            JsonNode json = new ObjectMapper().readTree(dir.resolve("out/result.json").toFile());
            assertThat(json.get("target").asText()).isEqualTo(server.uri().toString());
            assertThat(json.get("totals").get("count").asLong()).isEqualTo(100);
        }
    }

    @Test
    void stressJudgesEachStepByTheSloFileOnItsOwnRequests() throws Exception {
        try (TinyHttpServer server = new TinyHttpServer(req -> {
            TinyHttpServer.sleepUntil(req.arrivedNanos() + 10_000_000);
            return TinyHttpServer.Response.ok("ok");
        })) {
            Path slo = dir.resolve("stress-slo.yaml");
            Files.writeString(slo, """
                    service: one-connection
                    routes:
                      default:
                        latency:
                          p99: { target: 100ms, acceptable: 300ms, critical: 400ms }
                    """);
            Path file = scenario("""
                    target: %s
                    connections: 1
                    phases: [ { duration: 1m, arrivalRate: 1 } ]
                    scenarios: [ { name: a, flow: [ { get: / } ] } ]
                    """.formatted(server.uri()));
            int code = vigil("load", file.toString(), "--slo", slo.toString(), "--stress", "--stress-start", "15",
                    "--stress-factor", "3", "--stress-step-duration", "2s", "--stress-max", "640",
                    "--out", dir.resolve("out").toString());

            assertThat(code).as(out + "\n" + err).isZero();
            JsonNode stress = new ObjectMapper().readTree(dir.resolve("out/result.json").toFile()).get("stress");
            assertThat(stress.get("highestPassingRps").asDouble()).as(out.toString()).isEqualTo(45.0);
            assertThat(stress.get("breakingPointRps").asDouble()).isEqualTo(135.0);
            assertThat(stress.get("steps").get(2).get("reason").asText()).startsWith("SLO breached: default:latency:p99");
        }
    }
}
