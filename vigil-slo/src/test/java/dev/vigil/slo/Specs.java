package dev.vigil.slo;

import dev.vigil.slo.spec.BudgetPeriod;
import dev.vigil.slo.spec.Budgeting;
import dev.vigil.slo.spec.BudgetingMethod;
import dev.vigil.slo.spec.ErrorDefinition;
import dev.vigil.slo.spec.MaintenanceWindow;
import dev.vigil.slo.spec.Objective;
import dev.vigil.slo.spec.Rate;
import dev.vigil.slo.spec.Ratio;
import dev.vigil.slo.spec.RouteGroup;
import dev.vigil.slo.spec.RoutePattern;
import dev.vigil.slo.spec.Scope;
import dev.vigil.slo.spec.SloSpec;
import dev.vigil.slo.spec.SourceLocation;
import dev.vigil.slo.spec.TenantSelector;
import dev.vigil.slo.spec.Tiers;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** SLO specs built in code (the YAML parser is tested on its own). Groups: "read" and the default "other". */
final class Specs {
    private Specs() {}

    static final SourceLocation AT = SourceLocation.UNKNOWN;
    static final String READ = "read";
    static final String OTHER = "other";

    static SloSpec spec(Objective... objectives) {
        return spec(3, Map.of(), List.of(), objectives);
    }

    static SloSpec spec(int digits, Map<String, String> tenantPlans, List<MaintenanceWindow> maintenance, Objective... objectives) {
        return new SloSpec("test.yaml", "test", digits,
                List.of(new RouteGroup(READ, List.of(new RoutePattern("GET", "/landing-pages/{id}")), false, AT),
                        new RouteGroup(OTHER, List.of(new RoutePattern("*", "/**")), true, AT)),
                List.of(objectives), tenantPlans, maintenance);
    }

    static Scope group(String name) { return new Scope(name, TenantSelector.ALL); }

    static Scope tenant(String group, String tenant) { return new Scope(group, new TenantSelector.Tenant(tenant)); }

    static Scope plan(String group, String plan) { return new Scope(group, new TenantSelector.Plan(plan)); }

    static Tiers<Duration> millis(long target, long acceptable, long critical) {
        return new Tiers<>(Duration.ofMillis(target), Duration.ofMillis(acceptable), Duration.ofMillis(critical),
                Tiers.Direction.LOWER_IS_BETTER);
    }

    static Tiers<Ratio> atLeast(String target, String acceptable, String critical) {
        return new Tiers<>(Ratio.ofPercent(target), Ratio.ofPercent(acceptable), Ratio.ofPercent(critical),
                Tiers.Direction.HIGHER_IS_BETTER);
    }

    static Tiers<Ratio> atMost(String target, String acceptable, String critical) {
        return new Tiers<>(Ratio.ofPercent(target), Ratio.ofPercent(acceptable), Ratio.ofPercent(critical),
                Tiers.Direction.LOWER_IS_BETTER);
    }

    static Budgeting rolling(int days, BudgetingMethod method) { return new Budgeting(new BudgetPeriod.Rolling(days), method); }

    static Budgeting month(String zone, BudgetingMethod method) {
        return new Budgeting(new BudgetPeriod.CalendarMonth(ZoneId.of(zone)), method);
    }

    static Objective.LatencyPercentile percentile(String id, Scope scope, String percentile, Tiers<Duration> tiers) {
        return new Objective.LatencyPercentile(id, scope, AT, new BigDecimal(percentile), tiers, Optional.empty());
    }

    static Objective.LatencyPercentile percentileInMinutes(String id, Scope scope, String percentile, Tiers<Duration> tiers, String goodMinutes) {
        return new Objective.LatencyPercentile(id, scope, AT, new BigDecimal(percentile), tiers, Optional.of(Ratio.ofPercent(goodMinutes)));
    }

    static Objective.LatencyRatio latencyRatio(String id, Scope scope, Duration threshold, Tiers<Ratio> tiers, Budgeting budgeting) {
        return new Objective.LatencyRatio(id, scope, AT, threshold, tiers, budgeting);
    }

    static Objective.ErrorRate errorRate(String id, Scope scope, Tiers<Ratio> tiers, Budgeting budgeting) {
        return new Objective.ErrorRate(id, scope, AT, ErrorDefinition.DEFAULT, tiers, budgeting);
    }

    static Objective.Availability availability(String id, Scope scope, Tiers<Ratio> tiers, Budgeting budgeting, String badMinute) {
        return new Objective.Availability(id, scope, AT, ErrorDefinition.DEFAULT, tiers, budgeting, Ratio.ofPercent(badMinute));
    }

    static Objective.Throughput throughput(String id, Scope scope, double sustained, Double peak) {
        return new Objective.Throughput(id, scope, AT, new Rate(sustained), Optional.ofNullable(peak).map(Rate::new));
    }

    static Objective.CacheHitRatio cacheHitRatio(String id, Scope scope, Tiers<Ratio> tiers) {
        return new Objective.CacheHitRatio(id, scope, AT, tiers);
    }

    static ObjectiveResult result(SloReport report, String id) {
        return report.results().stream().filter(r -> r.objective().id().equals(id)).findFirst().orElseThrow();
    }
}
