package dev.vigil.slo.engine;

import dev.vigil.slo.spec.Objective;
import dev.vigil.slo.spec.RouteGroup;
import dev.vigil.slo.spec.SloSpec;
import dev.vigil.slo.spec.TenantSelector;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Which series a spec needs and which series each objective judges. Internal to vigil-slo.
 *
 * <p>Series are fixed by the spec, never by traffic: one per route group and attribution, where the
 * attributions are each tenant named by a tenant override, each plan named by a plan override, and
 * {@link SeriesKey#REST}. A tenant no override names (directly or through its plan) is counted in REST,
 * so unknown or unbounded tenant names cost no memory.
 *
 * <p>Overrides replace: for each kind of objective (class, route group, and percentile or threshold),
 * a tenant is judged by its own override if there is one, else by its plan's, else by the general one;
 * the general objective does not see traffic judged by an override of the same kind.
 */
public final class Topology {
    /** Route group for requests naming no known group when the spec has no default group. */
    public static final String UNMATCHED_GROUP = "";

    private final List<String> groups = new ArrayList<>();
    private final String fallbackGroup;
    private final Set<String> namedTenants = new LinkedHashSet<>();
    private final Set<String> overridePlans = new LinkedHashSet<>();
    private final Map<String, String> tenantPlans;
    /** Kinds overridden per attribution key. */
    private final Map<String, Set<String>> overriddenKinds = new HashMap<>();

    public Topology(SloSpec spec) {
        String fallback = null;
        for (RouteGroup g : spec.routeGroups()) {
            groups.add(g.name());
            if (g.isDefault()) fallback = g.name();
        }
        if (fallback == null) {
            fallback = UNMATCHED_GROUP;
            groups.add(UNMATCHED_GROUP);
        }
        fallbackGroup = fallback;
        tenantPlans = spec.tenantPlans();
        for (Objective o : spec.objectives()) {
            switch (o.scope().tenant()) {
                case TenantSelector.Tenant t -> {
                    namedTenants.add(t.name());
                    overriddenKinds.computeIfAbsent(SeriesKey.tenant(t.name()), k -> new HashSet<>()).add(kind(o));
                }
                case TenantSelector.Plan p -> {
                    overridePlans.add(p.name());
                    overriddenKinds.computeIfAbsent(SeriesKey.plan(p.name()), k -> new HashSet<>()).add(kind(o));
                }
                case TenantSelector.All a -> { }
            }
        }
    }

    /** Route groups in spec order, plus {@link #UNMATCHED_GROUP} when the spec has no default group. */
    public List<String> groups() { return List.copyOf(groups); }

    /** The group that counts requests whose group name is unknown. */
    public String fallbackGroup() { return fallbackGroup; }

    /** Attribution keys in a stable order, {@link SeriesKey#REST} first. */
    public List<String> attributions() {
        List<String> keys = new ArrayList<>();
        keys.add(SeriesKey.REST);
        for (String p : overridePlans) keys.add(SeriesKey.plan(p));
        for (String t : namedTenants) keys.add(SeriesKey.tenant(t));
        return keys;
    }

    /** Tenants with an attribution other than REST, and that attribution. */
    Map<String, String> tenantAttributions() {
        Map<String, String> map = new HashMap<>();
        tenantPlans.forEach((tenant, plan) -> {
            if (overridePlans.contains(plan)) map.put(tenant, SeriesKey.plan(plan));
        });
        for (String t : namedTenants) map.put(t, SeriesKey.tenant(t));
        return map;
    }

    /**
     * The series among {@code available} (those of a capture) that the objective judges. Decided from each
     * series' attribution, so a capture recorded under another version of the file still counts: a series
     * this spec has no override for is judged by the general objectives.
     */
    public List<SeriesKey> seriesFor(Objective o, Collection<SeriesKey> available) {
        String kind = kind(o);
        List<SeriesKey> series = new ArrayList<>();
        for (SeriesKey k : available) {
            if (!o.scope().allRoutes() && !k.group().equals(o.scope().routeGroup())) continue;
            if (judges(o.scope().tenant(), kind, k.attribution())) series.add(k);
        }
        return series;
    }

    private boolean judges(TenantSelector selector, String kind, String attribution) {
        String tenant = attribution.startsWith(SeriesKey.tenant("")) ? attribution.substring(SeriesKey.tenant("").length()) : null;
        String plan = attribution.startsWith(SeriesKey.plan("")) ? attribution.substring(SeriesKey.plan("").length())
                : tenant != null ? tenantPlans.get(tenant) : null;
        boolean ownOverride = tenant != null && overrides(SeriesKey.tenant(tenant), kind);
        boolean planOverride = plan != null && overrides(SeriesKey.plan(plan), kind);
        return switch (selector) {
            case TenantSelector.Tenant t -> t.name().equals(tenant);
            case TenantSelector.Plan p -> !ownOverride && p.name().equals(plan);
            case TenantSelector.All a -> !ownOverride && !planOverride;
        };
    }

    private boolean overrides(String attribution, String kind) {
        return Optional.ofNullable(overriddenKinds.get(attribution)).map(s -> s.contains(kind)).orElse(false);
    }

    /** Objectives of the same kind replace each other for the tenants an override selects. */
    static String kind(Objective o) {
        String detail = switch (o) {
            case Objective.LatencyPercentile p -> p.percentile().stripTrailingZeros().toPlainString();
            case Objective.LatencyRatio r -> r.threshold().toString();
            default -> "";
        };
        return o.getClass().getSimpleName() + "|" + o.scope().routeGroup() + "|" + detail;
    }
}
