package dev.vigil.slo.spec;

import java.util.List;
import java.util.Map;

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
}
