package dev.vigil.slo.spec;

/** Period and method for an objective that has an error budget. */
public record Budgeting(BudgetPeriod period, BudgetingMethod method) {
    public Budgeting {
        if (period == null || method == null) throw new IllegalArgumentException("period and method are required");
    }
}
