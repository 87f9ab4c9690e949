package dev.vigil.load.engine;

import dev.vigil.load.IntervalSink;
import dev.vigil.load.RunResult;
import dev.vigil.load.SloJudge;
import dev.vigil.load.scenario.FailureCriterion;
import dev.vigil.load.scenario.Feeder;
import dev.vigil.load.scenario.Flow;
import dev.vigil.load.scenario.Phase;
import dev.vigil.load.scenario.Scenario;
import dev.vigil.load.scenario.Step;
import dev.vigil.load.stress.StressPlan;
import dev.vigil.slo.Failure;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import org.HdrHistogram.Histogram;

import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Runs one scenario against its target and measures it. Not part of the public API: use
 * {@link dev.vigil.load.LoadTest}.
 *
 * <p>Threads: one Netty event loop per worker (one per core, never more than the connection cap), one pacer
 * thread (open model only) that wakes workers when arrivals are due, and the caller's thread, which collects
 * measurements once a second, prints progress, checks failure criteria and stress steps, and builds the result.
 */
public final class Engine {
    /** Failure criteria are judged only once this many requests have completed (and always at the end). */
    static final long CRITERIA_MIN_REQUESTS = 100;
    /** Open model: connections each worker opens before the clock starts (more open on demand, up to the cap). */
    static final int PRECONNECT_PER_WORKER = 4;
    /** After a stop (Ctrl-C, failure criteria), how long requests in flight may still finish. */
    static final long STOP_GRACE_NANOS = TimeUnit.SECONDS.toNanos(2);
    private static final double[] DISTRIBUTION = {0, 10, 20, 30, 40, 50, 60, 70, 75, 80, 85, 90, 92.5, 95, 96, 97,
            98, 99, 99.5, 99.9, 99.95, 99.99, 99.999, 100};

    /**
     * @param progress     live progress and nothing else, once a second; null for none
     * @param intervalSink receives every second's latency histograms
     * @param judge        SLO judge, or null without an SLO file
     * @param clock        wall clock for time stamps (durations use System.nanoTime)
     * @param stress       stress plan, or null for a normal run (then the scenario's phases apply)
     * @param threads      event loops to use, >= 1
     */
    public record Options(PrintWriter progress, IntervalSink intervalSink, SloJudge judge, InstantSource clock,
                          StressPlan stress, int threads) {
        public Options {
            Objects.requireNonNull(intervalSink, "intervalSink");
            Objects.requireNonNull(clock, "clock");
            if (threads < 1) throw new IllegalArgumentException("threads must be >= 1");
        }
    }

    private final Scenario scenario;
    private final Options options;
    private final List<StepMetrics> metrics = new ArrayList<>();
    final PreparedFlow[] flows;
    private final double[] cumulativeWeights;
    final Map<String, String> constants;
    final List<Feeder> feeders;
    final ArrivalSchedule schedule;
    final long[] closedPhaseStartNanos;
    final int[] closedUsers;
    final long[] closedThinkNanos;
    final InetSocketAddress address;
    final String host;
    final SslContext ssl;
    final long maxTimeoutNanos;
    final long maxFirstTimeoutNanos;
    private final long totalNanos;
    private final List<Double> stressRates;
    private final long[] phaseEndSeconds; // stress: whole-second boundaries

    volatile long startNanos = Long.MAX_VALUE;
    volatile long endNanos = Long.MAX_VALUE;
    volatile boolean stopRequested;
    private volatile long stopNanos;
    private volatile String abortReason;
    private volatile boolean interrupted;
    private volatile Thread runner;
    private long wallStartMillis;
    Pacer pacer;

    private final boolean warmUp;

    public Engine(Scenario scenario, Options options) {
        this(scenario, options, true);
    }

    /** @param warmUp compile the hot paths first (once per JVM, against an in-process responder) */
    Engine(Scenario scenario, Options options, boolean warmUp) {
        this.options = options;
        this.warmUp = warmUp;
        if (options.stress() != null) {
            StressPlan plan = options.stress();
            List<Phase> steps = new ArrayList<>();
            stressRates = plan.rates();
            phaseEndSeconds = new long[stressRates.size()];
            long t = 0;
            for (int i = 0; i < stressRates.size(); i++) {
                double r = stressRates.get(i);
                steps.add(new Phase.Open("stress-" + (i + 1), plan.stepDuration(), r, r));
                t += plan.stepDuration().toSeconds();
                phaseEndSeconds[i] = t;
            }
            scenario = scenario.withPhases(steps);
        } else {
            stressRates = List.of();
            phaseEndSeconds = new long[0];
        }
        this.scenario = scenario;
        URI target = scenario.target();
        boolean https = "https".equalsIgnoreCase(target.getScheme());
        String uriHost = target.getHost(); // "[::1]" for IPv6 literals
        this.host = uriHost.startsWith("[") ? uriHost.substring(1, uriHost.length() - 1) : uriHost;
        int port = target.getPort() > 0 ? target.getPort() : https ? 443 : 80;
        this.address = new InetSocketAddress(host, port);
        String hostHeader = host.contains(":") ? "[" + host + "]" : host;
        if (target.getPort() > 0) hostHeader += ":" + port;
        String prefix = target.getRawPath() == null ? "" : target.getRawPath();
        while (prefix.endsWith("/")) prefix = prefix.substring(0, prefix.length() - 1);
        try {
            SslContextBuilder tls = SslContextBuilder.forClient();
            if (scenario.insecureTls()) tls.trustManager(io.netty.handler.ssl.util.InsecureTrustManagerFactory.INSTANCE);
            this.ssl = https ? tls.build() : null;
        } catch (javax.net.ssl.SSLException e) {
            throw new IllegalStateException("cannot set up TLS: " + e.getMessage(), e);
        }
        this.flows = new PreparedFlow[scenario.flows().size()];
        this.cumulativeWeights = new double[flows.length];
        double sum = 0;
        long maxTimeout = 0;
        long maxFirst = 0;
        for (int f = 0; f < flows.length; f++) {
            Flow flow = scenario.flows().get(f);
            PreparedStep[] steps = new PreparedStep[flow.steps().size()];
            for (int s = 0; s < steps.length; s++) {
                Step step = flow.steps().get(s);
                StepMetrics m = new StepMetrics(metrics.size(), step.name(), step.method());
                metrics.add(m);
                steps[s] = new PreparedStep(step, m, hostHeader, prefix);
                maxTimeout = Math.max(maxTimeout, step.timeout().toNanos());
            }
            maxFirst = Math.max(maxFirst, steps[0].timeoutNanos);
            flows[f] = new PreparedFlow(flow, steps);
            sum += flow.weight();
            cumulativeWeights[f] = sum;
        }
        for (int f = 0; f < flows.length; f++) cumulativeWeights[f] /= sum;
        this.maxTimeoutNanos = maxTimeout;
        this.maxFirstTimeoutNanos = maxFirst;
        this.constants = scenario.variables();
        this.feeders = scenario.feeders();
        this.totalNanos = scenario.totalDuration().toNanos();
        if (scenario.isOpenModel()) {
            this.schedule = new ArrivalSchedule(scenario.phases().stream().map(p -> (Phase.Open) p).toList());
            this.closedPhaseStartNanos = new long[0];
            this.closedUsers = new int[0];
            this.closedThinkNanos = new long[0];
        } else {
            this.schedule = null;
            int n = scenario.phases().size();
            closedPhaseStartNanos = new long[n];
            closedUsers = new int[n];
            closedThinkNanos = new long[n];
            long t = 0;
            for (int i = 0; i < n; i++) {
                Phase.Closed p = (Phase.Closed) scenario.phases().get(i);
                closedPhaseStartNanos[i] = t;
                closedUsers[i] = p.users();
                closedThinkNanos[i] = p.thinkTime().toNanos();
                t += p.duration().toNanos();
            }
        }
    }

    PreparedFlow pickFlow(Random random) {
        if (flows.length == 1) return flows[0];
        double x = random.nextDouble();
        for (int i = 0; i < flows.length - 1; i++) if (x < cumulativeWeights[i]) return flows[i];
        return flows[flows.length - 1];
    }

    void recordSlo(PreparedStep step, String path, int status, Failure failure, long latencyMicros, long nowNanos) {
        SloJudge judge = options.judge();
        if (judge == null) return;
        String group = step.metrics.routeGroup;
        if (group == null || !step.pathConstant()) {
            group = judge.routeGroup(step.step.method(), path);
            if (step.metrics.routeGroup == null) step.metrics.routeGroup = group;
        }
        judge.record(group, status, failure, latencyMicros, wallStartMillis + (nowNanos - startNanos) / 1_000_000);
    }

    void feederExhausted(Feeder f) {
        stop("feeder " + f.file() + " ran out after " + f.size() + " rows (order: sequential); use order: circular "
                + "or random to reuse rows", false);
    }

    /** Stops the run as soon as possible; the result says {@code reason} (null for a user interrupt). */
    void stop(String reason, boolean byUser) {
        synchronized (this) {
            if (stopRequested) return;
            if (reason != null) abortReason = reason;
            interrupted = byUser;
            stopNanos = System.nanoTime();
            stopRequested = true;
        }
        Thread t = runner;
        if (t != null) LockSupport.unpark(t);
    }

    /** Stops the run as a user interrupt (Ctrl-C): what was measured so far is still reported. Thread-safe. */
    public void interrupt() {
        stop(null, true);
    }

    /** Runs the scenario to its end (or a stop) and returns what was measured. Call once. */
    public RunResult run() {
        if (warmUp) SelfWarmup.once(options.threads());
        runner = Thread.currentThread();
        int workersCount = Math.min(options.threads(), scenario.connections());
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(workersCount, NioIoHandler.newFactory());
        Worker[] workers = new Worker[workersCount];
        try {
            var loops = group.iterator();
            for (int i = 0; i < workersCount; i++) {
                int cap = scenario.connections() / workersCount + (i < scenario.connections() % workersCount ? 1 : 0);
                workers[i] = new Worker(this, (io.netty.channel.EventLoop) loops.next(), i, workersCount, cap);
            }
            pacer = new Pacer(workers);
            Collector collector = new Collector(workers);
            CountDownLatch connected = new CountDownLatch(workers.length);
            int[] perWorker = new int[workers.length];
            int total = 0;
            for (int i = 0; i < workers.length; i++) {
                int cap = scenario.connections() / workersCount + (i < scenario.connections() % workersCount ? 1 : 0);
                int want = schedule != null ? PRECONNECT_PER_WORKER
                        : closedUsers[0] / workersCount + (i < closedUsers[0] % workersCount ? 1 : 0);
                perWorker[i] = Math.min(cap, Math.max(1, want));
                total += perWorker[i];
            }
            CountDownLatch opened = new CountDownLatch(total);
            for (int i = 0; i < workers.length; i++) {
                Worker w = workers[i];
                int n = perWorker[i];
                w.loop.execute(() -> {
                    w.preconnect(n, opened);
                    connected.countDown();
                });
            }
            connected.await(5, TimeUnit.SECONDS);
            opened.await(5, TimeUnit.SECONDS);
            // start a little ahead so every worker is ready at time zero
            long lead = TimeUnit.MILLISECONDS.toNanos(20);
            Instant wallStart = options.clock().instant().plusNanos(lead);
            wallStartMillis = wallStart.toEpochMilli();
            startNanos = System.nanoTime() + lead;
            endNanos = startNanos + totalNanos;
            if (options.stress() != null && options.judge() != null) options.judge().beginStep();
            for (Worker w : workers) w.loop.execute(w::start);
            if (schedule != null) pacer.start();

            long tick = 1;
            for (;;) {
                long now = System.nanoTime();
                long tickAt = startNanos + tick * 1_000_000_000L;
                if (now >= tickAt && tickAt <= endNanos && !(stopRequested && tickAt > stopNanos)) {
                    collector.collect(tick, 1.0, false);
                    tick++;
                    continue;
                }
                boolean over = stopRequested || now >= endNanos;
                if (over) {
                    boolean allDone = true;
                    for (Worker w : workers) allDone &= w.finished;
                    long hardDeadline = stopRequested ? stopNanos + STOP_GRACE_NANOS
                            : endNanos + maxTimeoutNanos + TimeUnit.SECONDS.toNanos(1);
                    if (allDone || now >= hardDeadline) break;
                }
                long wait = Math.min(tickAt - now, TimeUnit.MILLISECONDS.toNanos(over ? 5 : 50));
                if (wait > 0) LockSupport.parkNanos(this, wait);
            }
            pacer.stop();
            CountDownLatch down = new CountDownLatch(workers.length);
            for (Worker w : workers) w.loop.execute(() -> {
                w.shutdown();
                down.countDown();
            });
            down.await(5, TimeUnit.SECONDS);
            long endRun = Math.max(startNanos, stopRequested ? Math.min(stopNanos, endNanos) : endNanos);
            // the last, partial second and everything that finished while the run wound down
            double lastSeconds = (System.nanoTime() - (startNanos + (tick - 1) * 1_000_000_000L)) / 1e9;
            collector.collect(tick, Math.max(lastSeconds, 0), true);
            double durationSeconds = (endRun - startNanos) / 1e9;
            Instant endedAt = wallStart.plusNanos(endRun - startNanos);
            return collector.result(wallStart, endedAt, durationSeconds);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while stopping the run", e);
        } finally {
            if (pacer != null) pacer.stop();
            group.shutdownGracefully(0, 200, TimeUnit.MILLISECONDS);
        }
    }

    // ---------------------------------------------------------------- measurements

    /** Turns the recorders into timeline points, progress lines, verdicts and finally the result. Caller thread only. */
    private final class Collector {
        private final Worker[] workers;
        private final Histogram latencyTotal = new Histogram(3);
        private final Histogram serviceTotal = new Histogram(3);
        private final List<RunResult.TimelinePoint> timeline = new ArrayList<>();
        private long lastCount;
        private long lastErrors;
        private long lastLate;
        private RunResult.TimelinePoint lastPoint;
        private Histogram lastInterval;
        private double lastSeconds;
        // stress: the current step's own measurements
        private int stressStep;
        private final Histogram stepLatency = new Histogram(3);
        private long stepStartCount;
        private long stepStartErrors;
        private double stepSeconds;
        private final List<RunResult.StressStep> stressSteps = new ArrayList<>();

        Collector(Worker[] workers) {
            this.workers = workers;
        }

        void collect(long second, double seconds, boolean last) {
            Histogram interval = new Histogram(3);
            long count = 0;
            long errors = 0;
            long late = 0;
            long endMillis = wallStartMillis + (long) ((second - 1) * 1000 + seconds * 1000);
            for (StepMetrics m : metrics) {
                Histogram li = m.latency.getIntervalHistogram();
                Histogram si = m.service.getIntervalHistogram();
                m.latencyTotal.add(li);
                m.serviceTotal.add(si);
                interval.add(li);
                serviceTotal.add(si);
                count += m.count.sum();
                errors += m.errors();
                late += m.late.sum();
                li.setTag(m.name);
                options.intervalSink().onInterval(m.name, li);
            }
            interval.setStartTimeStamp(wallStartMillis + (second - 1) * 1000);
            interval.setEndTimeStamp(endMillis);
            interval.setTag("total");
            latencyTotal.add(interval);
            long dCount = count - lastCount;
            long dErrors = errors - lastErrors;
            long dLate = late - lastLate;
            lastCount = count;
            lastErrors = errors;
            lastLate = late;
            int inFlight = 0;
            for (Worker w : workers) inFlight += w.inFlight;
            double scheduledSeconds = Math.min(seconds, Math.max(0, totalNanos / 1e9 - (second - 1)));
            double arrivals = schedule == null ? 0 : schedule.arrivalsBetween(second - 1, second - 1 + scheduledSeconds);
            // the sink gets every interval as it was; the timeline folds a short last bit into the second before
            Histogram forSink = interval.copy();
            forSink.setTag("total");
            forSink.setStartTimeStamp(interval.getStartTimeStamp());
            forSink.setEndTimeStamp(interval.getEndTimeStamp());
            options.intervalSink().onInterval("total", forSink);
            final long tickSecond = second;
            final double tickSeconds = seconds;
            final Histogram tickInterval = last ? interval.copy() : interval;
            if (last && seconds < 0.5 && lastPoint != null) {
                interval.add(lastInterval);
                timeline.remove(timeline.size() - 1);
                second = lastPoint.second();
                arrivals += lastPoint.targetRps() * lastSeconds;
                dCount += Math.round(lastPoint.achievedRps() * lastSeconds);
                dErrors += lastPoint.errors();
                dLate += lastPoint.late();
                seconds = lastSeconds + (scheduledSeconds > 0 ? scheduledSeconds : 0);
            }
            double target = schedule == null || seconds <= 0 ? 0 : arrivals / Math.max(seconds, 1e-9);
            double achieved = seconds > 0 ? dCount / seconds : 0;
            if (seconds > 0 || dCount > 0) {
                lastPoint = new RunResult.TimelinePoint(second, round(target), round(achieved), inFlight,
                        ms(interval.getValueAtPercentile(50), interval), ms(interval.getValueAtPercentile(90), interval),
                        ms(interval.getValueAtPercentile(99), interval), ms(interval.getMaxValue(), interval),
                        dErrors, dLate);
                timeline.add(lastPoint);
                lastInterval = interval;
                lastSeconds = seconds;
            }
            if (options.progress() != null && !last) {
                // target counts arrivals (flow starts), achieved counts requests: equal for one-step flows
                options.progress().printf(java.util.Locale.ROOT,
                        "%5ds/%ds  %srequests %.1f/s  in-flight %d  p50 %.2f ms  p99 %.2f ms  errors %d%s%n",
                        second, Math.round(totalNanos / 1e9),
                        schedule == null ? "" : String.format(java.util.Locale.ROOT, "target %.1f arrivals/s  ", target),
                        achieved, inFlight,
                        ms(interval.getValueAtPercentile(50), interval), ms(interval.getValueAtPercentile(99), interval),
                        dErrors, dLate > 0 ? "  late " + dLate : "");
                options.progress().flush();
            }
            if (options.stress() != null) {
                stressTick(tickSecond, tickSeconds, tickInterval, count, errors, last);
            } else if (!scenario.failureCriteria().isEmpty() && (count >= CRITERIA_MIN_REQUESTS || last)) {
                String broken = brokenCriterion(latencyTotal, count, errors);
                if (broken != null) {
                    stop("failure criterion " + broken + " after " + (second - 1 + Math.round(seconds)) + " s ("
                            + count + " requests)", false);
                }
            }
        }

        private void stressTick(long second, double seconds, Histogram interval, long count, long errors, boolean last) {
            if (stressStep >= stressRates.size()) return;
            stepLatency.add(interval);
            stepSeconds += seconds;
            boolean boundary = second == phaseEndSeconds[stressStep] && !last;
            if (!boundary && !(last && stepSeconds >= 1)) return;
            if (last && abortedByUser()) return; // a step cut short by Ctrl-C is not a verdict
            long n = count - stepStartCount;
            long e = errors - stepStartErrors;
            double rate = stressRates.get(stressStep);
            String reason = null;
            if (n == 0) reason = "no request completed";
            if (reason == null) reason = brokenCriterion(stepLatency, n, e);
            if (reason != null) reason = "failure criterion " + reason;
            SloJudge judge = options.judge();
            if (reason == null && judge != null) {
                long fromMillis = wallStartMillis + (long) ((second - stepSeconds) * 1000);
                RunResult.SloResult verdict = judge.evaluateStep(Instant.ofEpochMilli(fromMillis),
                        Instant.ofEpochMilli(wallStartMillis + second * 1000));
                if (!verdict.passes()) {
                    reason = "SLO breached: " + String.join(", ", verdict.objectives().stream()
                            .filter(o -> !o.tier().passes()).map(o -> o.id() + " " + o.actual()).toList());
                }
            }
            stressSteps.add(new RunResult.StressStep(rate, round(n / Math.max(stepSeconds, 1e-9)),
                    ms(stepLatency.getValueAtPercentile(50), stepLatency), ms(stepLatency.getValueAtPercentile(99), stepLatency),
                    n == 0 ? 0 : (double) e / n, reason == null, reason));
            if (options.progress() != null) {
                options.progress().printf("stress step %d: %.1f/s %s%n", stressStep + 1, rate,
                        reason == null ? "passed" : "FAILED: " + reason);
            }
            stressStep++;
            if (judge != null) judge.beginStep();
            stepLatency.reset();
            stepStartCount = count;
            stepStartErrors = errors;
            stepSeconds = 0;
            if (reason != null && !last) stopQuietly();
        }

        private boolean abortedByUser() { return interrupted; }

        RunResult result(Instant startedAt, Instant endedAt, double durationSeconds) {
            List<RunResult.StepResult> steps = new ArrayList<>();
            long count = 0;
            long c4 = 0, c5 = 0, to = 0, rf = 0, rs = 0, un = 0, cf = 0, late = 0;
            for (StepMetrics m : metrics) {
                RunResult.Stats s = stats(m.count.sum(), durationSeconds, m.latencyTotal, m.serviceTotal,
                        errors(m.status4xx.sum(), m.status5xx.sum(), m.timeouts.sum(), m.refused.sum(), m.resets.sum(),
                                m.unexpectedStatus.sum(), m.captureFailed.sum()), m.late.sum());
                steps.add(new RunResult.StepResult(m.name, m.method, m.routeGroup, s));
                count += m.count.sum();
                c4 += m.status4xx.sum();
                c5 += m.status5xx.sum();
                to += m.timeouts.sum();
                rf += m.refused.sum();
                rs += m.resets.sum();
                un += m.unexpectedStatus.sum();
                cf += m.captureFailed.sum();
                late += m.late.sum();
            }
            RunResult.Stats totals = stats(count, durationSeconds, latencyTotal, serviceTotal,
                    errors(c4, c5, to, rf, rs, un, cf), late);
            List<RunResult.PercentilePoint> distribution = new ArrayList<>();
            if (latencyTotal.getTotalCount() > 0) {
                for (double p : DISTRIBUTION) {
                    distribution.add(new RunResult.PercentilePoint(p,
                            ms(p == 100 ? latencyTotal.getMaxValue() : latencyTotal.getValueAtPercentile(p), latencyTotal),
                            ms(p == 100 ? serviceTotal.getMaxValue() : serviceTotal.getValueAtPercentile(p), serviceTotal)));
                }
            }
            SloJudge judge = options.judge();
            RunResult.SloResult slo = judge == null ? null : judge.evaluate(startedAt, endedAt);
            RunResult.StressResult stress = null;
            if (options.stress() != null) {
                Double highest = null;
                Double breaking = null;
                for (RunResult.StressStep s : stressSteps) {
                    if (s.passed()) highest = s.rps();
                    else if (breaking == null) breaking = s.rps();
                }
                stress = new RunResult.StressResult(breaking, highest, stressSteps);
            }
            return new RunResult(RunResult.VERSION, scenario.file(), scenario.target().toString(), startedAt, endedAt,
                    round(durationSeconds), scenario.isOpenModel() ? RunResult.Model.OPEN : RunResult.Model.CLOSED,
                    interrupted, abortReason, totals, steps, timeline, distribution, slo, stress);
        }
    }

    private void stopQuietly() {
        stop(null, false);
    }

    /** The first failure criterion broken by these measurements, as text, or null. */
    private String brokenCriterion(Histogram latency, long count, long errors) {
        for (FailureCriterion c : scenario.failureCriteria()) {
            double value;
            String shown;
            if (c.metric() == FailureCriterion.Metric.ERROR_RATE) {
                if (count == 0) continue;
                value = (double) errors / count;
                shown = String.format("%.2f%%", value * 100);
            } else {
                if (latency.getTotalCount() == 0) continue;
                value = c.metric() == FailureCriterion.Metric.MEAN ? latency.getMean() / 1000.0
                        : c.metric() == FailureCriterion.Metric.MAX ? latency.getMaxValue() / 1000.0
                        : latency.getValueAtPercentile(c.metric().percentile()) / 1000.0;
                shown = String.format("%.1f ms", value);
            }
            if (c.isBrokenBy(value)) return c.metric().key() + " " + c.text() + " broken: " + c.metric().key() + " was " + shown;
        }
        return null;
    }

    private static RunResult.Errors errors(long c4, long c5, long timeout, long refused, long reset, long unexpected,
                                           long captureFailed) {
        return new RunResult.Errors(new RunResult.ByStatusClass(c4, c5),
                new RunResult.ByCause(timeout, refused, reset, unexpected, captureFailed));
    }

    private static RunResult.Stats stats(long count, double seconds, Histogram latency, Histogram service,
                                         RunResult.Errors errors, long late) {
        return new RunResult.Stats(count, round(seconds > 0 ? count / seconds : 0), percentiles(latency),
                percentiles(service), errors, late);
    }

    private static RunResult.Percentiles percentiles(Histogram h) {
        if (h.getTotalCount() == 0) return RunResult.Percentiles.EMPTY;
        return new RunResult.Percentiles(ms(h.getValueAtPercentile(50), h), ms(h.getValueAtPercentile(90), h),
                ms(h.getValueAtPercentile(95), h), ms(h.getValueAtPercentile(99), h), ms(h.getValueAtPercentile(99.9), h),
                ms(h.getMaxValue(), h), round(h.getMean() / 1000.0));
    }

    /** A histogram value (microseconds) as milliseconds with microsecond resolution; 0 for an empty histogram. */
    private static double ms(long micros, Histogram h) {
        if (h.getTotalCount() == 0) return 0;
        return micros / 1000.0;
    }

    private static double round(double v) {
        return Math.round(v * 1000.0) / 1000.0;
    }
}
