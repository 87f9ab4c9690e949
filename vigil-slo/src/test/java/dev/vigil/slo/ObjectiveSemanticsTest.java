package dev.vigil.slo;

import dev.vigil.slo.spec.BudgetingMethod;
import dev.vigil.slo.spec.MaintenanceWindow;
import dev.vigil.slo.spec.Objective;
import dev.vigil.slo.spec.SloSpec;
import org.junit.jupiter.api.Test;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static dev.vigil.slo.Specs.READ;
import static dev.vigil.slo.Specs.atLeast;
import static dev.vigil.slo.Specs.atMost;
import static dev.vigil.slo.Specs.availability;
import static dev.vigil.slo.Specs.cacheHitRatio;
import static dev.vigil.slo.Specs.errorRate;
import static dev.vigil.slo.Specs.group;
import static dev.vigil.slo.Specs.latencyRatio;
import static dev.vigil.slo.Specs.millis;
import static dev.vigil.slo.Specs.percentile;
import static dev.vigil.slo.Specs.percentileInMinutes;
import static dev.vigil.slo.Specs.plan;
import static dev.vigil.slo.Specs.result;
import static dev.vigil.slo.Specs.rolling;
import static dev.vigil.slo.Specs.tenant;
import static dev.vigil.slo.Specs.throughput;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class ObjectiveSemanticsTest {
    private final TestClock clock = TestClock.at("2026-03-10T10:00:00Z");

    private void record(SloEngine engine, String tenant, int status, Failure failure, long latencyMicros, CacheResult cache) {
        engine.record(READ, tenant, status, failure, latencyMicros, cache, clock.millis());
    }

    private void minuteOf(SloEngine engine, int requests, int errors) {
        for (int i = 0; i < requests; i++) record(engine, "acme", i < errors ? 500 : 200, Failure.NONE, 10_000, CacheResult.NONE);
        clock.advance(Duration.ofMinutes(1));
    }

    @Test
    void rateLimitedResponsesAreNotErrorsByDefaultButTransportFailuresAlwaysAre() {
        SloEngine engine = SloEngine.create(Specs.spec(errorRate("errors", group(READ), atMost("1", "5", "10"), rolling(30, BudgetingMethod.EVENTS))), clock);
        for (int i = 0; i < 80; i++) record(engine, "acme", 200, Failure.NONE, 1_000, CacheResult.NONE);
        for (int i = 0; i < 10; i++) record(engine, "acme", 429, Failure.NONE, 1_000, CacheResult.NONE);
        record(engine, "acme", 404, Failure.NONE, 1_000, CacheResult.NONE);
        record(engine, "acme", 0, Failure.TIMEOUT, 30_000_000, CacheResult.NONE);
        record(engine, "acme", 0, Failure.CONNECT, 0, CacheResult.NONE);
        record(engine, "acme", 0, Failure.RESET, 5_000, CacheResult.NONE);
        record(engine, "acme", 503, Failure.NONE, 1_000, CacheResult.NONE);
        for (int i = 0; i < 5; i++) record(engine, "acme", 302, Failure.NONE, 1_000, CacheResult.NONE);

        ObjectiveResult r = engine.evaluate().results().getFirst();
        assertThat(r.events()).isEqualTo(100);
        assertThat(r.budget().orElseThrow().bad()).isEqualTo(4);
        assertThat(r.measured()).isEqualTo("4%");
        assertThat(r.tier()).isEqualTo(Tier.ACCEPTABLE);
    }

    @Test
    void latencyRatioCountsRequestsAtOrUnderTheThresholdExactly() {
        SloEngine engine = SloEngine.create(Specs.spec(
                latencyRatio("fast", group(READ), Duration.ofSeconds(1), atLeast("99", "98", "90"), rolling(30, BudgetingMethod.EVENTS))), clock);
        for (int i = 0; i < 97; i++) record(engine, "acme", 200, Failure.NONE, 1_000_000, CacheResult.NONE);  // exactly 1 s: good
        record(engine, "acme", 200, Failure.NONE, 1_000_001, CacheResult.NONE);  // 1 µs over; the histogram cell would not tell
        record(engine, "acme", 0, Failure.TIMEOUT, 500_000, CacheResult.NONE);   // timed out: never "completed within"
        record(engine, "acme", 500, Failure.NONE, 2_000, CacheResult.NONE);      // a fast response is fast
        ObjectiveResult r = engine.evaluate().results().getFirst();
        assertThat(r.measuredValue()).isEqualTo(0.98);
        assertThat(r.measured()).isEqualTo("98%");
        assertThat(r.tier()).isEqualTo(Tier.ACCEPTABLE);
    }

    @Test
    void timeSliceAvailabilityCountsGoodMinutesAmongMinutesWithTraffic() {
        SloEngine engine = SloEngine.create(Specs.spec(
                availability("avail", group(READ), atLeast("99", "90", "80"), rolling(30, BudgetingMethod.TIMESLICES), "5")), clock);
        for (int m = 0; m < 10; m++) {
            minuteOf(engine, 100, m == 3 ? 6 : m == 7 ? 5 : 1);  // 6% errors is a bad minute, exactly 5% is not
            clock.advance(Duration.ofMinutes(1));  // and an idle minute, which counts neither way
        }
        ObjectiveResult r = engine.evaluate().results().getFirst();
        assertThat(r.measuredValue()).isEqualTo(0.9);
        assertThat(r.measured()).isEqualTo("90% (9 of 10 minutes good)");
        assertThat(r.tier()).isEqualTo(Tier.ACCEPTABLE);
        Budget budget = r.budget().orElseThrow();
        assertThat(budget.eligible()).isEqualTo(10);
        assertThat(budget.bad()).isEqualTo(1);
        assertThat(budget.total()).isCloseTo(432.0, within(1e-9));  // 1% of the 43,200 minutes in 30 days
        assertThat(budget.consumed()).isCloseTo(1 / 432.0, within(1e-12));
        assertThat(budget.consumedTime()).contains(Duration.ofMinutes(1));
        assertThat(budget.remainingTime()).contains(Duration.ofMinutes(431));
    }

    @Test
    void timeSliceErrorRateJudgesEachMinuteAgainstTheTarget() {
        SloEngine engine = SloEngine.create(Specs.spec(
                errorRate("errors", group(READ), atMost("10", "20", "50"), rolling(30, BudgetingMethod.TIMESLICES))), clock);
        for (int m = 0; m < 5; m++) minuteOf(engine, 10, m < 2 ? 2 : 1);  // two minutes at 20% > 1%
        ObjectiveResult r = engine.evaluate().results().getFirst();
        assertThat(r.measured()).isEqualTo("40% (3 of 5 minutes good)");
        assertThat(r.tier()).isEqualTo(Tier.CRITICAL);
    }

    @Test
    void maintenanceMinutesAreExcludedFromAvailabilityButNotFromErrorRate() {
        ZoneId berlin = ZoneId.of("Europe/Berlin");
        List<MaintenanceWindow> maintenance = List.of(
                new MaintenanceWindow.OneOff(LocalDateTime.parse("2026-03-10T11:00"), Duration.ofMinutes(3), berlin, "database upgrade"),
                new MaintenanceWindow.Recurring(EnumSet.of(DayOfWeek.TUESDAY), LocalTime.parse("11:10"), Duration.ofMinutes(2), berlin,
                        "weekly deploy", Optional.empty()));
        Objective.Availability avail = availability("avail", group(READ), atLeast("99", "95", "90"), rolling(30, BudgetingMethod.EVENTS), "5");
        Objective.Availability slices = availability("avail-slices", group(READ), atLeast("99", "95", "90"), rolling(30, BudgetingMethod.TIMESLICES), "5");
        Objective.ErrorRate errors = errorRate("errors", group(READ), atMost("1", "5", "10"), rolling(30, BudgetingMethod.EVENTS));
        SloEngine engine = SloEngine.create(Specs.spec(3, Map.of(), maintenance, avail, slices, errors), clock);
        // 2026-03-10 is a Tuesday; 10:00Z is 11:00 in Berlin.
        for (int m = 0; m < 15; m++) minuteOf(engine, 100, (m < 3 || m == 10 || m == 11) ? 100 : 0);

        SloReport report = engine.evaluate();
        assertThat(result(report, "avail").events()).isEqualTo(1000);
        assertThat(result(report, "avail").measured()).isEqualTo("100%");
        assertThat(result(report, "avail-slices").measured()).isEqualTo("100% (10 of 10 minutes good)");
        assertThat(result(report, "errors").events()).isEqualTo(1500);
        assertThat(result(report, "errors").measured()).isEqualTo("33.3334%");
        // The budget's allowed time leaves the maintenance out as well: 1% of (43,200 − 5) minutes.
        assertThat(result(report, "avail").budget().orElseThrow().totalTime().orElseThrow())
                .isLessThan(Duration.ofMinutes(432)).isGreaterThan(Duration.ofMinutes(431));
    }

    @Test
    void percentileJudgedPerMinuteNeedsTheShareOfGoodMinutes() {
        SloEngine engine = SloEngine.create(Specs.spec(
                percentileInMinutes("p90", group(READ), "90", millis(100, 200, 400), "75")), clock);
        long[] slowMinuteLatencies = {50_000, 150_000, 150_000, 300_000};
        for (long slow : slowMinuteLatencies) {
            for (int i = 0; i < 8; i++) record(engine, "acme", 200, Failure.NONE, 20_000, CacheResult.NONE);
            for (int i = 0; i < 2; i++) record(engine, "acme", 200, Failure.NONE, slow, CacheResult.NONE);  // p90 of the minute
            clock.advance(Duration.ofMinutes(1));
        }
        clock.advance(Duration.ofSeconds(-1));
        ObjectiveResult r = engine.evaluate().results().getFirst();
        // p90 per minute: 50, 150, 150, 300 ms; within 100 ms: 25% of minutes; within 200 ms: 75% → ACCEPTABLE.
        assertThat(r.tier()).isEqualTo(Tier.ACCEPTABLE);
        assertThat(r.measured()).endsWith("; 25% of 4 minutes within 100 ms");
    }

    @Test
    void percentileJudgedInGoodMinutesSpendsATimeSliceBudgetOverItsPeriodWithBurnRates() {
        Objective.LatencyPercentile p90 = new Objective.LatencyPercentile("p90", group(READ), Specs.AT, new java.math.BigDecimal("90"),
                millis(100, 200, 400), Optional.of(dev.vigil.slo.spec.Ratio.ofPercent("99")), Optional.of(rolling(30, BudgetingMethod.TIMESLICES)));
        Objective.LatencyPercentile plain = percentile("p50", group(READ), "50", millis(100, 200, 400));
        SloEngine engine = SloEngine.create(Specs.spec(p90, plain), clock);
        // Two hours of 10 requests a minute: the first hour at 20 ms, the second at 150 ms (every minute's p90 over 100 ms).
        for (int m = 0; m < 120; m++) {
            for (int i = 0; i < 10; i++) record(engine, "acme", 200, Failure.NONE, m < 60 ? 20_000 : 150_000, CacheResult.NONE);
            clock.advance(Duration.ofMinutes(1));
        }
        clock.advance(Duration.ofSeconds(-1));  // still inside the 120th minute
        SloReport report = engine.evaluate();
        ObjectiveResult r = result(report, "p90");

        // Judged over its budget period: 60 of 120 minutes within 100 ms (under 99%), all 120 within 200 ms.
        assertThat(r.window()).isEqualTo(Window.last(Duration.ofDays(30)));
        assertThat(r.tier()).isEqualTo(Tier.ACCEPTABLE);
        assertThat(r.measured()).endsWith("; 50% of 120 minutes within 100 ms");
        Budget budget = r.budget().orElseThrow();
        assertThat(budget.method()).isEqualTo(BudgetingMethod.TIMESLICES);
        assertThat(budget.fraction()).isEqualTo(dev.vigil.slo.spec.Ratio.ofPercent("1"));
        assertThat(budget.eligible()).isEqualTo(120);
        assertThat(budget.bad()).isEqualTo(60);
        assertThat(budget.total()).isEqualTo(432.0);  // 1% of 30 × 1440 minutes
        assertThat(budget.consumed()).isCloseTo(60 / 432.0, within(1e-12));
        assertThat(budget.remaining()).isCloseTo(1 - 60 / 432.0, within(1e-12));
        assertThat(budget.totalTime()).isEmpty();  // time budgets are for availability

        // Last hour and 5 minutes: every minute bad, burn 1 ÷ 1% = 100. Over 6 h, 1 d and 3 d: half the minutes, 50.
        assertThat(r.burnRates()).extracting(BurnRate::threshold).map(java.math.BigDecimal::stripTrailingZeros)
                .containsExactly(new java.math.BigDecimal("14.4"), new java.math.BigDecimal("6"), new java.math.BigDecimal("3"), java.math.BigDecimal.ONE);
        assertThat(r.burnRates()).extracting(BurnRate::longBurn).containsExactly(100.0, 50.0, 50.0, 50.0);
        assertThat(r.burnRates()).extracting(BurnRate::shortBurn).containsExactly(100.0, 100.0, 50.0, 50.0);
        assertThat(r.burnRates()).allMatch(BurnRate::firing);
        assertThat(r.alert()).isEqualTo(AlertState.PAGE);

        // A percentile without good-minutes has no budget and stays on the standard window.
        ObjectiveResult p50 = result(report, "p50");
        assertThat(p50.budget()).isEmpty();
        assertThat(p50.burnRates()).isEmpty();
        assertThat(p50.window()).isEqualTo(SloEngine.STANDARD_WINDOW);
    }

    @Test
    void aQuietPercentileInGoodMinutesKeepsItsWholeBudget() {
        SloEngine engine = SloEngine.create(Specs.spec(percentileInMinutes("p90", group(READ), "90", millis(100, 200, 400), "99")), clock);
        ObjectiveResult r = engine.evaluate().results().getFirst();
        assertThat(r.measured()).isEqualTo("no traffic");
        assertThat(r.tier()).isEqualTo(Tier.TARGET);
        assertThat(r.budget().orElseThrow().bad()).isZero();
        assertThat(r.budget().orElseThrow().remaining()).isEqualTo(1.0);
        assertThat(r.alert()).isEqualTo(AlertState.NONE);
    }

    @Test
    void tenantAndPlanOverridesJudgeOnlyTheirTenantsAndTheGeneralObjectiveTheRest() {
        SloSpec spec = Specs.spec(3, Map.of("bigco", "enterprise", "smallco", "enterprise", "freeloader", "free"), List.of(),
                percentile("p99", group(READ), "99", millis(100, 200, 500)),
                percentile("p99-enterprise", plan(READ, "enterprise"), "99", millis(50, 100, 200)),
                percentile("p99-bigco", tenant(READ, "bigco"), "99", millis(20, 40, 80)),
                errorRate("errors", group(READ), atMost("1", "2", "5"), rolling(30, BudgetingMethod.EVENTS)));
        SloEngine engine = SloEngine.create(spec, clock);
        for (int i = 0; i < 100; i++) {
            record(engine, "bigco", 200, Failure.NONE, 10_000, CacheResult.NONE);
            record(engine, "smallco", 200, Failure.NONE, 60_000, CacheResult.NONE);
            record(engine, "freeloader", 200, Failure.NONE, 150_000, CacheResult.NONE);
            record(engine, "unknown-" + i, 500, Failure.NONE, 150_000, CacheResult.NONE);
        }
        SloReport report = engine.evaluate();
        assertThat(result(report, "p99-bigco").events()).isEqualTo(100);
        assertThat(result(report, "p99-bigco").tier()).isEqualTo(Tier.TARGET);
        assertThat(result(report, "p99-enterprise").events()).isEqualTo(100);  // smallco only: bigco has its own p99
        assertThat(result(report, "p99-enterprise").tier()).isEqualTo(Tier.ACCEPTABLE);
        assertThat(result(report, "p99").events()).isEqualTo(200);  // freeloader and the unknown tenants
        assertThat(result(report, "p99").tier()).isEqualTo(Tier.ACCEPTABLE);
        // No override of the error rate: it judges everyone.
        assertThat(result(report, "errors").events()).isEqualTo(400);
        assertThat(result(report, "errors").measured()).isEqualTo("25%");
    }

    @Test
    void cacheHitRatioCountsLookupsOnlyAndStaleAsHit() {
        SloEngine engine = SloEngine.create(Specs.spec(cacheHitRatio("cache", group(READ), atLeast("80", "60", "40"))), clock);
        for (int i = 0; i < 6; i++) record(engine, "acme", 200, Failure.NONE, 1_000, CacheResult.HIT);
        record(engine, "acme", 200, Failure.NONE, 1_000, CacheResult.STALE);
        for (int i = 0; i < 3; i++) record(engine, "acme", 200, Failure.NONE, 1_000, CacheResult.MISS);
        for (int i = 0; i < 5; i++) record(engine, "acme", 200, Failure.NONE, 1_000, CacheResult.BYPASS);
        record(engine, "acme", 200, Failure.NONE, 1_000, CacheResult.NONE);
        ObjectiveResult r = engine.evaluate().results().getFirst();
        assertThat(r.measured()).isEqualTo("70%");
        assertThat(r.tier()).isEqualTo(Tier.ACCEPTABLE);
        assertThat(r.events()).isEqualTo(16);
    }

    @Test
    void throughputReportsSustainedAndPeakMinuteRates() {
        SloEngine engine = SloEngine.create(Specs.spec(throughput("rps", group(READ), 2, 5.0)), clock);
        Instant start = clock.instant();
        minuteOf(engine, 120, 0);   // 2 rps
        minuteOf(engine, 360, 0);   // 6 rps
        minuteOf(engine, 60, 0);    // 1 rps
        ObjectiveResult r = engine.evaluate(start, clock.instant()).results().getFirst();
        assertThat(r.measuredValue()).isEqualTo(3.0);
        assertThat(r.measured()).isEqualTo("3.00 rps sustained, 6.00 rps peak minute");
        assertThat(r.tier()).isEqualTo(Tier.TARGET);

        ObjectiveResult tooSlow = SloEngine.evaluate(Specs.spec(throughput("rps", group(READ), 4, null)), engine.snapshot(),
                Window.between(start, clock.instant()), clock.instant()).results().getFirst();
        assertThat(tooSlow.tier()).isEqualTo(Tier.BREACH);

        // Over a trailing window of live traffic the same shortfall is reported, not judged.
        ObjectiveResult live = SloEngine.evaluate(Specs.spec(throughput("rps", group(READ), 4, null)), engine.snapshot(),
                Window.LAST_5_MINUTES, clock.instant()).results().getFirst();
        assertThat(live.tier()).isEqualTo(Tier.TARGET);
        assertThat(live.measured()).endsWith("(live: reported, not judged)");
    }

    @Test
    void aReportFailsWhenAnyObjectiveIsCriticalOrWorse() {
        SloEngine engine = SloEngine.create(Specs.spec(
                percentile("p50", group(READ), "50", millis(10, 20, 30)),
                errorRate("errors", group(READ), atMost("1", "5", "10"), rolling(30, BudgetingMethod.EVENTS))), clock);
        for (int i = 0; i < 10; i++) record(engine, "acme", 200, Failure.NONE, 25_000, CacheResult.NONE);
        SloReport report = engine.evaluate();
        assertThat(report.passes()).isFalse();
        assertThat(report.failures()).extracting(r -> r.objective().id()).containsExactly("p50");
        assertThat(result(report, "p50").tier()).isEqualTo(Tier.CRITICAL);
        assertThat(result(report, "errors").tier()).isEqualTo(Tier.TARGET);
    }

    @Test
    void aNamedTenantFallsBackToItsPlansOverrideForKindsItHasNoOverrideOf() {
        SloSpec spec = Specs.spec(3, Map.of("bigco", "enterprise", "smallco", "enterprise"), List.of(),
                errorRate("errors", group(READ), atMost("1", "2", "5"), rolling(30, BudgetingMethod.EVENTS)),
                errorRate("errors-enterprise", plan(READ, "enterprise"), atMost("1", "2", "5"), rolling(30, BudgetingMethod.EVENTS)),
                percentile("p99-bigco", tenant(READ, "bigco"), "99", millis(20, 40, 80)),
                percentile("p99-all-routes", group("*"), "99", millis(100, 200, 500)));
        SloEngine engine = SloEngine.create(spec, clock);
        record(engine, "bigco", 500, Failure.NONE, 10_000, CacheResult.NONE);
        record(engine, "smallco", 200, Failure.NONE, 10_000, CacheResult.NONE);
        record(engine, "someone", 200, Failure.NONE, 10_000, CacheResult.NONE);
        engine.record("no-such-group", "bigco", 200, Failure.NONE, 10_000, CacheResult.NONE, clock.millis());

        SloReport report = engine.evaluate();
        // bigco has its own p99 but no error-rate override: its errors are the enterprise plan's.
        assertThat(result(report, "errors-enterprise").events()).isEqualTo(2);
        assertThat(result(report, "errors-enterprise").measured()).isEqualTo("50%");
        assertThat(result(report, "errors").events()).isEqualTo(1);
        assertThat(result(report, "p99-bigco").events()).isEqualTo(1);
        // An all-routes objective is another kind than bigco's read-group p99, and sees every group,
        // including requests naming an unknown group (counted in the default group).
        assertThat(result(report, "p99-all-routes").events()).isEqualTo(4);
        assertThat(result(SloEngine.evaluate(Specs.spec(percentile("p99-other", group(Specs.OTHER), "99", millis(100, 200, 500))),
                engine.snapshot(), clock.instant()), "p99-other").events()).isEqualTo(1);
    }

    @Test
    void withoutADefaultGroupUnknownGroupsStillCountForAllRoutes() {
        SloSpec spec = new SloSpec("t.yaml", "t", 3,
                List.of(new dev.vigil.slo.spec.RouteGroup(READ, List.of(), false, Specs.AT)),
                List.of(percentile("all", group("*"), "50", millis(100, 200, 500)), percentile("read", group(READ), "50", millis(100, 200, 500))),
                Map.of(), List.of());
        SloEngine engine = SloEngine.create(spec, clock);
        engine.record("mystery", "t", 200, Failure.NONE, 5_000, CacheResult.NONE, clock.millis());
        engine.record(READ, "t", 200, Failure.NONE, 5_000, CacheResult.NONE, clock.millis());
        SloReport report = engine.evaluate();
        assertThat(result(report, "all").events()).isEqualTo(2);
        assertThat(result(report, "read").events()).isEqualTo(1);
    }
}
