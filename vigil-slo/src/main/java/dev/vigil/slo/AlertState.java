package dev.vigil.slo;

/** What multi-window, multi-burn-rate alerting asks for, most urgent last. */
public enum AlertState {
    /** No burn-rate pair fires. */
    NONE,
    /** A slow burn: someone should look within a working day (3× over 1 d, or 1× over 3 d, for a 30-day period). */
    TICKET,
    /** A fast burn: wake someone up (14.4× over 1 h, or 6× over 6 h, for a 30-day period). */
    PAGE
}
