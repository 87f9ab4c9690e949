package dev.vigil.load.report;

import dev.vigil.load.RunResult;
import dev.vigil.slo.Tier;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Realistic run results to render: a 60 s ramp with a stall, three steps, an SLO verdict and a stress search. */
final class ReportFixtures {
    /** Appears as the scenario file and a step name; must come out as text, never as markup. */
    static final String HOSTILE = "</script><script>alert('x')</script><img src=x onerror=alert(1)>";

    private ReportFixtures() {}

    static RunResult.Percentiles latency(double p50) {
        return new RunResult.Percentiles(p50, p50 * 1.8, p50 * 2.4, p50 * 5.2, p50 * 9.5, p50 * 21, p50 * 1.3);
    }

    static RunResult.Stats stats(long count, double rps, double p50, long e5xx, long timeouts, long late) {
        var errors = new RunResult.Errors(new RunResult.ByStatusClass(3, e5xx),
                new RunResult.ByCause(timeouts, 0, 1, e5xx, 0));
        return new RunResult.Stats(count, rps, latency(p50), latency(p50 * 0.8), errors, late);
    }

    static RunResult realisticRun() {
        List<RunResult.TimelinePoint> timeline = new ArrayList<>();
        for (int s = 1; s <= 60; s++) {
            double target = s <= 20 ? 200 + 15 * s : 500;
            boolean stall = s == 41 || s == 42;
            double achieved = stall ? target * 0.3 : target * (0.995 + 0.01 * Math.sin(s));
            double p50 = stall ? 180 : 4.8 + 0.4 * Math.sin(s / 3.0);
            timeline.add(new RunResult.TimelinePoint(s, target, achieved, stall ? 180 : 3 + s % 4, p50, p50 * 1.9,
                    stall ? 950 : p50 * 5.5, stall ? 1010 : p50 * 12, s % 17 == 0 ? 4 : stall ? 9 : 0, stall ? 320 : 0));
        }
        List<RunResult.PercentilePoint> dist = new ArrayList<>();
        double[] ps = {0, 10, 25, 50, 75, 90, 95, 99, 99.5, 99.9, 99.95, 99.99, 99.999, 100};
        for (double p : ps) {
            double svc = 3 + Math.pow(1 / (1 - Math.min(p, 99.999) / 100), 0.45);
            double lat = p < 99 ? svc * 1.05 : svc * (1 + (p - 98) * 3);
            dist.add(new RunResult.PercentilePoint(p, lat, svc));
        }
        var steps = List.of(
                new RunResult.StepResult("create mission", "POST", "writes", stats(6_012, 100.2, 5.1, 12, 0, 40)),
                new RunResult.StepResult("GET /missions/{{ id }}", "GET", "reads", stats(6_003, 100.0, 3.9, 0, 2, 38)),
                new RunResult.StepResult(HOSTILE, "GET", "reads", stats(12_040, 200.6, 4.2, 3, 0, 80)));
        var slo = new RunResult.SloResult("examples/gamification-slo.yaml", false, List.of(
                new RunResult.ObjectiveVerdict("reads.latency.p99", "Reads p99 latency", "100 ms", "200 ms", "500 ms",
                        "87.4 ms", Tier.TARGET),
                new RunResult.ObjectiveVerdict("writes.latency.p99", "Writes p99 latency", "150 ms", "250 ms", "600 ms",
                        "231 ms", Tier.ACCEPTABLE),
                new RunResult.ObjectiveVerdict("all.errors", "Error rate", "0.1%", "0.5%", "1%", "0.72%", Tier.CRITICAL),
                new RunResult.ObjectiveVerdict("all.availability", "Availability <b>bold?</b>", "99.9%", null, null,
                        "98.1%", Tier.BREACH)));
        var stress = new RunResult.StressResult(800.0, 600.0, List.of(
                new RunResult.StressStep(200, 199.8, 4.1, 18.0, 0.0, true, null),
                new RunResult.StressStep(400, 399.5, 4.4, 21.0, 0.0, true, null),
                new RunResult.StressStep(600, 598.0, 5.9, 48.0, 0.001, true, null),
                new RunResult.StressStep(800, 701.0, 140.0, 1200.0, 0.03, false, "p99 1200 ms > 500 ms (critical)")));
        return new RunResult("0.1.0", HOSTILE, "http://127.0.0.1:8080", Instant.parse("2026-11-25T08:00:00Z"),
                Instant.parse("2026-11-25T08:01:00.4Z"), 60.4, RunResult.Model.OPEN, false, null,
                stats(24_055, 400.2, 4.4, 15, 2, 158), steps, timeline, dist, slo, stress);
    }
}
