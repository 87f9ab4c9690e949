package dev.vigil.slo.sla;

import dev.vigil.slo.spec.BudgetPeriod;
import dev.vigil.slo.spec.MaintenanceWindow;
import dev.vigil.slo.spec.Ratio;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class SlaArithmeticTest {
    private static final Ratio THREE_NINES = Ratio.ofPercent("99.9");
    private static final Ratio FOUR_NINES = Ratio.ofPercent("99.99");
    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

    @Test
    void averageMonthAndYearAreTheJulianOnes() {
        assertThat(SlaArithmetic.AVERAGE_MONTH).isEqualTo(Duration.ofMinutes((long) (30.4375 * 24 * 60)));
        assertThat(SlaArithmetic.AVERAGE_YEAR).isEqualTo(Duration.ofHours(365 * 24 + 6));
        assertThat(SlaArithmetic.AVERAGE_MONTH.multipliedBy(12)).isEqualTo(SlaArithmetic.AVERAGE_YEAR);
    }

    @Test
    void threeNinesAllowExactly43Min49point8SecondsPerAverageMonth() {
        Duration d = SlaArithmetic.allowedDowntimePerAverageMonth(THREE_NINES);
        assertThat(d).isEqualTo(Duration.ofMillis(2_629_800));
        assertThat(d.toNanos() / 60e9).isCloseTo(43.83, org.assertj.core.data.Offset.offset(0.005));
        assertThat(HumanDuration.budget(d)).isEqualTo("43 min 50 s");
    }

    @Test
    void fourNinesAllow52Point6MinutesPerYear() {
        Duration d = SlaArithmetic.allowedDowntimePerYear(FOUR_NINES);
        assertThat(d).isEqualTo(Duration.ofMillis(3_155_760));
        assertThat(d.toNanos() / 60e9).isCloseTo(52.6, org.assertj.core.data.Offset.offset(0.005));
        assertThat(HumanDuration.budget(d)).isEqualTo("52 min 36 s");
    }

    @Test
    void moreFiguresFromTheUsualSlaTable() {
        assertThat(SlaArithmetic.allowedDowntimePerYear(THREE_NINES)).isEqualTo(Duration.ofMillis(31_557_600));      // 8 h 45 min 57.6 s
        assertThat(SlaArithmetic.allowedDowntimePerYear(Ratio.ofPercent("99"))).isEqualTo(Duration.ofSeconds(315_576)); // 3.6525 d
        assertThat(SlaArithmetic.allowedDowntimePerAverageMonth(Ratio.ofPercent("99.999"))).isEqualTo(Duration.ofMillis(26_298));
        assertThat(SlaArithmetic.allowedDowntimePerAverageMonth(Ratio.ofPercent("99.95"))).isEqualTo(Duration.ofMillis(1_314_900));
        assertThat(SlaArithmetic.allowedDowntimePerAverageMonth(Ratio.ONE)).isZero();
        assertThat(SlaArithmetic.allowedDowntimePerAverageMonth(Ratio.ZERO)).isEqualTo(SlaArithmetic.AVERAGE_MONTH);
    }

    @Test
    void calendarMonthsHaveTheirActualLengthInTheZone() {
        assertThat(SlaArithmetic.calendarMonthLength(YearMonth.of(2026, 2), BERLIN)).isEqualTo(Duration.ofDays(28));
        assertThat(SlaArithmetic.calendarMonthLength(YearMonth.of(2028, 2), BERLIN)).isEqualTo(Duration.ofDays(29));
        // Spring forward on 2026-03-29 and fall back on 2026-10-25 in Berlin.
        assertThat(SlaArithmetic.calendarMonthLength(YearMonth.of(2026, 3), BERLIN)).isEqualTo(Duration.ofHours(31 * 24 - 1));
        assertThat(SlaArithmetic.calendarMonthLength(YearMonth.of(2026, 10), BERLIN)).isEqualTo(Duration.ofHours(31 * 24 + 1));
        assertThat(SlaArithmetic.calendarMonthLength(YearMonth.of(2026, 3), ZoneId.of("UTC"))).isEqualTo(Duration.ofDays(31));
        // 0.1% of 743 h = 44 min 34.8 s
        assertThat(SlaArithmetic.allowedDowntime(THREE_NINES, YearMonth.of(2026, 3), BERLIN)).isEqualTo(Duration.ofMillis(2_674_800));
        assertThat(SlaArithmetic.allowedDowntime(THREE_NINES, YearMonth.of(2026, 2), BERLIN)).isEqualTo(Duration.ofMillis(2_419_200));
    }

    @Test
    void rollingPeriodsAreWholeDays() {
        assertThat(SlaArithmetic.allowedDowntimeRolling(THREE_NINES, 30)).isEqualTo(Duration.ofMillis(2_592_000)); // 43 min 12 s
        assertThat(SlaArithmetic.allowedDowntimeRolling(THREE_NINES, 28)).isEqualTo(Duration.ofMillis(2_419_200)); // 40 min 19.2 s
        assertThat(HumanDuration.budget(SlaArithmetic.allowedDowntimeRolling(THREE_NINES, 30))).isEqualTo("43 min 12 s");
    }

    @Test
    void periodAroundAnInstantIsTheCalendarMonthInTheZone() {
        // 2026-03-31T22:30Z is already April 1st 00:30 in Berlin (CEST).
        var p = SlaArithmetic.periodAround(new BudgetPeriod.CalendarMonth(BERLIN), Instant.parse("2026-03-31T22:30:00Z"));
        assertThat(p.start()).isEqualTo(Instant.parse("2026-03-31T22:00:00Z"));
        assertThat(p.end()).isEqualTo(Instant.parse("2026-04-30T22:00:00Z"));
        var r = SlaArithmetic.periodAround(new BudgetPeriod.Rolling(7), Instant.parse("2026-03-31T22:30:00Z"));
        assertThat(r.length()).isEqualTo(Duration.ofDays(7));
        assertThat(SlaArithmetic.periodLength(new BudgetPeriod.CalendarMonth(BERLIN), Instant.parse("2026-03-15T00:00:00Z")))
                .isEqualTo(Duration.ofHours(743));
    }

    @Test
    void maintenanceIsTakenOutOfThePeriodBeforeTheBudgetIsComputed() {
        // November 2026 in UTC (30 d) has five Sundays (1, 8, 15, 22, 29), each with a 1 h window.
        var weekly = new MaintenanceWindow.Recurring(EnumSet.of(DayOfWeek.SUNDAY), LocalTime.of(3, 0), Duration.ofHours(1),
                ZoneId.of("UTC"), "patching", Optional.empty());
        Instant from = Instant.parse("2026-11-01T00:00:00Z"), to = Instant.parse("2026-12-01T00:00:00Z");
        Duration allowed = SlaArithmetic.allowedDowntime(THREE_NINES, from, to, List.of(weekly));
        assertThat(allowed).isEqualTo(SlaArithmetic.allowedDowntime(THREE_NINES, Duration.ofDays(30).minusHours(5)));
        // An overlapping one-off hour is not taken out twice.
        var oneOff = new MaintenanceWindow.OneOff(LocalDateTime.of(2026, 11, 1, 3, 30), Duration.ofHours(1), ZoneId.of("UTC"), "db");
        assertThat(MaintenanceCalendar.of(List.of(weekly, oneOff)).excluded(from, to)).isEqualTo(Duration.ofMinutes(5 * 60 + 30));
    }

    @Test
    void remainingAndConsumedBudget() {
        Duration allowed = SlaArithmetic.allowedDowntimePerAverageMonth(THREE_NINES);
        assertThat(SlaArithmetic.remainingBudget(allowed, Duration.ofMinutes(10))).isEqualTo(Duration.ofMillis(2_629_800 - 600_000));
        assertThat(SlaArithmetic.remainingBudget(allowed, Duration.ofHours(1))).isNegative();
        assertThat(SlaArithmetic.consumedFraction(Duration.ofMinutes(40), Duration.ofMinutes(10))).isEqualByComparingTo("0.25");
        assertThat(SlaArithmetic.consumedFraction(Duration.ZERO, Duration.ofSeconds(1))).isEqualByComparingTo("1");
        assertThat(SlaArithmetic.consumedFraction(Duration.ZERO, Duration.ZERO)).isEqualByComparingTo("0");
    }

    @Test
    void measuredAvailabilityIsExact() {
        Ratio a = SlaArithmetic.availability(Duration.ofDays(30), Duration.ofMillis(2_592_000));
        assertThat(a).isEqualTo(THREE_NINES);
        assertThat(a.toString()).isEqualTo("99.9%");
        assertThat(SlaArithmetic.availability(Duration.ofDays(1), Duration.ofDays(2))).isEqualTo(Ratio.ZERO);
    }

    @Test
    void allowedBadEventsRoundsDown() {
        assertThat(SlaArithmetic.allowedBadEvents(THREE_NINES, 1_000_000)).isEqualTo(1_000);
        assertThat(SlaArithmetic.allowedBadEvents(THREE_NINES, 1_999)).isEqualTo(1);
        assertThat(SlaArithmetic.allowedBadEvents(Ratio.ofPercent("100"), 5)).isZero();
        assertThat(Ratio.ONE.complement().fraction()).isEqualByComparingTo(BigDecimal.ZERO);
    }
}
