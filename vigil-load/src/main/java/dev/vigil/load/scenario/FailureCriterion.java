package dev.vigil.load.scenario;

import java.util.Objects;

/**
 * A condition that stops the run early, e.g. {@code error_rate: "> 5%"} or {@code p99: "> 2000ms"}. Checked every
 * second over everything measured so far once {@code minRequests} have completed, and again at the end.
 *
 * @param threshold a fraction in [0, 1] for {@link Metric#ERROR_RATE}, milliseconds for latencies
 * @param inclusive true for {@code >=}, false for {@code >}
 * @param text      as written, for messages
 */
public record FailureCriterion(Metric metric, double threshold, boolean inclusive, String text) {
    public FailureCriterion {
        Objects.requireNonNull(metric, "metric");
        Objects.requireNonNull(text, "text");
        if (!(threshold >= 0) || Double.isInfinite(threshold)) throw new IllegalArgumentException("threshold must be >= 0");
    }

    /** What a criterion watches; {@code key} is how the scenario file writes it. */
    public enum Metric {
        ERROR_RATE("error_rate", -1), P50("p50", 50), P90("p90", 90), P95("p95", 95), P99("p99", 99),
        P999("p99.9", 99.9), MAX("max", 100), MEAN("mean", -1);

        private final String key;
        private final double percentile;

        Metric(String key, double percentile) {
            this.key = key;
            this.percentile = percentile;
        }

        public String key() { return key; }

        /** The latency percentile this metric reads, or -1 when it is not a percentile. */
        public double percentile() { return percentile; }

        public static java.util.Optional<Metric> ofKey(String key) {
            for (Metric m : values()) if (m.key.equals(key)) return java.util.Optional.of(m);
            return java.util.Optional.empty();
        }
    }

    /** True when {@code value} (same unit as the threshold) breaks this criterion. */
    public boolean isBrokenBy(double value) {
        return inclusive ? value >= threshold : value > threshold;
    }
}
