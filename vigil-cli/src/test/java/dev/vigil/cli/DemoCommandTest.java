package dev.vigil.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The demo end to end, shortened: backend and gateway on loopback, run through the gateway, both views,
 * result.json, latency.hlog, report.html.
 */
class DemoCommandTest {

    @Test
    void runsTheDemoThroughTheGatewayAndJudgesItFromBothSides(@TempDir Path dir) throws Exception {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Vigil.commandLine(new PrintWriter(out, true), new PrintWriter(err, true)).execute("demo",
                "--duration", "5s", "--warmup", "1s", "--out", dir.toString());

        String printed = out.toString();
        assertThat(printed).contains("vigil demo: sample backend on http://127.0.0.1:",
                "vigil demo: gateway on http://127.0.0.1:", "demo-gateway.yaml",
                "warming up for 1 s (not measured)", "demo-scenario.yaml for 5 s through the gateway",
                "create mission", "award bonus points (retry)", "leaderboard",
                "Load lab's view", "Gateway's view", "missions-write:latency:p99",
                "Report: " + dir.resolve("report.html"));
        JsonNode result = new ObjectMapper().readTree(dir.resolve("result.json").toFile());
        long sent = result.path("totals").path("count").asLong();
        assertThat(sent).isPositive();
        // the load lab's target is the gateway, not the backend
        assertThat(result.path("target").asText()).startsWith("http://127.0.0.1:");
        assertThat(printed).contains("gateway on " + result.path("target").asText() + " ");
        assertThat(result.path("slo").path("file").asText()).endsWith("gamification-slo.yaml");
        JsonNode gateway = result.path("gatewaySlo");
        assertThat(gateway.path("file").asText()).endsWith("gamification-slo.yaml");
        assertThat(gateway.path("objectives").size()).isEqualTo(result.path("slo").path("objectives").size());

        // the gateway saw the run's requests: its count is the load lab's (every request completes before the end)
        Matcher judged = Pattern.compile("Gateway: ([\\d,]+) requests judged \\(the load lab counted ([\\d,]+)\\)")
                .matcher(printed);
        assertThat(judged.find()).as(printed).isTrue();
        long gatewayCount = Long.parseLong(judged.group(1).replace(",", ""));
        assertThat(Long.parseLong(judged.group(2).replace(",", ""))).isEqualTo(sent);
        assertThat(gatewayCount).isBetween(sent - sent / 100, sent + sent / 100);
        // the gateway's policies were at work: leaderboard reads served from its cache, retried awards replayed
        assertThat(gateway.path("objectives").findValuesAsText("id")).contains("leaderboard:cache-hit-ratio");
        String cacheRow = row(gateway, "leaderboard:cache-hit-ratio").path("actual").asText();
        assertThat(cacheRow).endsWith("%").isNotEqualTo("0%");
        Matcher replays = Pattern.compile("idempotent replays +([\\d,]+)").matcher(printed);
        assertThat(replays.find()).isTrue();
        assertThat(Long.parseLong(replays.group(1).replace(",", ""))).isPositive();

        // exit 0 only when both views pass, whatever this (possibly busy) machine made of the run
        boolean failed = result.path("abortReason").isTextual() || !result.path("slo").path("passes").asBoolean()
                || !gateway.path("passes").asBoolean();
        assertThat(code).as("stderr: %s", err).isEqualTo(failed ? Vigil.BREACHED : Vigil.OK);
        assertThat(printed).contains(failed ? "Verdict: FAIL" : "Verdict: PASS in both views");
        if (!result.path("slo").path("passes").asBoolean()) assertThat(printed).contains("load lab's view breached");
        if (!gateway.path("passes").asBoolean()) assertThat(printed).contains("gateway's view breached");

        String html = Files.readString(dir.resolve("report.html"));
        assertThat(html).contains("demo-scenario.yaml", "<h2>Gateway's view</h2>", "SLO verdict: load lab's view");
        assertThat(dir.resolve("latency.hlog")).isNotEmptyFile();
    }

    @Test
    void directRunsWithoutTheGatewayAndHasOneView(@TempDir Path dir) throws Exception {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Vigil.commandLine(new PrintWriter(out, true), new PrintWriter(err, true)).execute("demo",
                "--direct", "--duration", "2s", "--warmup", "0s", "--out", dir.toString());

        assertThat(out.toString()).contains("demo-scenario.yaml for 2 s direct").doesNotContain("Gateway's view",
                "gateway on");
        JsonNode result = new ObjectMapper().readTree(dir.resolve("result.json").toFile());
        assertThat(result.path("gatewaySlo").isNull()).isTrue();
        boolean failed = result.path("abortReason").isTextual() || !result.path("slo").path("passes").asBoolean();
        assertThat(code).as("stderr: %s", err).isEqualTo(failed ? Vigil.BREACHED : Vigil.OK);
        assertThat(Files.readString(dir.resolve("report.html"))).doesNotContain("Gateway's view");
    }

    @Test
    void namesTheProblemOfABrokenGatewayFileWithExitCode2(@TempDir Path dir) throws Exception {
        Path bad = Files.writeString(dir.resolve("gw.yaml"), "listeners: []\nadmin: {port: 9901, token: x}\n");
        StringWriter err = new StringWriter();
        int code = Vigil.commandLine(new PrintWriter(new StringWriter(), true), new PrintWriter(err, true))
                .execute("demo", "--gateway", bad.toString(), "--out", dir.resolve("out").toString());
        assertThat(code).isEqualTo(Vigil.USAGE);
        assertThat(err.toString()).contains("gw.yaml:1:");
    }

    @Test
    void refusesDirectTogetherWithAGatewayFile(@TempDir Path dir) {
        StringWriter err = new StringWriter();
        int code = Vigil.commandLine(new PrintWriter(new StringWriter(), true), new PrintWriter(err, true))
                .execute("demo", "--direct", "--gateway", "examples/demo-gateway.yaml", "--out", dir.toString());
        assertThat(code).isEqualTo(Vigil.USAGE);
        assertThat(err.toString()).contains("--direct and --gateway exclude each other");
    }

    private static JsonNode row(JsonNode slo, String id) {
        for (JsonNode o : slo.path("objectives")) {
            if (o.path("id").asText().equals(id)) return o;
        }
        throw new AssertionError("no objective " + id + " in " + slo);
    }

    @Test
    void rejectsABadWarmupBeforeStartingAnything(@TempDir Path dir) {
        StringWriter err = new StringWriter();
        int code = Vigil.commandLine(new PrintWriter(new StringWriter(), true), new PrintWriter(err, true))
                .execute("demo", "--warmup", "soon", "--out", dir.toString());
        assertThat(code).isEqualTo(Vigil.USAGE);
        assertThat(err.toString()).startsWith("vigil demo: --warmup: ");
    }

    @Test
    void namesAMissingScenarioFile(@TempDir Path dir) {
        StringWriter err = new StringWriter();
        int code = Vigil.commandLine(new PrintWriter(new StringWriter(), true), new PrintWriter(err, true))
                .execute("demo", "--scenario", dir.resolve("nope.yaml").toString());
        assertThat(code).isEqualTo(Vigil.USAGE);
        assertThat(err.toString()).contains("nope.yaml does not exist");
    }

    @Test
    void findsTheExamplesFromTheCodeLocationWhenNotRunFromTheRepositoryRoot() throws Exception {
        // the tests run in vigil-cli/, where examples/ is not: the path next to the code is used
        assertThat(Path.of(DemoCommand.DEMO_SCENARIO)).doesNotExist();
        assertThat(DemoCommand.example(DemoCommand.DEMO_SCENARIO)).isRegularFile()
                .endsWith(Path.of("examples", "demo-scenario.yaml"));
    }
}
