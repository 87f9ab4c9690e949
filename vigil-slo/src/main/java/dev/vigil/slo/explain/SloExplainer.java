package dev.vigil.slo.explain;

import dev.vigil.slo.sla.HumanDuration;
import dev.vigil.slo.sla.SlaArithmetic;
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
import dev.vigil.slo.spec.TenantSelector;
import dev.vigil.slo.spec.Tiers;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.format.DateTimeFormatter;
import java.time.format.TextStyle;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Says what an SLO file promises, in plain words: every objective with its tiers and, for objectives with an
 * error budget, that budget as time ("error budget: 43 min 50 s per month (0.1% of requests)"). Used by
 * {@code vigil slo explain} and by reports that need one objective in words ({@link #describe}).
 *
 * <p>Budgets in time are for an average month (30.4375 days) or the rolling period's days; with the events
 * method that is the time a full outage may last, with time slices the number of bad minutes allowed.
 */
public final class SloExplainer {
    private static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm");

    private SloExplainer() {}

    /** The whole file, explained. Lines end with {@code \n}. */
    public static String explain(SloSpec spec) {
        List<String> out = new ArrayList<>();
        out.add("SLO for " + spec.service() + " (" + spec.source() + ")");
        out.add("");
        out.add("Route groups, matched in this order:");
        int width = spec.routeGroups().stream().mapToInt(g -> g.name().length()).max().orElse(0);
        for (RouteGroup g : spec.routeGroups()) {
            long count = spec.objectives().stream().filter(o -> o.scope().routeGroup().equals(g.name())).count();
            String routes = g.isDefault() ? "every request no other group matches"
                    : g.patterns().stream().map(RoutePattern::toString).collect(Collectors.joining(", "));
            out.add("  " + pad(g.name(), width) + "  " + routes + (count == 0 ? "  (no objectives)" : ""));
        }

        Map<String, List<Objective>> general = new LinkedHashMap<>();
        general.put(Scope.ALL_ROUTES, new ArrayList<>());
        for (RouteGroup g : spec.routeGroups()) general.put(g.name(), new ArrayList<>());
        Map<TenantSelector, List<Objective>> overrides = new LinkedHashMap<>();
        for (Objective o : spec.objectives()) {
            if (o.scope().tenant() instanceof TenantSelector.All) {
                general.computeIfAbsent(o.scope().routeGroup(), k -> new ArrayList<>()).add(o);
            } else {
                overrides.computeIfAbsent(o.scope().tenant(), k -> new ArrayList<>()).add(o);
            }
        }
        for (Map.Entry<String, List<Objective>> e : general.entrySet()) {
            if (e.getValue().isEmpty()) continue;
            out.add("");
            out.add(e.getKey().equals(Scope.ALL_ROUTES) ? "All traffic:" : e.getKey() + ":");
            for (Objective o : e.getValue()) objectiveLines(o, spec, "  ", out);
        }
        if (!overrides.isEmpty()) {
            out.add("");
            out.add("Overrides (replace the objective of the same name for these tenants):");
            for (Map.Entry<TenantSelector, List<Objective>> e : overrides.entrySet()) {
                out.add("  " + selector(e.getKey(), spec) + ":");
                for (Objective o : e.getValue()) objectiveLines(o, spec, "    ", out);
            }
        }
        if (!spec.maintenance().isEmpty()) {
            out.add("");
            out.add("Planned maintenance (excluded from availability and its budget):");
            for (MaintenanceWindow w : spec.maintenance()) out.add("  " + maintenance(w));
        }
        return String.join("\n", out) + "\n";
    }

    /** One objective in words, e.g. {@code p99 of GET /landing-pages/{id} under 100 ms (acceptable 200 ms, critical 500 ms)}. */
    public static String describe(Objective objective, SloSpec spec) {
        String subject = subject(objective.scope(), spec);
        return switch (objective) {
            case Objective.LatencyPercentile p -> percentileName(p.percentile()) + " of " + subject + " under "
                    + tiers(p.tiers(), HumanDuration::latency)
                    + p.goodMinutes().map(g -> ", in at least " + g + " of minutes").orElse("");
            case Objective.LatencyRatio r -> "at least " + r.tiers().target() + " of " + requests(objective.scope(), spec) + " complete in under "
                    + HumanDuration.latency(r.threshold()) + tierTail(r.tiers(), Ratio::toString) + period(r.budgeting());
            case Objective.ErrorRate e -> "error rate of " + subject + " at most " + tiers(e.tiers(), Ratio::toString)
                    + period(e.budgeting()) + "; errors: " + errors(e.errors());
            case Objective.Availability a -> "availability of " + subject + " at least " + tiers(a.tiers(), Ratio::toString)
                    + period(a.budgeting()) + (a.budgeting().method() == BudgetingMethod.TIMESLICES
                    ? ", counted in minutes: a minute with more than " + a.badMinuteErrorRate() + " errors is down"
                    : ", counted in requests") + "; errors: " + errors(a.errors());
            case Objective.Throughput t -> "throughput of " + subject + ": carry " + rate(t.sustained()) + " sustained"
                    + t.peak().map(p -> " and " + rate(p) + " at peak").orElse("");
            case Objective.CacheHitRatio c -> "cache hit ratio of " + subject + " at least " + tiers(c.tiers(), Ratio::toString);
        };
    }

    /**
     * The objective's error budget in words, e.g. {@code error budget: 43 min 50 s per month (0.1% of requests)};
     * empty for objectives without one.
     */
    public static Optional<String> budget(Objective objective) {
        return switch (objective) {
            case Objective.Budgeted b -> Optional.of(budgetLine(b.goodRatioTarget().complement(), b.budgeting(),
                    b instanceof Objective.Availability));
            case Objective.LatencyPercentile p when p.budgeting().isPresent() -> Optional.of(budgetLine(
                    p.goodMinutes().orElseThrow().complement(), p.budgeting().get(), false));
            default -> Optional.empty();
        };
    }

    private static void objectiveLines(Objective o, SloSpec spec, String indent, List<String> out) {
        out.add(indent + describe(o, spec));
        budget(o).ifPresent(b -> out.add(indent + "  " + b));
    }

    private static String budgetLine(Ratio budget, Budgeting budgeting, boolean withYear) {
        Duration period = switch (budgeting.period()) {
            case BudgetPeriod.CalendarMonth m -> SlaArithmetic.AVERAGE_MONTH;
            case BudgetPeriod.Rolling r -> r.length();
        };
        String per = switch (budgeting.period()) {
            case BudgetPeriod.CalendarMonth m -> "per month";
            case BudgetPeriod.Rolling r -> "per " + r.days() + (r.days() == 1 ? " day" : " days");
        };
        String unit = budgeting.method() == BudgetingMethod.TIMESLICES ? "minutes" : "requests";
        String year = withYear ? ", " + HumanDuration.budget(SlaArithmetic.allowedDowntime(budget.complement(), SlaArithmetic.AVERAGE_YEAR)) + " per year" : "";
        return "error budget: " + HumanDuration.budget(SlaArithmetic.allowedDowntime(budget.complement(), period)) + " " + per
                + year + " (" + budget + " of " + unit + ")";
    }

    private static String subject(Scope scope, SloSpec spec) {
        if (scope.allRoutes()) return "all traffic";
        for (RouteGroup g : spec.routeGroups()) {
            if (!g.name().equals(scope.routeGroup())) continue;
            if (g.isDefault()) return "every other request";
            if (g.patterns().size() == 1) return g.patterns().getFirst().toString();
            return g.name();
        }
        return scope.routeGroup();
    }

    /** "GET /x requests", "all requests", "other requests": the subject of a count of requests. */
    private static String requests(Scope scope, SloSpec spec) {
        if (scope.allRoutes()) return "all requests";
        String subject = subject(scope, spec);
        return subject.equals("every other request") ? "other requests" : subject + " requests";
    }

    private static String percentileName(BigDecimal p) {
        if (p.compareTo(BigDecimal.valueOf(100)) == 0) return "max";
        return "p" + p.stripTrailingZeros().toPlainString();
    }

    /** "100 ms (acceptable 200 ms, critical 500 ms)", leaving out tiers equal to the stricter one. */
    private static <T extends Comparable<T>> String tiers(Tiers<T> t, Function<T, String> fmt) {
        return fmt.apply(t.target()) + tierTail(t, fmt);
    }

    private static <T extends Comparable<T>> String tierTail(Tiers<T> t, Function<T, String> fmt) {
        List<String> parts = new ArrayList<>();
        if (t.acceptable().compareTo(t.target()) != 0) parts.add("acceptable " + fmt.apply(t.acceptable()));
        if (t.critical().compareTo(t.acceptable()) != 0) parts.add("critical " + fmt.apply(t.critical()));
        return parts.isEmpty() ? "" : " (" + String.join(", ", parts) + ")";
    }

    private static String period(Budgeting b) {
        return switch (b.period()) {
            case BudgetPeriod.CalendarMonth m -> " over the calendar month (" + m.zone().getId() + ")";
            case BudgetPeriod.Rolling r -> " over a rolling " + r.days() + (r.days() == 1 ? " day" : " days");
        };
    }

    private static String errors(ErrorDefinition e) {
        List<String> kinds = new ArrayList<>();
        if (e.serverErrors()) kinds.add("5xx");
        if (e.clientErrors()) kinds.add("4xx");
        if (e.rateLimited()) kinds.add("429");
        kinds.add("timeouts");
        kinds.add("connection failures");
        return String.join(", ", kinds.subList(0, kinds.size() - 1)) + " and " + kinds.getLast();
    }

    private static String rate(Rate r) {
        return number(r.perSecond()) + " rps";
    }

    /** Plain, to three significant digits below 100 and whole from 100: 1.03, 6.2, 83.3, 1500. */
    static String number(double value) {
        BigDecimal v = new BigDecimal(value, MathContext.DECIMAL64);
        v = v.abs().compareTo(BigDecimal.valueOf(100)) >= 0 ? v.setScale(0, RoundingMode.HALF_UP) : v.round(new MathContext(3, RoundingMode.HALF_UP));
        v = v.stripTrailingZeros();
        if (v.scale() < 0) v = v.setScale(0, RoundingMode.UNNECESSARY);
        return v.toPlainString();
    }

    private static String selector(TenantSelector s, SloSpec spec) {
        return switch (s) {
            case TenantSelector.All a -> "all tenants";
            case TenantSelector.Tenant t -> "tenant " + t.name()
                    + Optional.ofNullable(spec.tenantPlans().get(t.name())).map(p -> " (plan " + p + ")").orElse("");
            case TenantSelector.Plan p -> {
                List<String> tenants = spec.tenantPlans().entrySet().stream().filter(e -> e.getValue().equals(p.name()))
                        .map(Map.Entry::getKey).sorted().toList();
                yield "plan " + p.name() + (tenants.isEmpty() ? "" : " (tenants " + String.join(", ", tenants) + ")");
            }
        };
    }

    private static String maintenance(MaintenanceWindow w) {
        String reason = w.reason();
        return switch (w) {
            case MaintenanceWindow.OneOff o -> "once on " + LOCAL.format(o.start()) + " for " + HumanDuration.budget(o.duration())
                    + " (" + o.zone().getId() + "): " + reason;
            case MaintenanceWindow.Recurring r -> "every " + days(r.days()) + " at " + r.start() + " for "
                    + HumanDuration.budget(r.duration()) + " (" + r.zone().getId() + ")"
                    + r.until().map(u -> ", until " + LOCAL.format(u)).orElse("") + ": " + reason;
        };
    }

    private static String days(java.util.Set<DayOfWeek> days) {
        if (days.size() == 7) return "day";
        if (days.equals(EnumSet.range(DayOfWeek.MONDAY, DayOfWeek.FRIDAY))) return "weekday";
        if (days.equals(EnumSet.of(DayOfWeek.SATURDAY, DayOfWeek.SUNDAY))) return "Saturday and Sunday";
        List<String> names = days.stream().sorted().map(d -> d.getDisplayName(TextStyle.FULL, Locale.ENGLISH)).toList();
        if (names.size() == 1) return names.getFirst();
        return String.join(", ", names.subList(0, names.size() - 1)) + " and " + names.getLast();
    }

    private static String pad(String s, int width) {
        return s + " ".repeat(Math.max(0, width - s.length()));
    }
}
