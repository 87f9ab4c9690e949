package dev.vigil.slo;

import dev.vigil.slo.engine.RecordingShape;
import dev.vigil.slo.engine.Store;
import dev.vigil.slo.spec.SloSpec;

import java.time.Instant;
import java.time.InstantSource;
import java.util.Optional;

/**
 * Records every request and judges them against an SLO file. Both the gateway and the load lab feed one,
 * so live traffic and a load test are judged by the same code.
 *
 * <h2>Recording</h2>
 * {@link #record(String, String, int, dev.vigil.slo.Failure, long, CacheResult, long)} is thread-safe,
 * never blocks and allocates nothing: a map lookup for the route group, one for the tenant (only when the
 * file has tenant or plan overrides), and two uncontended atomic increments inside a
 * {@code WriterReaderPhaser} critical section. Each request counts once in an HdrHistogram-compatible
 * latency histogram (the file's {@code precisionDigits}, 3 significant digits by default; 0 to 1 hour in
 * microseconds, larger values clamped) and once in a counter cell by status class (2xx/3xx, 4xx, 429,
 * 5xx, timeout, connect, reset), latency level and cache result. A refused connection carries no
 * latency. Requests are counted in epoch minutes; a request timestamped in a closed minute or in the
 * future counts in the open minute, so nothing is dropped.
 *
 * <h2>Series and memory</h2>
 * One series per route group and attribution: each tenant a tenant override names, each plan a plan
 * override names (its tenants from {@link SloSpec#tenantPlans()}), and everyone else. The number of
 * series is therefore fixed by the file, never by traffic: unknown or unbounded tenant names all count in
 * the "everyone else" series and cost nothing (this replaces a cap on tenant series with an overflow
 * tenant). Memory per series, measured for a busy one (200 requests a minute, every minute, lognormal
 * latencies spread over ten octaves, 3 digits, default 32-day retention):
 * <ul>
 *   <li>open minute: for each stripe a thread records into, two counting accumulators of 8 KB per touched
 *       octave (≈ 80 KB each), plus ≈ 80 KB for the open minute and hour; stripes = twice the processors
 *       rounded up to a power of two, at most 8, an unused one ≈ 2 KB;</li>
 *   <li>minute histograms, 7 hours: ≈ 0.4 KB a minute, ≈ 0.15 MB;</li>
 *   <li>hour histograms, 4 days: ≈ 6 KB an hour, ≈ 0.45 MB; day histograms ≈ 15 KB a day, ≈ 0.45 MB;</li>
 *   <li>per-minute counters for the retention: ≈ 0.4 KB an hour, ≈ 0.3 MB.</li>
 * </ul>
 * About 1.5 MB per busy series in all; an idle series costs a few KB. Retention is the longest rolling
 * budget period plus one day, at least 32 days (a calendar month plus slack).
 *
 * <h2>Evaluation</h2>
 * {@link #evaluate()} judges each budgeted objective (latency ratio, error rate, availability, and a latency
 * percentile judged in good minutes) over its budget period, and every other objective over
 * {@link #STANDARD_WINDOW}. Windows and their resolution
 * are described in {@link Window}. Budgets and burn rates always use the budget period and the
 * SRE Workbook's alerting windows at the evaluation instant.
 *
 * <p>Definitions: a latency percentile is HdrHistogram's (the highest value equivalent to the exact
 * sample at rank ⌈p% × n⌉, so at most one part in 10^digits above it) over requests that carry a latency.
 * A latency ratio's good requests got a response (any status) at or under the threshold, exactly (the
 * comparison is made per request, not per histogram cell). Errors follow the objective's
 * {@link dev.vigil.slo.spec.ErrorDefinition}. Availability leaves out minutes that overlap planned
 * maintenance. With time slices a minute counts only if it had traffic; it is good when it meets the
 * objective's target (availability: its error rate is at most {@code badMinuteErrorRate}; a percentile
 * judged in minutes: the minute's percentile is at or under the target threshold). A tenant or
 * plan override judges only its tenants, and the general objective of the same kind (same type and route
 * group, and the same percentile or threshold) no longer sees them; a tenant's own override wins over its
 * plan's. An all-routes objective is a different kind from a single group's.
 * Throughput: sustained = requests in the window ÷ its elapsed seconds (to now, or to the end of an
 * explicit interval); peak = the busiest minute's requests ÷ the seconds of that minute inside the
 * window. Throughput is judged only over an explicit interval (a load-test run, {@link Window.Between});
 * over trailing and calendar windows of live traffic it is reported with tier TARGET and says so, since a
 * quiet hour is not a failure to carry load. Cache hit ratio = (hits + stale) ÷ (hits + stale + misses).
 *
 * <h2>Changing the file</h2>
 * {@link #rebind(SloSpec)} moves the measurements to a new version of the file when it records requests the
 * same way ({@link #recordingDifference}): a tightened target, another tier, budget period or maintenance
 * window is judged at once on everything recorded so far. A file that would count requests into other series
 * or cells needs a new engine; its measurements start from nothing.
 *
 * <p>Time is read from the injected {@link InstantSource} only to close minutes and to evaluate; there
 * is no background thread: the open minute closes on the first request or evaluation after it ends.
 */
public final class SloEngine {
    /** The window of objectives without a budget period (latency percentiles, throughput, cache hit ratio). */
    public static final Window.Last STANDARD_WINDOW = Window.LAST_1_HOUR;

    private final SloSpec spec;
    private final InstantSource clock;
    private final Store store;

    private SloEngine(SloSpec spec, InstantSource clock, Store store) {
        this.spec = spec;
        this.clock = clock;
        this.store = store;
    }

    public static SloEngine create(SloSpec spec, InstantSource clock) {
        if (spec == null || clock == null) throw new IllegalArgumentException("spec and clock are required");
        return new SloEngine(spec, clock, new Store(spec, clock));
    }

    public SloSpec spec() { return spec; }

    /**
     * Why an engine for {@code next} would count requests differently from one for {@code running}, in words
     * (e.g. {@code route group 'checkout' has different latency thresholds (new 500ms for checkout:latency:under-500ms;
     * no longer 300ms for checkout:latency:under-300ms)}); empty when every request would land in the same series
     * and counters, so measurements recorded under one can be judged by the other.
     *
     * <p>Recording depends only on the route groups (names, order, routes, which is the default), the latency
     * precision, the latency thresholds counted per request (those of {@code under} ratios, and all three tiers of
     * a percentile judged in {@code good-minutes}), and which tenants and plans have overrides (and the plans of
     * those tenants). Targets and tiers of every other objective, budget periods and methods, which responses are
     * errors, maintenance, time zone and service name are read only when evaluating.
     */
    public static Optional<String> recordingDifference(SloSpec running, SloSpec next) {
        if (running == null || next == null) throw new IllegalArgumentException("both specs are required");
        return RecordingShape.difference(running, next);
    }

    /**
     * An engine that judges with {@code next} everything this engine recorded and records on into the same
     * store, or why it cannot be (see {@link #recordingDifference}; then create a new engine). This engine stays
     * usable and shares the measurements: requests recorded through either count in both. Retention follows
     * {@code next}'s budget periods from the next minute on. Thread-safe; recording never waits for it.
     */
    public Rebind rebind(SloSpec next) {
        Optional<String> difference = recordingDifference(spec, next);
        if (difference.isPresent()) return new Rebind.RecordsDifferently(difference.get());
        store.retainFor(next);
        return new Rebind.Kept(new SloEngine(next, clock, store));
    }

    /**
     * Counts one finished request. Thread-safe and allocation-free.
     *
     * @param routeGroup    the spec's route group; an unknown name counts in the default group
     * @param tenant        tenant identifier; only tenants named by overrides (directly or by plan) are told apart
     * @param status        HTTP status, 0 when no response arrived
     * @param failure       transport failure; timeouts, refused and reset connections are always errors
     * @param latencyMicros latency in microseconds
     * @param cache         what the response cache did
     * @param epochMillis   completion time, milliseconds since the epoch
     */
    public void record(String routeGroup, String tenant, int status, Failure failure, long latencyMicros,
                       CacheResult cache, long epochMillis) {
        store.record(routeGroup, tenant, status, failure, latencyMicros, cache, epochMillis);
    }

    public void record(Outcome o) {
        store.record(o.routeGroup(), o.tenant(), o.status(), o.failure(), o.latencyMicros(), o.cache(), o.epochMillis());
    }

    /** Every objective over its standard window, at the clock's now. */
    public SloReport evaluate() {
        return new Evaluator(spec, store.snapshot(), clock.instant()).evaluateStandard();
    }

    /** Every objective over {@code window}; budgets and burn rates still over the budget period at the clock's now. */
    public SloReport evaluate(Window window) {
        return new Evaluator(spec, store.snapshot(), clock.instant()).evaluate(window);
    }

    /** Every objective over [from, to), e.g. one load-test run. */
    public SloReport evaluate(Instant from, Instant to) {
        return evaluate(Window.between(from, to));
    }

    /** Captures everything counted so far, the open minute included. */
    public EngineSnapshot snapshot() {
        return new EngineSnapshot(store.snapshot());
    }

    /**
     * Judges a snapshot (e.g. several instances merged) as {@link #evaluate()} would at {@code now}. Use the
     * file the snapshot was recorded with, or one with the same latency thresholds; with different tenant or
     * plan overrides, traffic recorded under an override this file lacks is judged by the general objectives,
     * and an override this file adds sees only traffic recorded under that same override.
     *
     * @throws IllegalArgumentException when the file judges a latency threshold the snapshot did not track
     */
    public static SloReport evaluate(SloSpec spec, EngineSnapshot snapshot, Instant now) {
        return new Evaluator(spec, snapshot.frames, now).evaluateStandard();
    }

    /** Judges a snapshot over {@code window} at {@code now}. */
    public static SloReport evaluate(SloSpec spec, EngineSnapshot snapshot, Window window, Instant now) {
        return new Evaluator(spec, snapshot.frames, now).evaluate(window);
    }
}
