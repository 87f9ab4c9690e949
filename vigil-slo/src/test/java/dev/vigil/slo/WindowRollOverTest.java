package dev.vigil.slo;

import dev.vigil.slo.spec.BudgetingMethod;
import dev.vigil.slo.spec.SloSpec;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static dev.vigil.slo.Specs.READ;
import static dev.vigil.slo.Specs.atLeast;
import static dev.vigil.slo.Specs.availability;
import static dev.vigil.slo.Specs.group;
import static dev.vigil.slo.Specs.millis;
import static dev.vigil.slo.Specs.month;
import static dev.vigil.slo.Specs.percentile;
import static dev.vigil.slo.Specs.result;
import static dev.vigil.slo.Specs.throughput;
import static org.assertj.core.api.Assertions.assertThat;

class WindowRollOverTest {
    private static final SloSpec SPEC = Specs.spec(
            percentile("p50", group(READ), "50", millis(100, 200, 500)),
            throughput("rps", group(READ), 0, null),
            availability("monthly", group(READ), atLeast("99.9", "99.5", "99"), month("Europe/Berlin", BudgetingMethod.EVENTS), "5"));

    private static void record(SloEngine engine, int status, long latencyMicros, Instant at) {
        engine.record(READ, "acme", status, Failure.NONE, latencyMicros, CacheResult.NONE, at.toEpochMilli());
    }

    @Test
    void aRequestInTheLastMillisecondOfAMinuteLeavesTheOneMinuteWindowWhenTheMinuteEnds() {
        TestClock clock = TestClock.at("2026-03-10T10:00:00Z");
        SloEngine engine = SloEngine.create(SPEC, clock);
        clock.set(Instant.parse("2026-03-10T10:00:59.999Z"));
        record(engine, 200, 10_000, clock.instant());
        assertThat(result(engine.evaluate(Window.LAST_1_MINUTE), "p50").events()).isEqualTo(1);

        clock.set(Instant.parse("2026-03-10T10:01:00.000Z"));
        record(engine, 200, 90_000, clock.instant());
        SloReport oneMinute = engine.evaluate(Window.LAST_1_MINUTE);
        assertThat(result(oneMinute, "p50").events()).isEqualTo(1);
        assertThat(result(oneMinute, "p50").measured()).isEqualTo("90 ms");
        assertThat(result(engine.evaluate(Window.LAST_5_MINUTES), "p50").events()).isEqualTo(2);

        clock.set(Instant.parse("2026-03-10T10:05:59.999Z"));
        assertThat(result(engine.evaluate(Window.LAST_5_MINUTES), "p50").events()).isEqualTo(1);
        clock.set(Instant.parse("2026-03-10T10:06:00Z"));
        assertThat(result(engine.evaluate(Window.LAST_5_MINUTES), "p50").events()).isZero();
        assertThat(result(engine.evaluate(Window.LAST_5_MINUTES), "p50").measured()).isEqualTo("no traffic");
        assertThat(result(engine.evaluate(Window.LAST_1_HOUR), "p50").events()).isEqualTo(2);
    }

    @Test
    void aLateRequestCountsInTheOpenMinuteInsteadOfBeingLost() {
        TestClock clock = TestClock.at("2026-03-10T10:00:10Z");
        SloEngine engine = SloEngine.create(SPEC, clock);
        record(engine, 200, 10_000, clock.instant());
        clock.set(Instant.parse("2026-03-10T10:03:30Z"));
        record(engine, 200, 10_000, clock.instant());  // closes 10:00
        record(engine, 200, 10_000, Instant.parse("2026-03-10T10:00:20Z"));  // arrives late
        record(engine, 200, 10_000, Instant.parse("2026-03-10T10:09:00Z"));  // from a clock running ahead

        assertThat(result(engine.evaluate(Window.LAST_1_MINUTE), "p50").events()).isEqualTo(3);
        assertThat(result(engine.evaluate(Window.LAST_1_HOUR), "p50").events()).isEqualTo(4);
    }

    @Test
    void histogramsOlderThanSixHoursComeFromHourSlicesWithoutLosingCounts() {
        TestClock clock = TestClock.at("2026-03-10T00:00:00Z");
        SloEngine engine = SloEngine.create(SPEC, clock);
        for (int m = 0; m < 26 * 60; m++) {
            record(engine, 200, 1_000 + m, clock.instant());
            clock.advance(Duration.ofMinutes(1));
        }
        clock.advance(Duration.ofSeconds(-30));  // in the last recorded minute
        SloReport day = engine.evaluate(Window.LAST_1_DAY);
        // The window's trailing edge is widened to a whole hour for the part older than six hours.
        assertThat(result(day, "p50").events()).isBetween(24L * 60, 25L * 60 - 1);
        assertThat(result(engine.evaluate(Window.LAST_6_HOURS), "p50").events()).isEqualTo(360);
        assertThat(result(engine.evaluate(Window.LAST_3_DAYS), "p50").events()).isEqualTo(26 * 60);
        assertThat(result(engine.evaluate(Window.LAST_1_DAY), "rps").events()).isEqualTo(24 * 60);  // counters stay minute-exact
    }

    @Test
    void calendarMonthRollsOverAtMidnightInTheObjectivesZone() {
        // Berlin is UTC+1 in winter: its February starts at 2026-01-31T23:00Z, while UTC is still in January.
        TestClock clock = TestClock.at("2026-01-31T22:30:00Z");
        SloEngine engine = SloEngine.create(SPEC, clock);
        for (int i = 0; i < 10; i++) record(engine, 503, 10_000, clock.instant());  // 23:30 Berlin, January
        clock.set(Instant.parse("2026-01-31T22:59:59.999Z"));
        ObjectiveResult january = result(engine.evaluate(), "monthly");
        assertThat(january.events()).isEqualTo(10);
        assertThat(january.tier()).isEqualTo(Tier.BREACH);
        assertThat(january.budget().orElseThrow().periodStart()).isEqualTo(Instant.parse("2025-12-31T23:00:00Z"));

        clock.set(Instant.parse("2026-01-31T23:00:00Z"));  // midnight in Berlin
        for (int i = 0; i < 1000; i++) record(engine, 200, 10_000, clock.instant());
        ObjectiveResult february = result(engine.evaluate(), "monthly");
        assertThat(february.events()).isEqualTo(1000);
        assertThat(february.measured()).isEqualTo("100%");
        assertThat(february.tier()).isEqualTo(Tier.TARGET);
        assertThat(february.budget().orElseThrow().periodStart()).isEqualTo(Instant.parse("2026-01-31T23:00:00Z"));
        assertThat(february.budget().orElseThrow().periodEnd()).isEqualTo(Instant.parse("2026-02-28T23:00:00Z"));
        // The January errors are still there for windows that reach back.
        assertThat(result(engine.evaluate(Window.LAST_1_HOUR), "monthly").events()).isEqualTo(1010);
    }

    @Test
    void explicitWindowsJudgeOneRunAndDivideRatesByTheRunsLength() {
        TestClock clock = TestClock.at("2026-03-10T10:00:00Z");
        SloEngine engine = SloEngine.create(SPEC, clock);
        Instant from = Instant.parse("2026-03-10T10:00:30Z");
        for (int s = 0; s < 30; s++) {
            for (int i = 0; i < 100; i++) record(engine, 200, 5_000, from.plusSeconds(s));
        }
        clock.set(from.plusSeconds(30));
        SloReport run = engine.evaluate(from, from.plusSeconds(30));
        ObjectiveResult rps = result(run, "rps");
        assertThat(rps.events()).isEqualTo(3000);
        assertThat(rps.measuredValue()).isEqualTo(100.0);
        assertThat(rps.measured()).isEqualTo("100 rps sustained, 100 rps peak minute");
        assertThat(run.passes()).isTrue();
    }
}
