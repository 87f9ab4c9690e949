package dev.vigil.slo.spec;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Optional;

/**
 * One promise of the SLO file. A closed set: the engine evaluates each kind in its own way.
 * Every objective knows where it was written, so a report can point back at the line.
 */
public sealed interface Objective {
    /**
     * Stable identifier, unique in a file: {@code <group>:<kind>[@tenant=<t>|@plan=<p>]} with {@code *} as the
     * group of all-traffic objectives, e.g. {@code landing-page-read:latency:p99},
     * {@code *:availability@plan=enterprise}.
     */
    String id();

    /** The id without its tenant or plan suffix: the general objective an override replaces. */
    default String baseId() {
        String id = id();
        int at = id.indexOf('@');
        return at < 0 ? id : id.substring(0, at);
    }

    Scope scope();

    SourceLocation location();

    /** An objective that spends an error budget: a ratio of good to all, over a period. */
    sealed interface Budgeted extends Objective {
        /** The good ratio the budget is derived from; the budget is its complement (99.9% → 0.1%). */
        Ratio goodRatioTarget();

        Budgeting budgeting();
    }

    /**
     * "pNN of the group's latency stays under the tiers' thresholds".
     *
     * @param percentile  in (0, 100], 100 meaning max
     * @param goodMinutes with time-slice budgeting, the share of minutes whose percentile must meet the target tier
     */
    record LatencyPercentile(String id, Scope scope, SourceLocation location, BigDecimal percentile,
                             Tiers<Duration> tiers, Optional<Ratio> goodMinutes) implements Objective {}

    /** "at least {@code tiers.target} of requests complete in under {@code threshold}". Higher is better. */
    record LatencyRatio(String id, Scope scope, SourceLocation location, Duration threshold, Tiers<Ratio> tiers,
                        Budgeting budgeting) implements Budgeted {
        @Override public Ratio goodRatioTarget() { return tiers.target(); }
    }

    /** The share of requests that are errors by {@code errors}. Lower is better. */
    record ErrorRate(String id, Scope scope, SourceLocation location, ErrorDefinition errors, Tiers<Ratio> tiers,
                     Budgeting budgeting) implements Budgeted {
        @Override public Ratio goodRatioTarget() { return tiers.target().complement(); }
    }

    /**
     * Good requests (events) or good minutes (time slices) over the period. Higher is better.
     *
     * @param badMinuteErrorRate with time slices, a minute whose error rate exceeds this is downtime
     */
    record Availability(String id, Scope scope, SourceLocation location, ErrorDefinition errors, Tiers<Ratio> tiers,
                        Budgeting budgeting, Ratio badMinuteErrorRate) implements Budgeted {
        @Override public Ratio goodRatioTarget() { return tiers.target(); }
    }

    /** The rates the system must carry: judged by load tests, reported from live traffic. */
    record Throughput(String id, Scope scope, SourceLocation location, Rate sustained, Optional<Rate> peak)
            implements Objective {}

    /** Floor for the share of cacheable lookups served from the cache. Higher is better. */
    record CacheHitRatio(String id, Scope scope, SourceLocation location, Tiers<Ratio> tiers) implements Objective {}
}
