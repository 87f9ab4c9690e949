package dev.vigil.slo.sla;

import dev.vigil.slo.spec.BudgetPeriod;
import dev.vigil.slo.spec.MaintenanceWindow;
import dev.vigil.slo.spec.Ratio;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;

/**
 * The arithmetic of availability promises: how much downtime a target allows over a period, and how much of
 * that is left. Pure functions of their arguments.
 *
 * <p>Exact: percentages are decimals ({@link Ratio}) and periods whole nanoseconds, so 0.1% of an average month
 * is exactly 2 629.8 s (43 min 49.8 s), never 2 629.7999… . Results are rounded to the nanosecond (half-even)
 * only where a division does not terminate.
 *
 * <p>Conventions: an <em>average month</em> is 365.25 / 12 = 30.4375 days and an <em>average year</em> 365.25
 * days (the Julian year, what SLA tables use). A <em>calendar month</em> is the actual elapsed time from the
 * first midnight of the month to the next in a time zone, so a March with a spring-forward night is 743 h.
 */
public final class SlaArithmetic {
    private SlaArithmetic() {}

    /** 30.4375 days = 2 629 800 s. */
    public static final Duration AVERAGE_MONTH = Duration.ofSeconds(2_629_800);
    /** 365.25 days = 31 557 600 s. */
    public static final Duration AVERAGE_YEAR = Duration.ofSeconds(31_557_600);

    private static final BigDecimal NANOS_PER_SECOND = BigDecimal.valueOf(1_000_000_000L);

    /** (100% − {@code availability}) × {@code period}, exactly. */
    public static Duration allowedDowntime(Ratio availability, Duration period) {
        return scale(period, availability.complement().fraction());
    }

    /** Allowed downtime in an average month: 99.9% → 43 min 49.8 s. */
    public static Duration allowedDowntimePerAverageMonth(Ratio availability) {
        return allowedDowntime(availability, AVERAGE_MONTH);
    }

    /** Allowed downtime in an average year: 99.99% → 52 min 35.76 s. */
    public static Duration allowedDowntimePerYear(Ratio availability) {
        return allowedDowntime(availability, AVERAGE_YEAR);
    }

    /** Allowed downtime in one calendar month as lived in {@code zone} (DST-aware). */
    public static Duration allowedDowntime(Ratio availability, YearMonth month, ZoneId zone) {
        return allowedDowntime(availability, calendarMonthLength(month, zone));
    }

    /** Allowed downtime over a rolling window of {@code days} days. */
    public static Duration allowedDowntimeRolling(Ratio availability, int days) {
        return allowedDowntime(availability, Duration.ofDays(days));
    }

    /** Elapsed time from the start of {@code month} to the start of the next, in {@code zone}. */
    public static Duration calendarMonthLength(YearMonth month, ZoneId zone) {
        ZonedDateTime start = month.atDay(1).atStartOfDay(zone);
        ZonedDateTime end = month.plusMonths(1).atDay(1).atStartOfDay(zone);
        return Duration.between(start, end);
    }

    /**
     * The budget period that contains {@code now}: the calendar month around it, or the {@code days} days
     * ending at it. Returned as {@code [start, end)}.
     */
    public static MaintenanceWindow.Occurrence periodAround(BudgetPeriod period, Instant now) {
        return switch (period) {
            case BudgetPeriod.CalendarMonth m -> {
                YearMonth month = YearMonth.from(now.atZone(m.zone()));
                yield new MaintenanceWindow.Occurrence(month.atDay(1).atStartOfDay(m.zone()).toInstant(),
                        month.plusMonths(1).atDay(1).atStartOfDay(m.zone()).toInstant());
            }
            case BudgetPeriod.Rolling r -> new MaintenanceWindow.Occurrence(now.minus(r.length()), now);
        };
    }

    /** Length of the budget period containing {@code now}. */
    public static Duration periodLength(BudgetPeriod period, Instant now) {
        return periodAround(period, now).length();
    }

    /**
     * Allowed downtime over {@code [from, to)} after planned maintenance is taken out: maintenance time counts
     * neither as uptime nor as downtime, so the budget is the complement of the target times the remaining time.
     */
    public static Duration allowedDowntime(Ratio availability, Instant from, Instant to, List<MaintenanceWindow> maintenance) {
        Duration period = Duration.between(from, to);
        Duration excluded = MaintenanceCalendar.of(maintenance).excluded(from, to);
        return allowedDowntime(availability, period.minus(excluded));
    }

    /** Budget left after {@code downtime}; negative when the budget is overspent. */
    public static Duration remainingBudget(Duration allowed, Duration downtime) {
        return allowed.minus(downtime);
    }

    /** Share of the budget spent, e.g. 0.25 for a quarter; above 1 when overspent; 1 for any downtime against a zero budget. */
    public static BigDecimal consumedFraction(Duration allowed, Duration downtime) {
        if (allowed.isZero()) return downtime.isZero() ? BigDecimal.ZERO : BigDecimal.ONE;
        return new BigDecimal(nanos(downtime)).divide(new BigDecimal(nanos(allowed)), MathContext.DECIMAL64).stripTrailingZeros();
    }

    /** Measured availability: 1 − downtime / period, exactly to 34 digits; capped to [0%, 100%]. */
    public static Ratio availability(Duration period, Duration downtime) {
        if (period.isZero() || period.isNegative()) return Ratio.ONE;
        BigDecimal down = new BigDecimal(nanos(downtime)).divide(new BigDecimal(nanos(period)), MathContext.DECIMAL128);
        BigDecimal up = BigDecimal.ONE.subtract(down);
        if (up.signum() < 0) up = BigDecimal.ZERO;
        if (up.compareTo(BigDecimal.ONE) > 0) up = BigDecimal.ONE;
        return new Ratio(up);
    }

    /** How many bad events a target allows among {@code totalEvents}: floor((1 − target) × total). */
    public static long allowedBadEvents(Ratio goodRatioTarget, long totalEvents) {
        return goodRatioTarget.complement().fraction().multiply(BigDecimal.valueOf(totalEvents))
                .setScale(0, RoundingMode.FLOOR).longValueExact();
    }

    private static Duration scale(Duration d, BigDecimal factor) {
        BigDecimal nanos = new BigDecimal(nanos(d)).multiply(factor).setScale(0, RoundingMode.HALF_EVEN);
        return fromNanos(nanos.toBigIntegerExact());
    }

    private static Duration fromNanos(BigInteger nanos) {
        BigInteger[] qr = nanos.divideAndRemainder(NANOS_PER_SECOND.toBigIntegerExact());
        return Duration.ofSeconds(qr[0].longValueExact(), qr[1].longValueExact());
    }

    static BigInteger nanos(Duration d) {
        return BigInteger.valueOf(d.getSeconds()).multiply(NANOS_PER_SECOND.toBigIntegerExact()).add(BigInteger.valueOf(d.getNano()));
    }
}
