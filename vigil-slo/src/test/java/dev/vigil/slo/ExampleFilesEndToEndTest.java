package dev.vigil.slo;

import dev.vigil.slo.config.ConfigException;
import dev.vigil.slo.explain.ReportText;
import dev.vigil.slo.spec.BudgetingMethod;
import dev.vigil.slo.spec.RouteMatcher;
import dev.vigil.slo.spec.SloFiles;
import dev.vigil.slo.spec.SloSpec;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import static dev.vigil.slo.Specs.result;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The shipped example files, read from disk, judging a synthetic traffic pattern routed from real request lines.
 * Every expected figure is worked out by hand in the comments, from the YAML and the traffic, not taken from the
 * engine.
 */
class ExampleFilesEndToEndTest {
    private static final Path EXAMPLES = Path.of("..", "examples");

    /** Routes request lines with the file's own matcher and records them at the clock's time. */
    private record Traffic(SloEngine engine, RouteMatcher routes, TestClock clock) {
        static Traffic of(SloSpec spec, TestClock clock) {
            return new Traffic(SloEngine.create(spec, clock), RouteMatcher.of(spec), clock);
        }

        /** {@code count} requests like {@code GET /landing-pages/42}; the first {@code failed} of them get a 503. */
        void send(int count, String requestLine, String tenant, int failed, int failStatus, long latencyMicros, CacheResult cache) {
            int space = requestLine.indexOf(' ');
            String group = routes.groupFor(requestLine.substring(0, space), requestLine.substring(space + 1));
            for (int i = 0; i < count; i++) {
                engine.record(group, tenant, i < failed ? failStatus : 200, Failure.NONE, latencyMicros, cache, clock.millis());
            }
        }

        void send(int count, String requestLine, String tenant, int failed, long latencyMicros) {
            send(count, requestLine, tenant, failed, 503, latencyMicros, CacheResult.NONE);
        }
    }

    @Test
    void landingPagesExampleJudgesPlansTenantsMaintenanceAndAPercentileInGoodMinutes() throws ConfigException {
        SloSpec spec = SloFiles.load(EXAMPLES.resolve("slo.yaml"));
        // Sunday 2026-12-06, 00:00Z = 01:00 Berlin. The file's one-off maintenance runs 02:00–04:00 Berlin that day
        // (01:00Z–03:00Z, run minutes 60..179) and swallows the weekly Sunday 03:00–03:30 window.
        TestClock clock = TestClock.at("2026-12-06T00:00:00Z");
        Traffic t = Traffic.of(spec, clock);
        assertThat(t.routes().groupFor("HEAD", "/landing-pages/42")).isEqualTo("landing-page-read");  // HEAD is GET
        assertThat(t.routes().groupFor("GET", "/search?q=shoes")).isEqualTo("search");
        assertThat(t.routes().groupFor("GET", "/health")).isEqualTo("health");

        for (int m = 0; m < 240; m++) {
            // umbrella (no plan): 20 reads a minute at 30 ms; all fail in minutes 90..99 (inside maintenance),
            // 3 of 20 fail in minutes 200..204.
            int umbrellaFailed = m >= 90 && m < 100 ? 20 : m >= 200 && m < 205 ? 3 : 0;
            t.send(20, "GET /landing-pages/42", "umbrella", umbrellaFailed, 30_000);
            // initech (free, its own p99 override of 250 ms): 20 reads at 120 ms.
            t.send(20, "GET /landing-pages/7", "initech", 0, 120_000);
            // acme (enterprise plan): 10 HEAD requests at 90 ms; 1 fails in minute 210.
            t.send(10, "HEAD /landing-pages/42", "acme", m == 210 ? 1 : 0, 90_000);
            // search: 10 a minute at 300 ms, at 550 ms in minutes 220..229 (p99 over the 400 ms target).
            t.send(10, "GET /search?q=shoes", "umbrella", 0, m >= 220 && m < 230 ? 550_000 : 300_000);
            t.send(1, "GET /health", "umbrella", 0, 1_000);
            clock.advance(Duration.ofMinutes(1));
        }
        clock.advance(Duration.ofSeconds(-1));  // now = 03:59:59Z, inside run minute 239
        SloReport report = t.engine().evaluate();

        // December in Berlin: 31 days = 44,640 minutes; maintenance: the 2 h one-off plus three other Sundays' 30 min
        // = 210 minutes, leaving 44,430. Burn thresholds use the whole month: 2% × 44,640 ÷ 60 = 14.88 (1 h),
        // 5% × 44,640 ÷ 360 = 6.2 (6 h), 10% × 44,640 ÷ 1,440 = 3.1 (1 d), 10% × 44,640 ÷ 4,320 = 1.0333… (3 d).

        // General availability (time slices, 99.9%, a minute is down above 5% errors), without acme (enterprise).
        // Minutes with traffic outside maintenance: 0..59 and 180..239 = 120; down: 200..204 (3 of 51 = 5.9%) = 5.
        // Minutes 90..99 failed completely but are maintenance.
        ObjectiveResult availability = result(report, "*:availability");
        assertThat(availability.window()).isEqualTo(Window.calendarMonth(java.time.ZoneId.of("Europe/Berlin")));
        assertThat(availability.measured()).isEqualTo("95.8333% (115 of 120 minutes good)");
        assertThat(availability.tier()).isEqualTo(Tier.BREACH);  // under the 99% critical tier
        Budget budget = availability.budget().orElseThrow();
        assertThat(budget.method()).isEqualTo(BudgetingMethod.TIMESLICES);
        assertThat(budget.periodStart()).isEqualTo(Instant.parse("2026-11-30T23:00:00Z"));
        assertThat(budget.periodEnd()).isEqualTo(Instant.parse("2026-12-31T23:00:00Z"));
        assertThat(budget.eligible()).isEqualTo(120);
        assertThat(budget.bad()).isEqualTo(5);
        assertThat(budget.total()).isCloseTo(44.43, within(1e-9));  // 0.1% of 44,430 minutes
        assertThat(budget.consumed()).isCloseTo(5 / 44.43, within(1e-12));
        assertThat(budget.totalTime()).contains(Duration.ofMillis(2_665_800));  // 44.43 min = 44 min 25.8 s
        assertThat(budget.consumedTime()).contains(Duration.ofMinutes(5));
        assertThat(budget.remainingTime()).contains(Duration.ofMillis(2_665_800 - 300_000));
        // Burn rate = bad share ÷ 0.1%. 1 h: 5 of 60 → 83.3; 6 h, 1 d, 3 d: 5 of 120 → 41.7; 5 m and 30 m: none bad;
        // 2 h (120..239, maintenance out): 5 of 60 → 83.3. So both TICKET pairs fire, neither PAGE pair.
        assertBurns(availability, new double[] {83.333_333_333, 41.666_666_667, 41.666_666_667, 41.666_666_667},
                new double[] {0, 0, 83.333_333_333, 41.666_666_667}, false, false, true, true);
        assertThat(availability.alert()).isEqualTo(AlertState.TICKET);

        // Enterprise availability override (99.95%: budget 0.05%), acme only: 120 minutes, 1 down (minute 210, 1 of 10).
        ObjectiveResult enterprise = result(report, "*:availability@plan=enterprise");
        assertThat(enterprise.measured()).isEqualTo("99.1666% (119 of 120 minutes good)");
        assertThat(enterprise.tier()).isEqualTo(Tier.BREACH);
        assertThat(enterprise.budget().orElseThrow().totalTime()).contains(Duration.ofMillis(1_332_900));  // 0.05% of 44,430 min
        assertThat(enterprise.budget().orElseThrow().consumedTime()).contains(Duration.ofMinutes(1));
        // 1 h: 1 of 60 ÷ 0.05% = 33.3; 6 h, 1 d, 3 d: 1 of 120 → 16.7; 5 m: 0; 30 m (210..239): 1 of 30 → 66.7;
        // 2 h (only 180..239 outside maintenance): 33.3. The 6 h / 30 m PAGE pair fires.
        assertBurns(enterprise, new double[] {33.333_333_333, 16.666_666_667, 16.666_666_667, 16.666_666_667},
                new double[] {0, 66.666_666_667, 33.333_333_333, 16.666_666_667}, false, true, true, true);
        assertThat(enterprise.alert()).isEqualTo(AlertState.PAGE);

        // p99 of landing-page reads over the last hour: the general objective sees umbrella only (30 ms), the
        // overrides see their own tenants: initech 120 ms under its 250 ms target, acme 90 ms over 80 but under 150.
        assertThat(result(report, "landing-page-read:latency:p99").measured()).isEqualTo("30 ms");
        assertThat(result(report, "landing-page-read:latency:p99").tier()).isEqualTo(Tier.TARGET);
        assertThat(result(report, "landing-page-read:latency:p99@tenant=initech").measured()).isEqualTo("120 ms");
        assertThat(result(report, "landing-page-read:latency:p99@tenant=initech").tier()).isEqualTo(Tier.TARGET);
        assertThat(result(report, "landing-page-read:latency:p99@plan=enterprise").measured()).isEqualTo("90 ms");
        assertThat(result(report, "landing-page-read:latency:p99@plan=enterprise").tier()).isEqualTo(Tier.ACCEPTABLE);
        assertThat(result(report, "landing-page-read:latency:p99@plan=enterprise").events()).isEqualTo(600);

        // Error rate of reads (events, every tenant; maintenance does not excuse errors): 50 reads × 240 minutes =
        // 12,000; errors 200 + 15 + 1 = 216 = 1.8%. Budget 0.1% of 12,000 = 12 requests, spent 18 times over.
        ObjectiveResult errors = result(report, "landing-page-read:error-rate");
        assertThat(errors.measured()).isEqualTo("1.8%");
        assertThat(errors.tier()).isEqualTo(Tier.BREACH);
        assertThat(errors.budget().orElseThrow().total()).isCloseTo(12.0, within(1e-9));
        assertThat(errors.budget().orElseThrow().consumed()).isCloseTo(18.0, within(1e-9));
        assertThat(errors.budget().orElseThrow().remaining()).isCloseTo(-17.0, within(1e-9));
        // 3 d / 6 h: 216 of 12,000 ÷ 0.1% = 18 over both windows → TICKET; 1 d / 2 h: 16 of 6,000 → 2.67 < 3.1.
        assertThat(errors.alert()).isEqualTo(AlertState.TICKET);

        // search p99 with good-minutes 99%: a budget of 1% of the month's minutes (446.4), 10 bad minutes of 240.
        ObjectiveResult search = result(report, "search:latency:p99");
        assertThat(search.window()).isEqualTo(availability.window());
        // Month p99: rank ⌈0.99 × 2,400⌉ = 2,376 falls among the 100 slow requests. Per minute: 230 of 240 within
        // 400 ms (95.8% < 99%), all within 600 ms → ACCEPTABLE.
        assertThat(search.measured()).isEqualTo("550 ms; 95.8333% of 240 minutes within 400 ms");
        assertThat(search.tier()).isEqualTo(Tier.ACCEPTABLE);
        Budget minutes = search.budget().orElseThrow();
        assertThat(minutes.method()).isEqualTo(BudgetingMethod.TIMESLICES);
        assertThat(minutes.eligible()).isEqualTo(240);
        assertThat(minutes.bad()).isEqualTo(10);
        assertThat(minutes.total()).isCloseTo(446.4, within(1e-9));
        assertThat(minutes.consumed()).isCloseTo(10 / 446.4, within(1e-12));
        // 1 h: 10 of 60 ÷ 1% = 16.7 (over 14.88, but the last 5 m are clean); 6 h, 1 d, 3 d: 10 of 240 → 4.17;
        // 30 m (210..239): 10 of 30 → 33.3; 2 h: 10 of 120 → 8.33. Both TICKET pairs fire.
        assertBurns(search, new double[] {16.666_666_667, 4.166_666_667, 4.166_666_667, 4.166_666_667},
                new double[] {0, 33.333_333_333, 8.333_333_333, 4.166_666_667}, false, false, true, true);
        assertThat(search.alert()).isEqualTo(AlertState.TICKET);
        assertThat(search.burnRates()).extracting(BurnRate::threshold).map(BigDecimal::stripTrailingZeros)
                .startsWith(new BigDecimal("14.88"), new BigDecimal("6.2"), new BigDecimal("3.1"));
        assertThat(search.burnRates().get(3).threshold().doubleValue()).isCloseTo(1.033_333_333, within(1e-9));

        // The SLA report of `vigil slo report` says the same in words.
        // Requests counted by availability: 51 a minute in the 120 minutes outside maintenance = 6,120.
        String text = ReportText.render(spec, report);
        assertThat(text).startsWith("SLA report for landing-pages-api at 2026-12-06T03:59:59Z (../examples/slo.yaml)\n")
                .contains("""

                        *:availability: availability of all traffic at least 99.9% (acceptable 99.5%, critical 99%) over the calendar month (Europe/Berlin), \
                        counted in minutes: a minute with more than 5% errors is down; errors: 5xx, timeouts and connection failures
                          window    calendar month (Europe/Berlin)
                          measured  95.8333% (115 of 120 minutes good) over 6120 requests
                          tier      BREACH
                          budget    39 min 26 s of 44 min 26 s left (5 min down so far)
                          alert     TICKET: 1d/2h burning 41.7×/83.3× (ticket above 3.1×), 3d/6h burning 41.7×/41.7× (ticket above 1.03×)
                        """)
                .contains("  alert     PAGE: 6h/30m burning 16.7×/66.7× (page above 6.2×), 1d/2h burning 16.7×/33.3× (ticket above 3.1×), "
                        + "3d/6h burning 16.7×/16.7× (ticket above 1.03×)\n")
                .contains("  budget    overspent: 1800% used of 12 failed requests (216 so far)\n")
                .contains("  budget    97.8% of 446 bad minutes left (10 so far)\n")
                .contains("""
                        landing-page-read:latency:p99: p99 of GET /landing-pages/{id} under 100 ms (acceptable 200 ms, critical 500 ms)
                          window    last 1h
                          measured  30 ms over 1200 requests
                          tier      TARGET

                        """);

        // The same figures from a snapshot, as a second process would compute them.
        SloReport fromSnapshot = SloEngine.evaluate(spec, EngineSnapshot.fromBytes(t.engine().snapshot().toBytes()), clock.instant());
        assertThat(fromSnapshot.results()).isEqualTo(report.results());
    }

    @Test
    void gamificationExampleJudgesRollingBudgetsRateLimitsAndAGoldPlan() throws ConfigException {
        SloSpec spec = SloFiles.load(EXAMPLES.resolve("gamification-slo.yaml"));
        TestClock clock = TestClock.at("2027-02-01T00:00:00Z");
        Traffic t = Traffic.of(spec, clock);
        for (int m = 0; m < 60; m++) {
            t.send(100, "POST /missions", "tenant-free", m >= 30 && m < 40 ? 2 : 0, 500, 8_000, CacheResult.NONE);
            t.send(98, "GET /missions/17", "tenant-free", 0, 503, 40_000, CacheResult.HIT);
            t.send(2, "GET /missions/17", "tenant-free", 0, 503, 150_000, CacheResult.MISS);
            t.send(50, "GET /leaderboard", "tenant-gold", 0, 503, 40_000, CacheResult.HIT);
            t.send(50, "GET /leaderboard?page=2", "tenant-free", 0, 503, 40_000, CacheResult.HIT);
            t.send(20, "POST /users/7/points", "tenant-free", 1, 429, 5_000, CacheResult.NONE);  // one shed a minute
            clock.advance(Duration.ofMinutes(1));
        }
        clock.advance(Duration.ofSeconds(-1));  // inside minute 59
        SloReport report = t.engine().evaluate();

        // Availability (events, rolling 28 d, 5xx only): 320 requests × 60 = 19,200; errors: 2 × 10 = 20 (the 429s
        // are not errors here). 19,180 ÷ 19,200 = 99.8958…% → ACCEPTABLE (target 99.9%, acceptable 99.5%).
        ObjectiveResult availability = result(report, "*:availability");
        assertThat(availability.window()).isEqualTo(Window.last(Duration.ofDays(28)));
        assertThat(availability.measured()).isEqualTo("99.8958%");
        assertThat(availability.tier()).isEqualTo(Tier.ACCEPTABLE);
        Budget budget = availability.budget().orElseThrow();
        assertThat(budget.eligible()).isEqualTo(19_200);
        assertThat(budget.bad()).isEqualTo(20);
        assertThat(budget.total()).isCloseTo(19.2, within(1e-9));  // 0.1% of the requests so far
        assertThat(budget.consumed()).isCloseTo(20 / 19.2, within(1e-12));
        // In time: 0.1% of 28 days = 40 min 19.2 s; used: 20 ÷ 19,200 of the 28 days elapsed in the period = 42 min.
        assertThat(budget.totalTime()).contains(Duration.ofMillis(2_419_200));
        assertThat(budget.consumedTime()).contains(Duration.ofMinutes(42));
        assertThat(budget.remainingTime()).contains(Duration.ofMillis(2_419_200 - 2_520_000));
        // Thresholds for 28 days (40,320 min): 13.44, 5.6, 2.8, 0.9333…. Burn = error share ÷ 0.1%:
        // 1 h, 6 h, 1 d, 3 d and the 2 h, 6 h short windows: 20 of 19,200 → 1.0417; 5 m: 0; 30 m: 20 of 9,600 → 2.083.
        // Only the 3 d / 6 h pair (over 0.9333) fires.
        assertBurns(availability, new double[] {1.041_666_667, 1.041_666_667, 1.041_666_667, 1.041_666_667},
                new double[] {0, 2.083_333_333, 1.041_666_667, 1.041_666_667}, false, false, false, true);
        assertThat(availability.burnRates()).extracting(BurnRate::threshold).map(BigDecimal::stripTrailingZeros)
                .startsWith(new BigDecimal("13.44"), new BigDecimal("5.6"), new BigDecimal("2.8"));
        assertThat(availability.alert()).isEqualTo(AlertState.TICKET);

        // Points count 429 as an error: 1 of 20 = 5% over the 1% critical tier.
        assertThat(result(report, "points:error-rate").measured()).isEqualTo("5%");
        assertThat(result(report, "points:error-rate").tier()).isEqualTo(Tier.BREACH);
        // Mission writes: 20 of 6,000 = 0.3333…% → shown rounded up, ACCEPTABLE (0.1% < it ≤ 0.5%).
        assertThat(result(report, "missions-write:error-rate").measured()).isEqualTo("0.3334%");
        assertThat(result(report, "missions-write:error-rate").tier()).isEqualTo(Tier.ACCEPTABLE);

        // Reads: 98 of 100 under 100 ms = exactly the 98% acceptable tier; cache hits 98% over the 80% target.
        assertThat(result(report, "missions-read:latency:under-100ms").measured()).isEqualTo("98%");
        assertThat(result(report, "missions-read:latency:under-100ms").tier()).isEqualTo(Tier.ACCEPTABLE);
        assertThat(result(report, "missions-read:cache-hit-ratio").measured()).isEqualTo("98%");
        assertThat(result(report, "missions-read:cache-hit-ratio").tier()).isEqualTo(Tier.TARGET);

        // Leaderboard at 40 ms: within the general 50 ms target, over the gold plan's 30 ms (acceptable 60 ms).
        assertThat(result(report, "leaderboard:latency:p99").tier()).isEqualTo(Tier.TARGET);
        assertThat(result(report, "leaderboard:latency:p99").events()).isEqualTo(3_000);  // tenant-free only
        assertThat(result(report, "leaderboard:latency:p99@plan=gold").tier()).isEqualTo(Tier.ACCEPTABLE);
        assertThat(result(report, "leaderboard:latency:p99@plan=gold").events()).isEqualTo(3_000);

        String text = ReportText.render(spec, report);
        assertThat(text).contains("  budget    overspent by 1 min 41 s: 42 min down of 40 min 19 s allowed\n")
                .contains("  alert     TICKET: 3d/6h burning 1.04×/1.04× (ticket above 0.933×)\n")
                .contains("18 of 21 objectives at least acceptable; alert: PAGE\n");  // points: 5% errors pages
    }

    private static void assertBurns(ObjectiveResult r, double[] longBurns, double[] shortBurns, boolean... firing) {
        assertThat(r.burnRates()).hasSize(4);
        for (int i = 0; i < 4; i++) {
            BurnRate b = r.burnRates().get(i);
            assertThat(b.longBurn()).as("long burn of pair %d", i).isCloseTo(longBurns[i], within(1e-6));
            assertThat(b.shortBurn()).as("short burn of pair %d", i).isCloseTo(shortBurns[i], within(1e-6));
            assertThat(b.firing()).as("pair %d firing", i).isEqualTo(firing[i]);
        }
    }
}
