package dev.vigil.slo.spec;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A parsed, validated SLO file. Immutable; build one with {@link SloFiles#load}.
 *
 * @param source           path the file was read from (for messages)
 * @param service          the service's name
 * @param precisionDigits  HdrHistogram significant digits for latency, 1..5 (3 by default: 0.1% value error)
 * @param routeGroups      in match order; the default group is last
 * @param objectives       every objective, general ones and tenant/plan overrides
 * @param tenantPlans      tenant → plan, for plan overrides (the gateway adds its own tenants' plans)
 * @param maintenance      planned maintenance, excluded from availability
 */
public record SloSpec(String source, String service, int precisionDigits, List<RouteGroup> routeGroups,
                      List<Objective> objectives, Map<String, String> tenantPlans,
                      List<MaintenanceWindow> maintenance) {
    public SloSpec {
        routeGroups = List.copyOf(routeGroups);
        objectives = List.copyOf(objectives);
        tenantPlans = Map.copyOf(tenantPlans);
        maintenance = List.copyOf(maintenance);
    }

    /** The route group called {@code name}. */
    public Optional<RouteGroup> routeGroup(String name) {
        for (RouteGroup g : routeGroups) if (g.name().equals(name)) return Optional.of(g);
        return Optional.empty();
    }

    /** The default route group (the last one). */
    public RouteGroup defaultGroup() {
        return routeGroups.getLast();
    }

    /** Objectives that apply to every tenant: those without a tenant or plan selector. */
    public List<Objective> generalObjectives() {
        return objectives.stream().filter(o -> o.scope().tenant() instanceof TenantSelector.All).toList();
    }

    /**
     * The objectives that judge {@code tenant}'s traffic: each general objective, replaced by the tenant's own
     * override of the same {@link Objective#baseId() base id} if there is one, else by its plan's (the plan from
     * {@link #tenantPlans()}, or {@code plan} when given); followed by override objectives that replace nothing.
     * In file order.
     *
     * @param plan the tenant's plan when the caller knows it (e.g. the gateway's tenant table); null to use tenantPlans
     */
    public List<Objective> objectivesFor(String tenant, String plan) {
        String effectivePlan = plan != null ? plan : tenantPlans.get(tenant);
        Map<String, Objective> byBase = new LinkedHashMap<>();
        for (Objective o : objectives) if (o.scope().tenant() instanceof TenantSelector.All) byBase.put(o.baseId(), o);
        List<Objective> extra = new ArrayList<>();
        // Plan first, then tenant, so that a tenant override wins over a plan override.
        for (boolean tenantPass : new boolean[]{false, true}) {
            for (Objective o : objectives) {
                boolean applies = switch (o.scope().tenant()) {
                    case TenantSelector.All a -> false;
                    case TenantSelector.Plan p -> !tenantPass && p.name().equals(effectivePlan);
                    case TenantSelector.Tenant t -> tenantPass && t.name().equals(tenant);
                };
                if (!applies) continue;
                if (byBase.containsKey(o.baseId())) byBase.put(o.baseId(), o);
                else {
                    extra.removeIf(x -> x.baseId().equals(o.baseId()));
                    extra.add(o);
                }
            }
        }
        List<Objective> out = new ArrayList<>(byBase.values());
        out.addAll(extra);
        return List.copyOf(out);
    }
}
