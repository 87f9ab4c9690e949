package dev.vigil.gateway.policy.ratelimit;

import dev.vigil.gateway.policy.FailMode;
import dev.vigil.gateway.policy.tenant.Plan;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Everything the rate limiter enforces.
 *
 * @param plans    plans by name (the same map the tenant config holds)
 * @param routes   per-route additions; route names unique
 * @param global   the global ceiling, counted across all tenants; may be empty
 * @param failMode default behaviour when shared state is unreachable
 */
public record RateLimitRules(Map<String, Plan> plans, List<RouteLimits> routes, List<Limit> global, FailMode failMode) {
    public RateLimitRules {
        plans = Map.copyOf(Objects.requireNonNull(plans, "plans"));
        routes = List.copyOf(Objects.requireNonNull(routes, "routes"));
        global = List.copyOf(Objects.requireNonNull(global, "global"));
        Objects.requireNonNull(failMode, "failMode");
        Set<String> routeNames = new HashSet<>();
        for (RouteLimits r : routes) {
            if (!routeNames.add(r.route())) throw new IllegalArgumentException("route '" + r.route() + "' has two rate-limit entries");
            for (String plan : r.byPlan().keySet()) {
                if (!plans.containsKey(plan)) {
                    throw new IllegalArgumentException("route '" + r.route() + "' overrides unknown plan '" + plan + "'; known plans: " + plans.keySet());
                }
            }
            uniqueNames("route '" + r.route() + "'", r.limits());
            r.byPlan().forEach((p, l) -> uniqueNames("route '" + r.route() + "' plan '" + p + "'", l));
        }
        uniqueNames("global ceiling", global);
    }

    private static void uniqueNames(String where, List<Limit> limits) {
        Set<String> seen = new HashSet<>();
        for (Limit l : limits) {
            if (!seen.add(l.name())) throw new IllegalArgumentException(where + ": limit name '" + l.name() + "' is used twice");
        }
    }
}
