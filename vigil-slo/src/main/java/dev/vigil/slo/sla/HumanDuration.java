package dev.vigil.slo.sla;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;

/**
 * Durations written for people. Two styles:
 * <ul>
 *   <li>{@link #budget}: allowances and downtime, in mixed units rounded to what matters
 *       ({@code 43 min 50 s}, {@code 8 h 45 min 58 s}, {@code 3 d 15 h 40 min}, {@code 26.3 s});</li>
 *   <li>{@link #latency}: thresholds and measurements, one unit with up to three significant digits
 *       ({@code 100 ms}, {@code 1.5 s}, {@code 250 µs}, {@code 187 ms}).</li>
 * </ul>
 */
public final class HumanDuration {
    private HumanDuration() {}

    private static final long NANOS_PER_MICRO = 1_000L;
    private static final long NANOS_PER_MILLI = 1_000_000L;
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    /**
     * Under a minute: seconds with one decimal ({@code 26.3 s}), or ms / µs below a second; under a day: h, min, s
     * rounded to the second; from a day: d, h, min rounded to the minute. Zero parts are left out; negative
     * durations get a leading minus.
     */
    public static String budget(Duration d) {
        if (d.isNegative()) return "-" + budget(d.negated());
        if (d.isZero()) return "0 s";
        if (d.compareTo(Duration.ofSeconds(1)) < 0) return latency(d);
        if (d.compareTo(Duration.ofSeconds(59, 950_000_000)) < 0) {
            BigDecimal s = BigDecimal.valueOf(d.toNanos()).movePointLeft(9).setScale(1, RoundingMode.HALF_UP).stripTrailingZeros();
            return plain(s) + " s";
        }
        if (d.compareTo(Duration.ofHours(24).minusMillis(500)) < 0) {
            long s = roundTo(d, Duration.ofSeconds(1));
            return join(0, s / 3600, (s % 3600) / 60, s % 60);
        }
        long m = roundTo(d, Duration.ofMinutes(1));
        return join(m / 1440, (m % 1440) / 60, m % 60, 0);
    }

    /** One unit, at most three significant digits below 1000 of it: {@code 100 ms}, {@code 1.5 s}, {@code 2 min}. */
    public static String latency(Duration d) {
        if (d.isNegative()) return "-" + latency(d.negated());
        long nanos;
        try {
            nanos = d.toNanos();
        } catch (ArithmeticException e) {
            return budget(d);
        }
        if (nanos == 0) return "0 ms";
        if (nanos < NANOS_PER_MICRO) return nanos + " ns";
        long[] units = {NANOS_PER_MICRO, NANOS_PER_MILLI, NANOS_PER_SECOND};
        String[] names = {" µs", " ms", " s"};
        for (int i = 0; i < units.length; i++) {
            if (i + 1 < units.length && nanos >= units[i + 1]) continue;
            BigDecimal v = round3(nanos, units[i]);
            // 999.6 µs rounds to 1000 µs: say 1 ms instead.
            if (v.compareTo(BigDecimal.valueOf(1000)) >= 0 && i + 1 < units.length) v = round3(nanos, units[i + 1]);
            else if (v.compareTo(BigDecimal.valueOf(1000)) < 0 || i + 1 == units.length) {
                if (i == units.length - 1 && nanos >= 60 * NANOS_PER_SECOND) break;
                return plain(v) + names[i];
            }
            return plain(v) + names[i + 1];
        }
        if (nanos < 3600 * NANOS_PER_SECOND && nanos % (60 * NANOS_PER_SECOND) == 0) return nanos / (60 * NANOS_PER_SECOND) + " min";
        return budget(d);
    }

    /** {@link #latency} for a value in microseconds, the engine's unit. */
    public static String latencyMicros(long micros) {
        return latency(Duration.ofNanos(Math.multiplyExact(micros, NANOS_PER_MICRO)));
    }

    /** value / unit with three significant digits, e.g. 1 234 567 ns / 1 ms → 1.23. */
    private static BigDecimal round3(long nanos, long unit) {
        BigDecimal v = BigDecimal.valueOf(nanos).divide(BigDecimal.valueOf(unit));
        return v.round(new java.math.MathContext(3, RoundingMode.HALF_UP)).stripTrailingZeros();
    }

    private static String plain(BigDecimal v) {
        if (v.scale() < 0) v = v.setScale(0, RoundingMode.UNNECESSARY);
        return v.toPlainString();
    }

    private static long roundTo(Duration d, Duration unit) {
        BigDecimal n = new BigDecimal(SlaArithmetic.nanos(d)).divide(new BigDecimal(SlaArithmetic.nanos(unit)), 0, RoundingMode.HALF_UP);
        return n.longValueExact();
    }

    private static String join(long days, long hours, long minutes, long seconds) {
        StringBuilder sb = new StringBuilder();
        if (days > 0) sb.append(days).append(" d");
        if (hours > 0) sb.append(sb.isEmpty() ? "" : " ").append(hours).append(" h");
        if (minutes > 0) sb.append(sb.isEmpty() ? "" : " ").append(minutes).append(" min");
        if (seconds > 0) sb.append(sb.isEmpty() ? "" : " ").append(seconds).append(" s");
        return sb.isEmpty() ? "0 s" : sb.toString();
    }
}
