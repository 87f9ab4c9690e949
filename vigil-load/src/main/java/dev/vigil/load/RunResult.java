package dev.vigil.load;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.vigil.slo.Tier;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Everything a load run measured: what {@code result.json} holds (field by field in {@code docs/result-json.md}).
 * Immutable values only; a report renders from this and nothing else.
 *
 * <p>Units: every latency is in milliseconds (a {@code double}, microsecond resolution), every rate in
 * requests per second, every time stamp an ISO-8601 instant.
 *
 * @param vigil                  version of the tool that produced the result
 * @param scenarioFile           the scenario file as given on the command line
 * @param target                 base URL the requests went to
 * @param durationSeconds        wall-clock length of the run, seconds
 * @param interrupted            true when the user stopped the run (Ctrl-C) before its end
 * @param abortReason            why the run stopped early ({@code failure_criteria}, an exhausted feeder), or null
 * @param percentileDistribution the whole run's latency by percentile, for the distribution chart
 * @param slo                    the SLO verdict, null without {@code --slo}
 * @param gatewaySlo             the same SLO file's verdict as a gateway in front of the target saw the run
 *                               ({@code vigil demo}), null when no gateway judged it
 * @param stress                 the stress search, null unless {@code --stress}
 */
@JsonPropertyOrder({"vigil", "scenarioFile", "target", "startedAt", "endedAt", "durationSeconds", "model",
        "interrupted", "abortReason", "totals", "steps", "timeline", "percentileDistribution", "slo", "gatewaySlo",
        "stress"})
public record RunResult(String vigil, String scenarioFile, String target, Instant startedAt, Instant endedAt,
                        double durationSeconds, Model model, boolean interrupted, String abortReason, Stats totals,
                        List<StepResult> steps, List<TimelinePoint> timeline,
                        List<PercentilePoint> percentileDistribution, SloResult slo, SloResult gatewaySlo,
                        StressResult stress) {
    public static final String VERSION = "0.1.0";

    /** A run no gateway judged ({@code gatewaySlo} null). */
    public RunResult(String vigil, String scenarioFile, String target, Instant startedAt, Instant endedAt,
                     double durationSeconds, Model model, boolean interrupted, String abortReason, Stats totals,
                     List<StepResult> steps, List<TimelinePoint> timeline,
                     List<PercentilePoint> percentileDistribution, SloResult slo, StressResult stress) {
        this(vigil, scenarioFile, target, startedAt, endedAt, durationSeconds, model, interrupted, abortReason, totals,
                steps, timeline, percentileDistribution, slo, null, stress);
    }

    public RunResult {
        Objects.requireNonNull(vigil, "vigil");
        Objects.requireNonNull(scenarioFile, "scenarioFile");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(startedAt, "startedAt");
        Objects.requireNonNull(endedAt, "endedAt");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(totals, "totals");
        steps = List.copyOf(steps);
        timeline = List.copyOf(timeline);
        percentileDistribution = List.copyOf(percentileDistribution);
    }

    /** This result with the gateway's verdict over the same run. */
    public RunResult withGatewaySlo(SloResult gateway) {
        return new RunResult(vigil, scenarioFile, target, startedAt, endedAt, durationSeconds, model, interrupted,
                abortReason, totals, steps, timeline, percentileDistribution, slo, gateway, stress);
    }

    /** True when the run should make a CI job fail: aborted by failure criteria, or an SLO objective breached. */
    public boolean failed() {
        return abortReason != null || (slo != null && !slo.passes());
    }

    /** Load model: {@code open} schedules arrivals at a rate, {@code closed} runs a fixed number of users. */
    public enum Model {
        OPEN, CLOSED;

        @JsonValue public String json() { return name().toLowerCase(java.util.Locale.ROOT); }
    }

    /**
     * Measurements of one step, or of all steps together.
     *
     * @param count         requests completed (successfully or not) — every request that was due is counted
     * @param rps           count divided by the run's duration
     * @param latencyMs     from each request's intended send time to its last response byte (coordinated-omission free)
     * @param serviceTimeMs from the actual send to the last response byte — what most tools wrongly call latency
     * @param late          requests sent more than {@value LoadDefaults#LATE_THRESHOLD_MILLIS} ms after their intended
     *                      time (waiting for a connection, or the generator falling behind)
     */
    @JsonPropertyOrder({"count", "rps", "latencyMs", "serviceTimeMs", "errors", "late"})
    public record Stats(long count, double rps, Percentiles latencyMs, Percentiles serviceTimeMs, Errors errors,
                        long late) {
        public Stats {
            Objects.requireNonNull(latencyMs, "latencyMs");
            Objects.requireNonNull(serviceTimeMs, "serviceTimeMs");
            Objects.requireNonNull(errors, "errors");
        }
    }

    /** A latency distribution summary, milliseconds; all zero when nothing was measured. */
    @JsonPropertyOrder({"p50", "p90", "p95", "p99", "p999", "max", "mean"})
    public record Percentiles(double p50, double p90, double p95, double p99, double p999, double max, double mean) {
        public static final Percentiles EMPTY = new Percentiles(0, 0, 0, 0, 0, 0, 0);
    }

    /**
     * Errors, two ways. {@code byStatusClass} counts responses by status class whether or not the step expected
     * them; {@code byCause} counts what made a request fail. A request is an error when it has a cause.
     */
    @JsonPropertyOrder({"byStatusClass", "byCause"})
    public record Errors(ByStatusClass byStatusClass, ByCause byCause) {
        public static final Errors NONE = new Errors(new ByStatusClass(0, 0), new ByCause(0, 0, 0, 0, 0));

        public Errors {
            Objects.requireNonNull(byStatusClass, "byStatusClass");
            Objects.requireNonNull(byCause, "byCause");
        }

        /** Requests that failed, for any cause. */
        public long total() { return byCause.total(); }
    }

    @JsonPropertyOrder({"4xx", "5xx"})
    public record ByStatusClass(@JsonProperty("4xx") long clientErrors, @JsonProperty("5xx") long serverErrors) {}

    /**
     * @param timeout          no complete response within the step's timeout (or no connection within it)
     * @param refused          the connection could not be opened
     * @param reset            the connection closed or broke before the response was complete
     * @param unexpectedStatus a response arrived with a status the step did not expect
     * @param captureFailed    the response lacked a value a {@code capture} asked for; the flow stops there
     */
    @JsonPropertyOrder({"timeout", "refused", "reset", "unexpectedStatus", "captureFailed"})
    public record ByCause(long timeout, long refused, long reset, long unexpectedStatus, long captureFailed) {
        public long total() { return timeout + refused + reset + unexpectedStatus + captureFailed; }
    }

    /**
     * @param name       the step's name (its {@code name:} or {@code METHOD path-template})
     * @param routeGroup the SLO file's route group the step's requests fell in, null without an SLO file
     */
    @JsonPropertyOrder({"name", "method", "routeGroup", "stats"})
    public record StepResult(String name, String method, String routeGroup, Stats stats) {
        public StepResult {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(method, "method");
            Objects.requireNonNull(stats, "stats");
        }
    }

    /**
     * One second of the run, all steps together.
     *
     * @param second      seconds since the start: this point covers [second - 1, second)
     * @param targetRps   the scheduled arrival rate in that second; 0 in the closed model (there is no target)
     * @param achievedRps requests completed in that second
     * @param inFlight    requests sent and not yet answered at the end of the second
     * @param errors      requests that failed in that second
     * @param late        requests that were sent late in that second
     */
    @JsonPropertyOrder({"second", "targetRps", "achievedRps", "inFlight", "p50Ms", "p90Ms", "p99Ms", "maxMs",
            "errors", "late"})
    public record TimelinePoint(long second, double targetRps, double achievedRps, long inFlight, double p50Ms,
                                double p90Ms, double p99Ms, double maxMs, long errors, long late) {}

    /** @param percentile in [0, 100] */
    @JsonPropertyOrder({"percentile", "latencyMs", "serviceTimeMs"})
    public record PercentilePoint(double percentile, double latencyMs, double serviceTimeMs) {}

    /**
     * @param file       the SLO file as given on the command line
     * @param passes     true when every objective meets at least its acceptable tier
     */
    @JsonPropertyOrder({"file", "passes", "objectives"})
    public record SloResult(String file, boolean passes, List<ObjectiveVerdict> objectives) {
        public SloResult {
            Objects.requireNonNull(file, "file");
            objectives = List.copyOf(objectives);
        }
    }

    /** One objective's row of the SLO table; thresholds and actual value as human text ("200 ms", "99.9%"). */
    @JsonPropertyOrder({"id", "description", "target", "acceptable", "critical", "actual", "tier"})
    public record ObjectiveVerdict(String id, String description, String target, String acceptable, String critical,
                                   String actual, Tier tier) {
        public ObjectiveVerdict {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(tier, "tier");
        }
    }

    /**
     * @param breakingPointRps  the first arrival rate that failed, null when none did up to the maximum
     * @param highestPassingRps the highest arrival rate that passed, null when even the first step failed
     * @param steps             one point per rate tried: the latency-vs-throughput curve
     */
    @JsonPropertyOrder({"breakingPointRps", "highestPassingRps", "steps"})
    public record StressResult(Double breakingPointRps, Double highestPassingRps, List<StressStep> steps) {
        public StressResult {
            steps = List.copyOf(steps);
        }
    }

    /**
     * @param rps       the arrival rate scheduled during the step
     * @param errorRate failed requests / requests, in [0, 1]
     * @param reason    why the step failed, null when it passed
     */
    @JsonPropertyOrder({"rps", "achievedRps", "p50Ms", "p99Ms", "errorRate", "passed", "reason"})
    public record StressStep(double rps, double achievedRps, double p50Ms, double p99Ms, double errorRate,
                             boolean passed, String reason) {}
}
