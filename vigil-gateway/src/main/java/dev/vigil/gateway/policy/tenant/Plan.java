package dev.vigil.gateway.policy.tenant;

import dev.vigil.gateway.policy.ratelimit.Limit;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A plan (e.g. free / pro / enterprise): the limits every tenant on it gets, counted per tenant
 * across all routes. Routes may add their own limits (see {@code RouteLimits}).
 *
 * @param name   plan name, referenced by API keys and route overrides
 * @param limits the plan's limits, evaluated together; names unique within the plan; may be empty (unlimited)
 */
public record Plan(String name, List<Limit> limits) {
    public Plan {
        if (name == null || name.isBlank()) throw new IllegalArgumentException("plan name must not be blank");
        limits = List.copyOf(Objects.requireNonNull(limits, "limits"));
        Set<String> seen = new HashSet<>();
        for (Limit l : limits) {
            if (!seen.add(l.name())) {
                throw new IllegalArgumentException("plan '" + name + "': limit name '" + l.name() + "' is used twice");
            }
        }
    }
}
