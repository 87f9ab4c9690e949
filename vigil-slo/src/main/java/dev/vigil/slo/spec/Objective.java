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

    /**
     * How this objective spends an error budget: every {@link Budgeted} objective, and a latency percentile judged
     * in good minutes; empty for the others.
     */
    default Optional<Budgeting> errorBudget() {
        return switch (this) {
            case Budgeted b -> Optional.of(b.budgeting());
            case LatencyPercentile p -> p.budgeting();
            default -> Optional.empty();
        };
    }

    /** An objective that spends an error budget: a ratio of good to all, over a period. */
    sealed interface Budgeted extends Objective {
        /** The good ratio the budget is derived from; the budget is its complement (99.9% → 0.1%). */
        Ratio goodRatioTarget();

        Budgeting budgeting();
    }

    /**
     * "pNN of the group's latency stays under the tiers' thresholds".
     *
     * <p>With {@code goodMinutes} the percentile is judged per minute, and the objective has a time-slice error
     * budget: a minute with traffic is bad when its pNN is over the target threshold, and
     * {@code 100% − goodMinutes} of the minutes in {@code budgeting}'s period may be bad. Without it the
     * percentile is judged over the whole window and spends no budget.
     *
     * @param percentile  in (0, 100], 100 meaning max
     * @param goodMinutes with time-slice budgeting, the share of minutes whose percentile must meet the target tier
     * @param budgeting   present exactly when {@code goodMinutes} is: the budget period (the file's, or the general
     *                    objective's for an override) with {@link BudgetingMethod#TIMESLICES}
     */
    record LatencyPercentile(String id, Scope scope, SourceLocation location, BigDecimal percentile,
                             Tiers<Duration> tiers, Optional<Ratio> goodMinutes, Optional<Budgeting> budgeting) implements Objective {
        /** A calendar month in UTC, the file format's default period, for per-minute percentiles. */
        public static final Budgeting DEFAULT_TIME_SLICES = new Budgeting(new BudgetPeriod.CalendarMonth(java.time.ZoneOffset.UTC),
                BudgetingMethod.TIMESLICES);

        public LatencyPercentile {
            if (goodMinutes == null || budgeting == null) throw new IllegalArgumentException("goodMinutes and budgeting may be empty, not null");
            if (goodMinutes.isPresent() != budgeting.isPresent()) {
                throw new IllegalArgumentException("a percentile has a budget exactly when it is judged in good minutes");
            }
            if (budgeting.isPresent() && budgeting.get().method() != BudgetingMethod.TIMESLICES) {
                throw new IllegalArgumentException("a percentile's budget counts minutes (TIMESLICES), not " + budgeting.get().method());
            }
        }

        /** Without a period: per-minute percentiles budget over {@link #DEFAULT_TIME_SLICES}. */
        public LatencyPercentile(String id, Scope scope, SourceLocation location, BigDecimal percentile,
                                 Tiers<Duration> tiers, Optional<Ratio> goodMinutes) {
            this(id, scope, location, percentile, tiers, goodMinutes, goodMinutes.map(g -> DEFAULT_TIME_SLICES));
        }
    }

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
