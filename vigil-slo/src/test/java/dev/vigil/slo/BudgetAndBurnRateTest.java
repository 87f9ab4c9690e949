package dev.vigil.slo;

import dev.vigil.slo.spec.BudgetingMethod;
import dev.vigil.slo.spec.Objective;
import dev.vigil.slo.spec.Ratio;
import dev.vigil.slo.spec.SloSpec;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static dev.vigil.slo.Specs.READ;
import static dev.vigil.slo.Specs.atLeast;
import static dev.vigil.slo.Specs.atMost;
import static dev.vigil.slo.Specs.availability;
import static dev.vigil.slo.Specs.errorRate;
import static dev.vigil.slo.Specs.group;
import static dev.vigil.slo.Specs.month;
import static dev.vigil.slo.Specs.rolling;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The worked numbers of Google's SRE Workbook, chapter 5 ("Alerting on SLOs"), for a 99.9% / 30-day objective. */
class BudgetAndBurnRateTest {
    private static final int PER_MINUTE = 125;
    private static final Objective.Availability AVAILABILITY =
            availability("availability", group(READ), atLeast("99.9", "99.5", "99"), rolling(30, BudgetingMethod.EVENTS), "5");

    /**
     * Thirty days of steady traffic; during the last {@code burnMinutes} minutes, {@code errorsPerMinute} of every
     * 125 requests fail.
     */
    private static SloEngine thirtyDaysEndingWithABurn(TestClock clock, Objective objective, int burnMinutes, int errorsPerMinute) {
        return thirtyDays(clock, objective, (m, minutes) -> m >= minutes - burnMinutes ? errorsPerMinute : 0);
    }

    /** Thirty days of 125 requests a minute, {@code errors.at(m, minutes)} of them failing in minute m; ends 1 s before the last minute closes. */
    private static SloEngine thirtyDays(TestClock clock, Objective objective, ErrorsAt errors) {
        SloEngine engine = SloEngine.create(Specs.spec(objective), clock);
        int minutes = 30 * 24 * 60;
        for (int m = 0; m < minutes; m++) {
            long t = clock.millis();
            int failing = errors.at(m, minutes);
            for (int i = 0; i < PER_MINUTE; i++) {
                engine.record(READ, "acme", i < failing ? 503 : 200, Failure.NONE, 20_000, CacheResult.NONE, t + i);
            }
            clock.advance(Duration.ofMinutes(1));
        }
        clock.advance(Duration.ofSeconds(-1));  // the last minute of the 30 days is still open
        return engine;
    }

    private interface ErrorsAt {
        int at(int minute, int minutes);
    }

    @Test
    void burning14point4TimesForAnHourConsumesTwoPercentOfA30DayBudget() {
        // 14.4 × 0.1% = 1.44% errors for an hour: 1.8 of 125 requests a minute, i.e. 108 errors in 60 minutes.
        TestClock clock = TestClock.at("2026-04-01T00:00:00Z");
        int minutes = 30 * 24 * 60;
        SloEngine engine = thirtyDays(clock, AVAILABILITY, (m, all) -> m >= all - 60 ? (m % 5 == 0 ? 1 : 2) : 0);  // 12 × 1 + 48 × 2 = 108
        ObjectiveResult r = engine.evaluate().results().getFirst();

        Budget budget = r.budget().orElseThrow();
        assertThat(budget.fraction()).isEqualTo(Ratio.ofPercent("0.1"));
        assertThat(budget.fraction().fraction()).isEqualByComparingTo("0.001");
        assertThat(budget.eligible()).isEqualTo((long) minutes * PER_MINUTE);
        assertThat(budget.bad()).isEqualTo(108);
        assertThat(budget.consumed()).isCloseTo(0.02, within(1e-12));
        assertThat(budget.remaining()).isCloseTo(0.98, within(1e-12));
        assertThat(budget.totalTime()).contains(Duration.ofSeconds(43 * 60 + 12));  // 0.1% of 30 days
        assertThat(budget.consumedTime().orElseThrow().toMillis()).isCloseTo(Duration.ofSeconds(43 * 60 + 12).toMillis() / 50, within(100L));

        BurnRate page = r.burnRates().getFirst();
        assertThat(page.severity()).isEqualTo(AlertState.PAGE);
        assertThat(page.longWindow()).isEqualTo(Window.LAST_1_HOUR);
        assertThat(page.shortWindow()).isEqualTo(Window.LAST_5_MINUTES);
        assertThat(page.threshold()).isEqualByComparingTo("14.4");
        assertThat(page.longBurn()).isCloseTo(14.4, within(1e-9));
        // Exactly at the threshold is not above it.
        assertThat(page.firing()).isFalse();
        assertThat(r.tier()).isEqualTo(Tier.TARGET);
        assertThat(r.measured()).isEqualTo("99.998%");  // 108 of 5,400,000 failed
    }

    @Test
    void burningSixTimesForSixHoursConsumesFivePercentAndPages() {
        // 6 × 0.1% = 0.6% of 125 = 0.75 errors a minute: 3 errors every 4 minutes for 360 minutes = 270 errors.
        TestClock clock = TestClock.at("2026-04-01T00:00:00Z");
        SloEngine engine = thirtyDays(clock, AVAILABILITY, (m, all) -> m >= all - 360 && m % 4 != 0 ? 1 : 0);
        ObjectiveResult r = engine.evaluate().results().getFirst();

        assertThat(r.budget().orElseThrow().bad()).isEqualTo(270);
        assertThat(r.budget().orElseThrow().consumed()).isCloseTo(0.05, within(1e-12));
        BurnRate sixHours = r.burnRates().get(1);
        assertThat(sixHours.threshold()).isEqualByComparingTo("6");
        assertThat(sixHours.longBurn()).isCloseTo(6.0, within(1e-9));
        assertThat(sixHours.firing()).isFalse();

        // The 1-hour pair sees the same 6× burn: far below its 14.4× threshold.
        assertThat(r.burnRates().getFirst().longBurn()).isCloseTo(6.0, within(1e-9));
        assertThat(r.burnRates().getFirst().firing()).isFalse();
        // Over a day the 6-hour burn averages 1.5×, under the ticket threshold of 3.
        assertThat(r.burnRates().get(2).longBurn()).isCloseTo(1.5, within(1e-9));
        assertThat(r.alert()).isEqualTo(AlertState.NONE);
    }

    @Test
    void pagesWhenBothTheLongAndTheShortWindowBurnFasterThanTheThreshold() {
        TestClock clock = TestClock.at("2026-04-01T00:00:00Z");
        SloEngine engine = thirtyDaysEndingWithABurn(clock, AVAILABILITY, 60, 2);  // 1.6% errors = 16× for an hour
        ObjectiveResult r = engine.evaluate().results().getFirst();
        assertThat(r.burnRates().getFirst().longBurn()).isCloseTo(16.0, within(1e-9));
        assertThat(r.burnRates().getFirst().shortBurn()).isCloseTo(16.0, within(1e-9));
        assertThat(r.burnRates().getFirst().firing()).isTrue();
        assertThat(r.alert()).isEqualTo(AlertState.PAGE);

        // Three minutes after the burn stopped the hour still burns at 15.2×, but the 5-minute confirmation
        // window (2 burning minutes of 5: 6.4×) already resets the page.
        for (int m = 0; m < 3; m++) {
            clock.advance(Duration.ofMinutes(1));
            for (int i = 0; i < PER_MINUTE; i++) engine.record(READ, "acme", 200, Failure.NONE, 20_000, CacheResult.NONE, clock.millis());
        }
        ObjectiveResult later = engine.evaluate().results().getFirst();
        assertThat(later.burnRates().getFirst().longBurn()).isCloseTo(15.2, within(1e-9));
        assertThat(later.burnRates().getFirst().shortBurn()).isCloseTo(6.4, within(1e-9));
        assertThat(later.alert()).isEqualTo(AlertState.NONE);
    }

    @Test
    void ticketsOnASlowBurnOverThreeDays() {
        TestClock clock = TestClock.at("2026-04-01T00:00:00Z");
        // One error in every 625 requests (one per 5 minutes) = 0.16% = a 1.6× burn for four days.
        Objective.ErrorRate errors = errorRate("errors", group(READ), atMost("0.1", "0.5", "1"), rolling(30, BudgetingMethod.EVENTS));
        SloEngine engine = SloEngine.create(Specs.spec(errors), clock);
        for (int m = 0; m < 4 * 24 * 60; m++) {
            for (int i = 0; i < PER_MINUTE; i++) {
                engine.record(READ, "acme", i == 0 && m % 5 == 0 ? 502 : 200, Failure.NONE, 20_000, CacheResult.NONE, clock.millis() + i);
            }
            clock.advance(Duration.ofMinutes(1));
        }
        ObjectiveResult r = engine.evaluate().results().getFirst();
        BurnRate threeDays = r.burnRates().get(3);
        assertThat(threeDays.severity()).isEqualTo(AlertState.TICKET);
        assertThat(threeDays.threshold()).isEqualByComparingTo("1");
        assertThat(threeDays.longBurn()).isCloseTo(1.6, within(0.01));
        assertThat(threeDays.firing()).isTrue();
        assertThat(r.alert()).isEqualTo(AlertState.TICKET);
        assertThat(r.measured()).isEqualTo("0.16%");
        assertThat(r.tier()).isEqualTo(Tier.ACCEPTABLE);
    }

    @Test
    void burnRateThresholdsAreDerivedFromThePeriodLength() {
        Instant now = Instant.parse("2026-02-14T12:00:00Z");
        assertThat(thresholds(rolling(30, BudgetingMethod.EVENTS), now)).containsExactly("14.4", "6", "3", "1");
        assertThat(thresholds(rolling(28, BudgetingMethod.EVENTS), now)).containsExactly("13.44", "5.6", "2.8", "0.9333333333333333");
        assertThat(thresholds(rolling(7, BudgetingMethod.EVENTS), now)).containsExactly("3.36", "1.4", "0.7", "0.2333333333333333");
        // A calendar month is as long as the actual month: February 2026 has 28 days; March in Berlin has
        // 31 days less the hour lost to summer time (44,580 minutes): 2% × 44,580 min ÷ 60 min = 14.86.
        assertThat(thresholds(month("Europe/Berlin", BudgetingMethod.EVENTS), now)).containsExactly("13.44", "5.6", "2.8", "0.9333333333333333");
        assertThat(thresholds(month("Europe/Berlin", BudgetingMethod.EVENTS), Instant.parse("2026-03-14T12:00:00Z")))
                .containsExactly("14.86", "6.191666666666667", "3.095833333333333", "1.031944444444444");
    }

    private static List<String> thresholds(dev.vigil.slo.spec.Budgeting budgeting, Instant now) {
        SloSpec spec = Specs.spec(availability("a", group(READ), atLeast("99.9", "99.5", "99"), budgeting, "5"));
        TestClock clock = new TestClock(now);
        SloEngine engine = SloEngine.create(spec, clock);
        return engine.evaluate().results().getFirst().burnRates().stream().map(b -> b.threshold().toPlainString()).toList();
    }

    @Test
    void budgetPercentagesAreExactDecimals() {
        TestClock clock = TestClock.at("2026-06-01T00:00:00Z");
        SloEngine engine = SloEngine.create(Specs.spec(
                availability("four-nines", group(READ), atLeast("99.99", "99.9", "99"), rolling(365, BudgetingMethod.EVENTS), "5")), clock);
        Budget budget = engine.evaluate().results().getFirst().budget().orElseThrow();
        assertThat(budget.fraction().fraction()).isEqualTo(new BigDecimal("0.0001"));
        assertThat(budget.fraction().toString()).isEqualTo("0.01%");
        // 99.99% over 365 days allows 52 min 33.6 s.
        assertThat(budget.totalTime()).contains(Duration.ofMillis(3_153_600));
    }

    @Test
    void calendarMonthBudgetAllowsTheActualMonthsDowntime() {
        TestClock clock = TestClock.at("2026-02-10T00:00:00Z");
        SloEngine engine = SloEngine.create(Specs.spec(
                availability("monthly", group(READ), atLeast("99.9", "99.5", "99"), month("America/New_York", BudgetingMethod.TIMESLICES), "5")), clock);
        Budget budget = engine.evaluate().results().getFirst().budget().orElseThrow();
        assertThat(budget.totalTime()).contains(Duration.ofSeconds(40 * 60 + 19).plusMillis(200));  // 0.1% of 28 days
        assertThat(budget.periodStart()).isEqualTo(Instant.parse("2026-02-01T05:00:00Z"));
        assertThat(budget.periodEnd()).isEqualTo(Instant.parse("2026-03-01T05:00:00Z"));
        assertThat(budget.total()).isCloseTo(40.32, within(1e-9));  // bad minutes allowed
    }
}
