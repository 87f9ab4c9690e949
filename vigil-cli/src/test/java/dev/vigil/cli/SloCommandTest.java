package dev.vigil.cli;

import dev.vigil.slo.CacheResult;
import dev.vigil.slo.Failure;
import dev.vigil.slo.SloEngine;
import dev.vigil.slo.spec.RouteMatcher;
import dev.vigil.slo.spec.SloFiles;
import dev.vigil.slo.spec.SloSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

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
                // A percentile judged in good minutes has a budget of minutes over the file's period (calendar month).
                .contains("  p99 of GET /search under 400 ms (acceptable 600 ms, critical 1 s), in at least 99% of minutes\n"
                        + "    error budget: 7 h 18 min 18 s per month (1% of minutes)\n")
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

    /** Ten minutes of {@code GET /missions/5} judged by the gamification file, saved as `vigil slo report` reads it. */
    private static Path snapshotOfMissionReads(Path dir, int failedInLastMinute) throws Exception {
        SloSpec spec = SloFiles.load(GAMIFICATION);
        long[] millis = {Instant.parse("2027-03-01T10:00:00Z").toEpochMilli()};
        SloEngine engine = SloEngine.create(spec, () -> Instant.ofEpochMilli(millis[0]));
        String group = RouteMatcher.of(spec).groupFor("GET", "/missions/5");
        for (int m = 0; m < 10; m++) {
            for (int i = 0; i < 100; i++) {
                int status = m == 9 && i < failedInLastMinute ? 503 : 200;
                engine.record(group, "tenant-free", status, Failure.NONE, 4_000, CacheResult.HIT, millis[0]);
            }
            millis[0] += 60_000;
        }
        millis[0] -= 1;
        Path file = dir.resolve("capture.bin");
        Files.write(file, engine.snapshot().toBytes());
        return file;
    }

    @Test
    void reportJudgesASavedSnapshotAndExitsZeroWhenEveryObjectivePasses(@TempDir Path dir) throws Exception {
        Path snapshot = snapshotOfMissionReads(dir, 0);
        Run r = run("slo", "report", GAMIFICATION.toString(), "--snapshot", snapshot.toString());
        assertThat(r.err()).isEmpty();
        assertThat(r.exit()).isZero();
        // The default instant is the last millisecond of the snapshot's open minute (10:09).
        assertThat(r.out()).startsWith("SLA report for gamification-api at 2027-03-01T10:09:59.999Z (" + GAMIFICATION + ")\n"
                        + "21 of 21 objectives at least acceptable; alert: none\n")
                .contains("""
                        missions-read:latency:p50: p50 of GET /missions/{id} under 5 ms (acceptable 10 ms, critical 20 ms)
                          window    last 1h
                          measured  4 ms over 1000 requests
                          tier      TARGET
                        """)
                // Availability over 28 days: 0.1% of 28 days allowed, nothing used.
                .contains("  budget    40 min 19 s of 40 min 19 s left (0 s down so far)\n")
                .contains("  budget    100% of 1 failed request left (0 so far)\n  alert     none (fastest burn 0× over 1h)\n");
    }

    @Test
    void reportExitsOneWhenAnObjectiveBreachesAndShowsTheAlert(@TempDir Path dir) throws Exception {
        Path snapshot = snapshotOfMissionReads(dir, 15);
        Run r = run("slo", "report", GAMIFICATION.toString(), "--snapshot", snapshot.toString());
        assertThat(r.err()).isEmpty();
        assertThat(r.exit()).isEqualTo(1);
        // 15 of 1,000 reads failed, all in the last minute: 1.5% is over the 1% critical tier, and 15 times the budget of
        // 0.1% × 1,000 = 1 request. Burn = error share ÷ 0.1%: 15× over every window but the last 5 minutes
        // (15 of 500 = 3% → 30×). 28-day thresholds: 13.44 (1 h), 5.6 (6 h), 2.8 (1 d), 0.933 (3 d): all four fire.
        assertThat(r.out()).contains("""
                missions-read:error-rate: error rate of GET /missions/{id} at most 0.1% (acceptable 0.5%, critical 1%) over a rolling 28 days; \
                errors: 5xx, timeouts and connection failures
                  window    last 28d
                  measured  1.5% over 1000 requests
                  tier      BREACH
                  budget    overspent: 1500% used of 1 failed request (15 so far)
                  alert     PAGE: 1h/5m burning 15×/30× (page above 13.4×), 6h/30m burning 15×/15× (page above 5.6×), \
                1d/2h burning 15×/15× (ticket above 2.8×), 3d/6h burning 15×/15× (ticket above 0.933×)
                """).contains("; alert: PAGE\n");
    }

    @Test
    void reportAtALaterInstantSeesTheHourWindowEmpty(@TempDir Path dir) throws Exception {
        Path snapshot = snapshotOfMissionReads(dir, 0);
        Run r = run("slo", "report", GAMIFICATION.toString(), "--snapshot", snapshot.toString(), "--at", "2027-03-01T12:00:00Z");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).startsWith("SLA report for gamification-api at 2027-03-01T12:00:00Z")
                .contains("missions-read:latency:p50: p50 of GET /missions/{id} under 5 ms (acceptable 10 ms, critical 20 ms)\n"
                        + "  window    last 1h\n  measured  no traffic\n");
    }

    @Test
    void reportRejectsADamagedSnapshotABadInstantAndAMissingSnapshotInOneLine(@TempDir Path dir) throws Exception {
        Path damaged = dir.resolve("damaged.bin");
        Files.write(damaged, new byte[] {1, 2, 3, 4, 5});
        Run r = run("slo", "report", GAMIFICATION.toString(), "--snapshot", damaged.toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).startsWith("vigil: " + damaged + " is not an engine snapshot this Vigil reads: ")
                .doesNotContain("Exception").doesNotContain("\tat ").hasLineCount(1);

        Path missing = dir.resolve("nope.bin");
        r = run("slo", "report", GAMIFICATION.toString(), "--snapshot", missing.toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).startsWith("vigil: cannot read snapshot " + missing).hasLineCount(1);

        r = run("slo", "report", GAMIFICATION.toString(), "--snapshot", snapshotOfMissionReads(dir, 0).toString(), "--at", "yesterday");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).isEqualTo("vigil: --at 'yesterday' is not an ISO-8601 instant; write e.g. 2026-12-06T04:00:00Z" + System.lineSeparator());

        r = run("slo", "report", GAMIFICATION.toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("Missing required option: '--snapshot=SNAPSHOT.bin'");
    }
}
