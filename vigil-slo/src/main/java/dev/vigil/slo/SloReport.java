package dev.vigil.slo;

import java.time.Instant;
import java.util.List;

/**
 * Every objective of an SLO file, judged at one instant.
 *
 * @param at      the evaluation instant
 * @param results one per objective, in file order
 */
public record SloReport(Instant at, List<ObjectiveResult> results) {
    public SloReport {
        results = List.copyOf(results);
    }

    /** Every objective at least ACCEPTABLE: what a CI gate accepts. */
    public boolean passes() {
        return results.stream().allMatch(r -> r.tier().passes());
    }

    /** The objectives at CRITICAL or BREACH. */
    public List<ObjectiveResult> failures() {
        return results.stream().filter(r -> !r.tier().passes()).toList();
    }

    /** The most urgent alert over all objectives. */
    public AlertState alert() {
        return results.stream().map(ObjectiveResult::alert).max(Enum::compareTo).orElse(AlertState.NONE);
    }
}
