package dev.vigil.slo;

/** The best tier an objective's measured value meets, best first. */
public enum Tier {
    TARGET, ACCEPTABLE, CRITICAL, BREACH;

    /** True for TARGET and ACCEPTABLE: what a CI gate accepts. */
    public boolean passes() { return this == TARGET || this == ACCEPTABLE; }
}
