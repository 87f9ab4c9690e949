package dev.vigil.load;

import dev.vigil.slo.CacheResult;
import dev.vigil.slo.Failure;
import dev.vigil.slo.ObjectiveResult;
import dev.vigil.slo.SloEngine;
import dev.vigil.slo.SloReport;
import dev.vigil.slo.config.ConfigException;
import dev.vigil.slo.spec.Objective;
import dev.vigil.slo.spec.RouteMatcher;
import dev.vigil.slo.spec.Scope;
import dev.vigil.slo.spec.SloFiles;
import dev.vigil.slo.spec.SloSpec;
import dev.vigil.slo.spec.TenantSelector;
import dev.vigil.slo.spec.Tiers;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The {@link SloJudge} backed by vigil-slo's {@link SloEngine}: the same code that judges live traffic in the
 * gateway judges the load run. Load traffic has no tenant, so every request counts as {@code anonymous}.
 * Thread-safe (the engine is).
 */
public final class SloEngineJudge implements SloJudge {
    private static final String TENANT = "anonymous";

    private final String file;
    private final SloSpec spec;
    private final InstantSource clock;
    private final SloEngine engine;
    private final RouteMatcher routes;
    /** Stress runs: the current step's own engine (the SLO engine counts in whole minutes; steps are shorter). */
    private volatile SloEngine step;

    public SloEngineJudge(String file, SloSpec spec, InstantSource clock) {
        this.file = file;
        this.spec = spec;
        this.clock = clock;
        this.engine = SloEngine.create(spec, clock);
        this.routes = RouteMatcher.of(spec);
    }

    /** Reads an SLO file; problems carry file:line:column. */
    public static SloEngineJudge load(Path sloFile, InstantSource clock) throws ConfigException {
        return new SloEngineJudge(sloFile.toString(), SloFiles.load(sloFile), clock);
    }

    @Override public String file() { return file; }

    @Override public String routeGroup(String method, String path) {
        return routes.groupFor(method, path);
    }

    @Override public void record(String routeGroup, int status, Failure failure, long latencyMicros, long epochMillis) {
        engine.record(routeGroup, TENANT, status, failure, latencyMicros, CacheResult.NONE, epochMillis);
        SloEngine s = step;
        if (s != null) s.record(routeGroup, TENANT, status, failure, latencyMicros, CacheResult.NONE, epochMillis);
    }

    @Override public void beginStep() {
        step = SloEngine.create(spec, clock);
    }

    @Override public RunResult.SloResult evaluateStep(Instant from, Instant to) {
        SloEngine s = step;
        return s == null ? evaluate(from, to) : verdicts(s.evaluate(from, to.plusMillis(1)));
    }

    @Override public RunResult.SloResult evaluate(Instant from, Instant to) {
        // the engine's interval is [from, to); the last request of a run completes at its end
        return verdicts(engine.evaluate(from, to.plusMillis(1)));
    }

    private RunResult.SloResult verdicts(SloReport report) {
        return verdicts(file, report);
    }

    /**
     * The verdict table of any engine's report, e.g. a gateway's engine over the same run; {@code file} names the SLO
     * file in the table.
     */
    public static RunResult.SloResult verdicts(String file, SloReport report) {
        List<RunResult.ObjectiveVerdict> rows = new ArrayList<>();
        for (ObjectiveResult r : report.results()) rows.add(verdict(r));
        return new RunResult.SloResult(file, report.passes(), rows);
    }

    private static RunResult.ObjectiveVerdict verdict(ObjectiveResult r) {
        Objective o = r.objective();
        String scope = scope(o.scope());
        return switch (o) {
            case Objective.LatencyPercentile p -> new RunResult.ObjectiveVerdict(o.id(),
                    "p" + p.percentile().stripTrailingZeros().toPlainString() + " latency, " + scope,
                    "≤ " + duration(p.tiers().target()), "≤ " + duration(p.tiers().acceptable()),
                    "≤ " + duration(p.tiers().critical()), r.measured(), r.tier());
            case Objective.LatencyRatio l -> ratioRow(r, "requests under " + duration(l.threshold()) + ", " + scope,
                    l.tiers());
            case Objective.ErrorRate e -> ratioRow(r, "error rate, " + scope, e.tiers());
            case Objective.Availability a -> ratioRow(r, "availability, " + scope, a.tiers());
            case Objective.CacheHitRatio c -> ratioRow(r, "cache hit ratio, " + scope, c.tiers());
            case Objective.Throughput t -> new RunResult.ObjectiveVerdict(o.id(), "throughput, " + scope,
                    "≥ " + rate(t.sustained().perSecond()) + " sustained"
                            + t.peak().map(pk -> ", " + rate(pk.perSecond()) + " peak").orElse(""),
                    null, null, r.measured(), r.tier());
        };
    }

    private static RunResult.ObjectiveVerdict ratioRow(ObjectiveResult r, String description,
                                                       Tiers<dev.vigil.slo.spec.Ratio> tiers) {
        String op = tiers.direction() == Tiers.Direction.LOWER_IS_BETTER ? "≤ " : "≥ ";
        return new RunResult.ObjectiveVerdict(r.objective().id(), description, op + tiers.target(),
                op + tiers.acceptable(), op + tiers.critical(), r.measured(), r.tier());
    }

    private static String scope(Scope s) {
        String routes = s.allRoutes() ? "all routes" : "route group " + s.routeGroup();
        return switch (s.tenant()) {
            case TenantSelector.All a -> routes;
            case TenantSelector.Tenant t -> routes + ", tenant " + t.name();
            case TenantSelector.Plan p -> routes + ", plan " + p.name();
        };
    }

    private static String duration(Duration d) {
        long micros = d.toNanos() / 1000;
        if (micros % 1_000_000 == 0 && micros >= 1_000_000) return (micros / 1_000_000) + " s";
        if (micros % 1000 == 0) return (micros / 1000) + " ms";
        return String.format(Locale.ROOT, "%.3f ms", micros / 1000.0);
    }

    private static String rate(double perSecond) {
        return perSecond == Math.rint(perSecond) ? String.format(Locale.ROOT, "%.0f rps", perSecond)
                : String.format(Locale.ROOT, "%.2f rps", perSecond);
    }
}
