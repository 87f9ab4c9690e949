package dev.vigil.gateway.policy.ratelimit;

import dev.vigil.gateway.policy.FailMode;
import dev.vigil.gateway.policy.tenant.Plan;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Rules resolved ahead of time into one {@link PolicySet} per (plan, route), so a decision does two
 * map lookups and no list building.
 */
final class CompiledRules {

    enum Scope { TENANT, ROUTE, GLOBAL }

    /** Identifies a counter across reloads: same scope, route and limit → same counter. */
    record StateKey(Scope scope, String route, Limit limit) {}

    /** One limit as applied in one policy set. */
    static final class Bound {
        final Limit limit;
        final Scope scope;
        final String headerName;
        final int slot;              // index of this counter in its scope's state (embedded)
        final boolean gcra;
        final long a;                // GCRA: emission interval T; quota: window; nanoseconds
        final long b;                // GCRA: tolerance tau, nanoseconds; quota: count

        Bound(Limit limit, Scope scope, String headerName, int slot) {
            this.limit = limit;
            this.scope = scope;
            this.headerName = headerName;
            this.slot = slot;
            if (limit instanceof Limit.Rate r) {
                gcra = true; a = r.emissionIntervalNanos(); b = r.toleranceNanos();
            } else {
                Limit.Quota q = (Limit.Quota) limit;
                gcra = false; a = q.windowNanos(); b = q.count();
            }
        }

        long burst() { return limit instanceof Limit.Rate r ? r.burst() : 0; }

        /** Longest time this counter can matter after its last use, nanoseconds. */
        long horizonNanos() { return gcra ? a + b : a; }
    }

    /** All limits for one (plan, route). */
    static final class PolicySet {
        final Bound[] bounds;
        final String route;
        final FailMode failMode;
        final boolean hasGlobal;

        PolicySet(List<Bound> bounds, String route, FailMode failMode) {
            this.bounds = bounds.toArray(Bound[]::new);
            this.route = route;
            this.failMode = failMode;
            this.hasGlobal = bounds.stream().anyMatch(x -> x.scope == Scope.GLOBAL);
        }
    }

    private record PlanSets(PolicySet base, Map<String, PolicySet> byRoute) {}

    private final Map<String, PlanSets> plans;
    final long horizonNanos;

    /** @param slots assigns each counter a stable index (kept across reloads by the limiter) */
    CompiledRules(RateLimitRules rules, Function<StateKey, Integer> slots) {
        Map<String, PlanSets> m = new HashMap<>();
        long horizon = 1;
        for (Plan plan : rules.plans().values()) {
            List<Bound> base = new ArrayList<>();
            for (Limit l : plan.limits()) base.add(new Bound(l, Scope.TENANT, l.name(), slots.apply(new StateKey(Scope.TENANT, "", l))));
            List<Bound> global = new ArrayList<>();
            for (Limit l : rules.global()) global.add(new Bound(l, Scope.GLOBAL, "global." + l.name(), slots.apply(new StateKey(Scope.GLOBAL, "", l))));
            List<Bound> baseAll = new ArrayList<>(base);
            baseAll.addAll(global);
            Map<String, PolicySet> byRoute = new HashMap<>();
            for (RouteLimits r : rules.routes()) {
                List<Bound> all = new ArrayList<>(base);
                for (Limit l : r.limitsFor(plan.name())) {
                    all.add(new Bound(l, Scope.ROUTE, r.route() + "." + l.name(), slots.apply(new StateKey(Scope.ROUTE, r.route(), l))));
                }
                all.addAll(global);
                byRoute.put(r.route(), new PolicySet(all, r.route(), r.failMode() == null ? rules.failMode() : r.failMode()));
            }
            for (Bound b : baseAll) horizon = Math.max(horizon, b.horizonNanos());
            for (PolicySet s : byRoute.values()) for (Bound b : s.bounds) horizon = Math.max(horizon, b.horizonNanos());
            m.put(plan.name(), new PlanSets(new PolicySet(baseAll, null, rules.failMode()), Map.copyOf(byRoute)));
        }
        this.plans = Map.copyOf(m);
        this.horizonNanos = horizon;
    }

    /** @throws IllegalArgumentException for an unknown plan (a config bug the caller must not hide) */
    PolicySet lookup(String plan, String route) {
        PlanSets p = plans.get(plan);
        if (p == null) throw new IllegalArgumentException("unknown plan '" + plan + "'; known plans: " + plans.keySet());
        if (route == null) return p.base;
        PolicySet s = p.byRoute.get(route);
        return s == null ? p.base : s;
    }
}
