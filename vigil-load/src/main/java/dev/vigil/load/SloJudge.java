package dev.vigil.load;

import dev.vigil.slo.Failure;

import java.time.Instant;

/**
 * Where the load lab sends every finished request so an SLO file can judge the run, and what it asks for the
 * verdict. The production implementation adapts {@code dev.vigil.slo.SloEngine}; the engine knows only this.
 *
 * <p>{@link #record} is called from every event loop at once, once per request: it must be thread-safe and cheap.
 */
public interface SloJudge {
    /** The SLO file as given, for the result. */
    String file();

    /** The route group a request falls in (the SLO file's default group when no other matches). */
    String routeGroup(String method, String path);

    /**
     * @param status        HTTP status, 0 when no response arrived
     * @param latencyMicros from the intended send time, microseconds
     * @param epochMillis   completion time
     */
    void record(String routeGroup, int status, Failure failure, long latencyMicros, long epochMillis);

    /** Every objective of the file judged on what was recorded between {@code from} and {@code to}. */
    RunResult.SloResult evaluate(Instant from, Instant to);

    /**
     * Stress runs: from now on, also record into a fresh store that {@link #evaluateStep} judges alone — so a step
     * is judged on its own requests even when the store's resolution (whole minutes for the SLO engine) is
     * coarser than the step.
     */
    default void beginStep() { }

    /** What was recorded since {@link #beginStep}, judged over [from, to]. */
    default RunResult.SloResult evaluateStep(Instant from, Instant to) {
        return evaluate(from, to);
    }
}
