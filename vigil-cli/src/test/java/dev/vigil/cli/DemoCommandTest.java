package dev.vigil.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The demo end to end, shortened: backend on loopback, run, summary, result.json, latency.hlog, report.html. */
class DemoCommandTest {

    @Test
    void runsTheDemoScenarioAgainstTheSampleBackendAndWritesTheReport(@TempDir Path dir) throws Exception {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Vigil.commandLine(new PrintWriter(out, true), new PrintWriter(err, true)).execute("demo",
                "--duration", "3s", "--warmup", "1s", "--out", dir.toString());

        assertThat(out.toString()).contains("vigil demo: sample backend on http://127.0.0.1:",
                "warming up for 1 s (not measured)", "demo-scenario.yaml for 3 s",
                "create mission", "read profile", "leaderboard", "Report: " + dir.resolve("report.html"));
        assertThat(dir.resolve("report.html")).isNotEmptyFile();
        assertThat(dir.resolve("latency.hlog")).isNotEmptyFile();
        JsonNode result = new ObjectMapper().readTree(dir.resolve("result.json").toFile());
        assertThat(result.path("totals").path("count").asLong()).isPositive();
        assertThat(result.path("target").asText()).startsWith("http://127.0.0.1:");
        // judged by the example SLO file with vigil-slo's engine: the verdict table is printed and recorded
        assertThat(result.path("slo").path("file").asText()).endsWith("gamification-slo.yaml");
        assertThat(result.path("slo").path("objectives").size()).isGreaterThan(10);
        assertThat(out.toString()).contains("Objective", "Acceptable", "Critical", "missions-write:latency:p99");
        // the exit code is the run's verdict, whatever this (possibly busy) machine made of it
        boolean failed = result.path("abortReason").isTextual()
                || (result.path("slo").isObject() && !result.path("slo").path("passes").asBoolean());
        assertThat(code).as("stderr: %s", err).isEqualTo(failed ? Vigil.BREACHED : Vigil.OK);
        assertThat(Files.readString(dir.resolve("report.html"))).contains("demo-scenario.yaml");
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
