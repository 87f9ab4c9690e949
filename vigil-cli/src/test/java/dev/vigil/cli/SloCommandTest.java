package dev.vigil.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class SloCommandTest {
    private static final Path EXAMPLE = Path.of("..", "examples", "slo.yaml");
    private static final Path GAMIFICATION = Path.of("..", "examples", "gamification-slo.yaml");

    private record Run(int exit, String out, String err) {}

    private static Run run(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        int exit = Vigil.commandLine(new PrintWriter(out, true), new PrintWriter(err, true)).execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    void validateSaysOkWithCountsAndExitsZero() {
        Run r = run("slo", "validate", EXAMPLE.toString());
        assertThat(r.exit()).isZero();
        assertThat(r.out()).isEqualTo("OK: 6 route groups, 21 objectives (" + EXAMPLE + ")" + System.lineSeparator());
        assertThat(r.err()).isEmpty();
        assertThat(run("slo", "validate", GAMIFICATION.toString()).exit()).isZero();
    }

    @Test
    void validatePrintsEveryLocatedProblemAndExitsTwo(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("slo.yaml");
        Files.writeString(f, """
                service: shop
                routes:
                  api:
                    match: GET /items/{id}
                    latency:
                      p999: 300ms
                      p99: { target: 500ms, critical: 100ms }
                availability: 100.5%
                """);
        Run r = run("slo", "validate", f.toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.err().lines().toList()).containsExactly(
                f + ":6:7: unknown key 'p999' at routes.api.latency — did you mean 'p99.9'?",
                f + ":7:39: routes.api.latency.p99.critical: tiers out of order: target 500ms is looser than critical 100ms "
                        + "(lower is better here, so target <= acceptable <= critical)",
                f + ":8:15: availability: percentages over 100% are not allowed: '100.5%'; expected a percentage from 0% to 100% like 99.9%",
                "3 problems in " + f + "; see docs/slo-file.md for the format");
    }

    @Test
    void aMissingFileIsOneLineNotAStackTrace(@TempDir Path dir) {
        Path missing = dir.resolve("nope.yaml");
        Run r = run("slo", "validate", missing.toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).startsWith(missing + ": no such file").doesNotContain("Exception").doesNotContain("\tat ");
    }

    @Test
    void aYamlSyntaxErrorIsLocated(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("broken.yaml");
        Files.writeString(f, "service: x\nroutes:\n  api:\n   match: GET /a\n  - oops\n");
        Run r = run("slo", "explain", f.toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).startsWith(f + ":5:3: YAML syntax error").doesNotContain("Exception");
        assertThat(r.out()).isEmpty();
    }

    @Test
    void explainPrintsEveryObjectiveInPlainWordsWithItsBudget() {
        Run r = run("slo", "explain", EXAMPLE.toString());
        assertThat(r.exit()).isZero();
        assertThat(r.err()).isEmpty();
        assertThat(r.out())
                .startsWith("SLO for landing-pages-api (" + EXAMPLE + ")")
                .contains("  p99 of GET /landing-pages/{id} under 100 ms (acceptable 200 ms, critical 500 ms)\n")
                .contains("  p50 of GET /landing-pages/{id} under 20 ms\n")
                .contains("  at least 99% of GET /landing-pages/{id} requests complete in under 1 s (acceptable 98%, critical 95%)")
                .contains("  error rate of GET /landing-pages/{id} at most 0.1% (acceptable 0.5%, critical 1%) over the calendar month (Europe/Berlin); "
                        + "errors: 5xx, timeouts and connection failures\n    error budget: 43 min 50 s per month (0.1% of requests)\n")
                .contains("    error budget: 43 min 50 s per month, 8 h 45 min 58 s per year (0.1% of minutes)\n")
                .contains("  error rate of landing-page-write at most 0.5% (acceptable 1%, critical 2%) over a rolling 28 days; "
                        + "errors: 5xx, 429, timeouts and connection failures\n    error budget: 3 h 21 min 36 s per 28 days (0.5% of requests)\n")
                .contains("  throughput of all traffic: carry 2000 rps sustained and 5000 rps at peak\n")
                .contains("  cache hit ratio of GET /landing-pages/{id} at least 90% (acceptable 80%, critical 60%)\n")
                .contains("  plan enterprise (tenants acme, globex):\n")
                .contains("    p99 of GET /landing-pages/{id} under 80 ms (acceptable 150 ms, critical 400 ms)\n")
                .contains("  tenant initech (plan free):\n")
                .contains("  every Sunday at 03:00 for 30 min (Europe/Berlin): weekly database patching\n")
                .contains("  once on 2026-12-06 02:00 for 2 h (Europe/Berlin): storage migration\n")
                .contains("  health              * /health  (no objectives)\n");
    }

    @Test
    void sloWithoutASubcommandPrintsUsageAndExitsTwo() {
        Run r = run("slo");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("validate").contains("explain");
    }

    @Test
    void aMissingFileArgumentIsAUsageError() {
        Run r = run("slo", "validate");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("Missing required parameter: 'FILE'");
    }
}
