package dev.vigil.slo.engine;

import dev.vigil.slo.spec.Objective;
import dev.vigil.slo.spec.RouteGroup;
import dev.vigil.slo.spec.Scope;
import dev.vigil.slo.spec.SloSpec;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The parts of a spec that decide where a request is counted. Internal to vigil-slo; the API is
 * {@link dev.vigil.slo.SloEngine#recordingDifference}.
 *
 * <p>A recorded request increments one series (route group × attribution) in one histogram cell and one
 * counter cell (status class × latency level × cache kind). So two specs record the same way when they have
 * <ul>
 *   <li>the same route groups, in the same order, with the same routes and the same default group (the
 *       route matcher that names the group of a request is built from them);</li>
 *   <li>the same {@link Layout}: histogram precision and the latency thresholds counted per request
 *       (latency-ratio thresholds, and the three tier thresholds of percentiles judged in good minutes);</li>
 *   <li>the same series per group: the same tenants and plans named by overrides, and every tenant counted
 *       under the same attribution (its own, its plan's, or everyone else's).</li>
 * </ul>
 * Everything else is read only when evaluating: tiers, targets, budget periods and methods, which responses
 * are errors, bad-minute error rates, throughput rates, maintenance, time zones, which objectives an
 * override replaces, the service name and where in the file things were written. How long the store keeps
 * data follows the budget periods but changes no cell, so it is not part of the shape either; the engine
 * adjusts it when rebinding.
 */
public final class RecordingShape {
    private RecordingShape() {}

    /**
     * Why {@code next} records requests differently from {@code running}, in words for an operator (several
     * reasons joined with "; "); empty when every request would land in the same series and cells.
     */
    public static Optional<String> difference(SloSpec running, SloSpec next) {
        List<String> reasons = new ArrayList<>();
        routeGroups(running, next, reasons);
        if (running.precisionDigits() != next.precisionDigits()) {
            reasons.add("latency precision changed from " + running.precisionDigits() + " to " + next.precisionDigits()
                    + " significant digits");
        }
        thresholds(running, next, reasons);
        attributions(new Topology(running), new Topology(next), reasons);
        return reasons.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", reasons));
    }

    private static void routeGroups(SloSpec running, SloSpec next, List<String> reasons) {
        List<String> before = running.routeGroups().stream().map(RouteGroup::name).toList();
        List<String> after = next.routeGroups().stream().map(RouteGroup::name).toList();
        for (String g : after) if (!before.contains(g)) reasons.add("route group '" + g + "' is new");
        for (String g : before) if (!after.contains(g)) reasons.add("route group '" + g + "' is gone");
        List<String> kept = after.stream().filter(before::contains).toList();
        if (!kept.equals(before.stream().filter(after::contains).toList())) {
            reasons.add("route groups are in a different order (a request belongs to the first group that matches)");
        }
        for (RouteGroup g : next.routeGroups()) {
            RouteGroup old = running.routeGroup(g.name()).orElse(null);
            if (old == null) continue;
            if (old.isDefault() != g.isDefault()) {
                reasons.add("route group '" + g.name() + "' " + (g.isDefault() ? "is now" : "is no longer") + " the default group");
            } else if (!old.patterns().equals(g.patterns())) {
                reasons.add("route group '" + g.name() + "' matches different routes (was " + old.patterns()
                        + ", now " + g.patterns() + ")");
            }
        }
    }

    private static void thresholds(SloSpec running, SloSpec next, List<String> reasons) {
        Map<Long, Set<Objective>> before = thresholdUsers(running);
        Map<Long, Set<Objective>> after = thresholdUsers(next);
        Set<Long> added = new TreeSet<>(after.keySet());
        added.removeAll(before.keySet());
        Set<Long> dropped = new TreeSet<>(before.keySet());
        dropped.removeAll(after.keySet());
        if (added.isEmpty() && dropped.isEmpty()) return;
        Set<String> groups = new LinkedHashSet<>();
        for (Long t : added) after.get(t).forEach(o -> groups.add(o.scope().routeGroup()));
        for (Long t : dropped) before.get(t).forEach(o -> groups.add(o.scope().routeGroup()));
        String what = groups.size() == 1 && !groups.contains(Scope.ALL_ROUTES)
                ? "route group '" + groups.iterator().next() + "' has different latency thresholds"
                : "the latency thresholds counted per request changed";
        List<String> parts = new ArrayList<>();
        if (!added.isEmpty()) parts.add("new " + describe(added, after));
        if (!dropped.isEmpty()) parts.add("no longer " + describe(dropped, before));
        reasons.add(what + " (" + String.join("; ", parts) + ")");
    }

    /** Each threshold Layout counts per request, with the objectives that need it; keys as Layout has them. */
    private static Map<Long, Set<Objective>> thresholdUsers(SloSpec spec) {
        Map<Long, Set<Objective>> users = new TreeMap<>();
        for (Objective o : spec.objectives()) {
            List<Duration> ts = switch (o) {
                case Objective.LatencyRatio r -> List.of(r.threshold());
                case Objective.LatencyPercentile p when p.goodMinutes().isPresent() ->
                        List.of(p.tiers().target(), p.tiers().acceptable(), p.tiers().critical());
                default -> List.of();
            };
            for (Duration t : ts) users.computeIfAbsent(Layout.micros(t), k -> new LinkedHashSet<>()).add(o);
        }
        return users;
    }

    private static String describe(Set<Long> thresholdsMicros, Map<Long, Set<Objective>> users) {
        return thresholdsMicros.stream().map(t -> (t % 1000 == 0 ? t / 1000 + "ms" : t + "us")
                        + " for " + users.get(t).stream().map(Objective::id).distinct().collect(Collectors.joining(", ")))
                .collect(Collectors.joining(", "));
    }

    private static void attributions(Topology running, Topology next, List<String> reasons) {
        Set<String> before = new HashSet<>(running.attributions());
        Set<String> after = new HashSet<>(next.attributions());
        for (String a : next.attributions()) {
            if (!before.contains(a)) reasons.add(label(a) + " override is new: its requests need series of their own");
        }
        for (String a : running.attributions()) {
            if (!after.contains(a)) reasons.add(label(a) + " override is gone: its series would have no objective");
        }
        Map<String, String> tenantsBefore = running.tenantAttributions();
        Map<String, String> tenantsAfter = next.tenantAttributions();
        Set<String> tenants = new TreeSet<>(tenantsBefore.keySet());
        tenants.addAll(tenantsAfter.keySet());
        for (String t : tenants) {
            String was = tenantsBefore.getOrDefault(t, SeriesKey.REST);
            String now = tenantsAfter.getOrDefault(t, SeriesKey.REST);
            // A new or dropped override of the tenant itself was reported above.
            if (Objects.equals(was, now) || was.equals(SeriesKey.tenant(t)) || now.equals(SeriesKey.tenant(t))) continue;
            if (!before.contains(now) || !after.contains(was)) continue;  // reported with its plan's override
            reasons.add("tenant '" + t + "' is now counted under " + series(now) + " (was " + series(was) + ")");
        }
    }

    private static String label(String attribution) {
        return attribution.startsWith(SeriesKey.tenant("")) ? "tenant '" + attribution.substring(SeriesKey.tenant("").length()) + "'"
                : "plan '" + attribution.substring(SeriesKey.plan("").length()) + "'";
    }

    private static String series(String attribution) {
        return attribution.equals(SeriesKey.REST) ? "everyone else's series" : label(attribution) + "'s series";
    }
}
