package dev.vigil.slo;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.Locale;

/** Human text for measured values. */
final class Formats {
    private Formats() {}

    static String latency(long micros) {
        if (micros < 10_000) return String.format(Locale.ROOT, "%.2f ms", micros / 1000.0);
        if (micros < 1_000_000) return String.format(Locale.ROOT, "%d ms", Math.round(micros / 1000.0));
        return String.format(Locale.ROOT, "%.2f s", micros / 1_000_000.0);
    }

    /** {@code num/den} as a percentage with at most 4 decimals, rounded in {@code mode} so it never flatters. */
    static String percent(long num, long den, RoundingMode mode) {
        BigDecimal p = BigDecimal.valueOf(num).movePointRight(2).divide(BigDecimal.valueOf(den), 4, mode).stripTrailingZeros();
        if (p.scale() < 0) p = p.setScale(0, RoundingMode.UNNECESSARY);
        return p.toPlainString() + "%";
    }

    static String rate(double perSecond) {
        if (perSecond >= 100) return String.format(Locale.ROOT, "%.0f rps", perSecond);
        if (perSecond >= 10) return String.format(Locale.ROOT, "%.1f rps", perSecond);
        return String.format(Locale.ROOT, "%.2f rps", perSecond);
    }

    static String duration(Duration d) {
        long s = d.toSeconds();
        if (s < 60) return s + " s";
        if (s < 3600) return (s / 60) + " min " + (s % 60) + " s";
        return (s / 3600) + " h " + (s % 3600 / 60) + " min";
    }
}
