package dev.vigil.slo.spec;

/** How good is counted against the budget. */
public enum BudgetingMethod {
    /** good requests / all requests. */
    EVENTS,
    /** good minutes / minutes with traffic; a minute is good when it meets its objective. */
    TIMESLICES
}
