package dev.vigil.gateway.policy.ratelimit;

import dev.vigil.gateway.policy.FailMode;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Limits a route adds on top of the caller's plan, counted per tenant per route (a tenant's plan
 * quota still counts every route).
 *
 * @param route    route name as the gateway file names it
 * @param limits   limits for every plan not listed in {@code byPlan}; may be empty
 * @param byPlan   per-plan replacement of {@code limits} (plan name → limits; empty list = unlimited on this route)
 * @param failMode what to do when shared state is unreachable on this route; {@code null} inherits the default
 */
public record RouteLimits(String route, List<Limit> limits, Map<String, List<Limit>> byPlan, FailMode failMode) {
    public RouteLimits {
        if (route == null || route.isBlank()) throw new IllegalArgumentException("route must not be blank");
        limits = List.copyOf(Objects.requireNonNull(limits, "limits"));
        java.util.Map<String, List<Limit>> copy = new java.util.HashMap<>();
        Objects.requireNonNull(byPlan, "byPlan").forEach((p, l) -> copy.put(p, List.copyOf(l)));
        byPlan = Map.copyOf(copy);
    }

    List<Limit> limitsFor(String plan) {
        return byPlan.getOrDefault(plan, limits);
    }
}
