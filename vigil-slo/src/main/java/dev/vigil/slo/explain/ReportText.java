package dev.vigil.slo.explain;

import dev.vigil.slo.AlertState;
import dev.vigil.slo.Budget;
import dev.vigil.slo.BurnRate;
import dev.vigil.slo.ObjectiveResult;
import dev.vigil.slo.SloReport;
import dev.vigil.slo.sla.HumanDuration;
import dev.vigil.slo.spec.BudgetingMethod;
import dev.vigil.slo.spec.SloSpec;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * An {@link SloReport} as an SLA report for people: per objective its promise in words, the window, what was
 * measured, the tier, the error budget left (as time for availability, as a share of the allowed bad requests or
 * minutes otherwise) and the burn-rate alert with the pairs that fire. Used by {@code vigil slo report}.
 */
public final class ReportText {
    private ReportText() {}

    /** The whole report. Lines end with {@code \n}. */
    public static String render(SloSpec spec, SloReport report) {
        List<String> out = new ArrayList<>();
        long passing = report.results().stream().filter(r -> r.tier().passes()).count();
        out.add("SLA report for " + spec.service() + " at " + report.at() + " (" + spec.source() + ")");
        out.add(passing + " of " + report.results().size() + " objectives at least acceptable; alert: " + alertWord(report.alert()));
        for (ObjectiveResult r : report.results()) {
            out.add("");
            out.add(r.objective().id() + ": " + SloExplainer.describe(r.objective(), spec));
            out.add("  window    " + r.window().label());
            out.add("  measured  " + r.measured() + (r.events() > 0 ? " over " + r.events() + (r.events() == 1 ? " request" : " requests") : ""));
            out.add("  tier      " + r.tier());
            r.budget().ifPresent(b -> out.add("  budget    " + budget(b)));
            if (!r.burnRates().isEmpty()) out.add("  alert     " + alert(r));
        }
        return String.join("\n", out) + "\n";
    }

    /** {@code 39 min 26 s of 44 min 26 s left}, or {@code 86.1% of 432 bad minutes left}; overspending said so. */
    static String budget(Budget b) {
        if (b.remainingTime().isPresent() && b.totalTime().isPresent()) {
            String total = HumanDuration.budget(b.totalTime().get());
            String used = HumanDuration.budget(b.consumedTime().orElseThrow());
            if (b.remainingTime().get().isNegative()) {
                return "overspent by " + HumanDuration.budget(b.remainingTime().get().negated()) + ": " + used + " down of " + total + " allowed";
            }
            return HumanDuration.budget(b.remainingTime().get()) + " of " + total + " left (" + used + " down so far)";
        }
        String units = b.method() == BudgetingMethod.TIMESLICES ? "bad minute" : "failed request";
        if (b.total() != 1) units += "s";
        String allowed = SloExplainer.number(b.total()) + " " + units;
        if (Double.isInfinite(b.consumed())) return "none: a 100% target allows no " + units + " (" + b.bad() + " so far)";
        if (b.remaining() < 0) return "overspent: " + percent(b.consumed()) + " used of " + allowed + " (" + b.bad() + " so far)";
        return percent(b.remaining()) + " of " + allowed + " left (" + b.bad() + " so far)";
    }

    /** {@code PAGE: 6h/30m burning 16.7×/66.7× (pages above 6.2×)}, or {@code none (fastest burn 1.04× over 1h)}. */
    static String alert(ObjectiveResult r) {
        if (r.alert() == AlertState.NONE) {
            BurnRate hottest = r.burnRates().stream().max((a, b) -> Double.compare(a.longBurn(), b.longBurn())).orElseThrow();
            return "none (fastest burn " + times(hottest.longBurn()) + " over " + span(hottest.longWindow().label()) + ")";
        }
        return r.alert() + ": " + r.burnRates().stream().filter(BurnRate::firing)
                .map(b -> span(b.longWindow().label()) + "/" + span(b.shortWindow().label()) + " burning " + times(b.longBurn())
                        + "/" + times(b.shortBurn()) + " (" + b.severity().name().toLowerCase(Locale.ROOT) + " above "
                        + times(b.threshold().doubleValue()) + ")")
                .collect(Collectors.joining(", "));
    }

    private static String alertWord(AlertState a) {
        return a == AlertState.NONE ? "none" : a.name();
    }

    /** "last 6h" → "6h". */
    private static String span(String label) {
        return label.startsWith("last ") ? label.substring(5) : label;
    }

    private static String times(double burn) {
        if (Double.isInfinite(burn)) return "∞×";
        return SloExplainer.number(burn) + "×";
    }

    private static String percent(double fraction) {
        return SloExplainer.number(fraction * 100) + "%";
    }
}
