package dev.vigil.cli;

import dev.vigil.gateway.config.GatewayConfig;
import dev.vigil.gateway.config.GatewayFiles;
import dev.vigil.load.IntervalSink;
import dev.vigil.load.LoadTest;
import dev.vigil.load.ReportWriter;
import dev.vigil.load.ResultJson;
import dev.vigil.load.RunResult;
import dev.vigil.load.SloEngineJudge;
import dev.vigil.load.SloJudge;
import dev.vigil.load.Summary;
import dev.vigil.load.report.HlogWriter;
import dev.vigil.load.report.HtmlReportWriter;
import dev.vigil.load.sample.SampleBackend;
import dev.vigil.load.sample.SampleBackendConfig;
import dev.vigil.load.sample.ServiceTime;
import dev.vigil.load.scenario.Scenario;
import dev.vigil.load.scenario.ScenarioFiles;
import dev.vigil.slo.config.ConfigException;
import dev.vigil.slo.spec.SloFiles;
import dev.vigil.slo.spec.SloSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * {@code vigil demo}: Vigil in one command. Starts the sample backend on a free loopback port and the gateway of
 * {@code examples/demo-gateway.yaml} in front of it, runs {@code examples/demo-scenario.yaml} through the gateway
 * (60 s), and judges the run with {@code examples/gamification-slo.yaml} twice: the load lab's view (client side,
 * latency from each request's intended send time) and the gateway's view (its own SLO engine over the same
 * interval). Prints both verdict tables and writes result.json, latency.hlog and report.html. {@code --direct}
 * leaves the gateway out.
 *
 * <p>Backend, gateway and load generator share the machine, one event loop each, so the demo works on 2 cores.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Start the sample backend and a gateway in front of it, run a 60 s load scenario through the"
                + " gateway, judge it with one SLO file from both sides (load lab's view and gateway's view), and"
                + " write an HTML report.",
                "Exit codes: 0 every objective met at least its acceptable tier in both views, 1 an objective"
                        + " breached (in either view) or the run was stopped, 2 usage or configuration error."})
public final class DemoCommand implements Callable<Integer> {
    static final String DEMO_SCENARIO = "examples/demo-scenario.yaml";
    static final String DEMO_SLO = "examples/gamification-slo.yaml";
    static final String DEMO_GATEWAY = "examples/demo-gateway.yaml";

    @Spec
    private CommandSpec spec;

    @Option(names = "--duration", paramLabel = "D",
            description = "Run for D (e.g. 10s) instead of the scenario's 60 s; phases scale proportionally.")
    private String duration;

    @Option(names = "--warmup", paramLabel = "D", defaultValue = "3s",
            description = "Unmeasured warm-up run first, so JIT compilation and connection set-up do not count"
                    + " against the SLO; 0s to skip. Default: ${DEFAULT-VALUE}.")
    private String warmup;

    @Option(names = "--out", paramLabel = "DIR",
            description = "Where result.json, latency.hlog and report.html go. Default: vigil-out/demo-<UTC time>.")
    private Path outDir;

    @Option(names = "--latency", paramLabel = "DIST", defaultValue = "lognormal:median=3ms,p99=25ms",
            converter = SampleBackendCommand.ServiceTimeConverter.class,
            description = "The backend's service time. Default: ${DEFAULT-VALUE}.")
    private ServiceTime latency;

    @Option(names = "--error-rate", paramLabel = "RATE", defaultValue = "0.05%",
            converter = SampleBackendCommand.ErrorRateConverter.class,
            description = "Share of requests the backend fails with 500/503. Default: ${DEFAULT-VALUE}.")
    private double errorRate;

    @Option(names = "--scenario", paramLabel = "FILE",
            description = "Scenario to run instead of " + DEMO_SCENARIO + " (its target is replaced by the gateway, or with --direct the backend).")
    private Path scenarioFile;

    @Option(names = "--slo", paramLabel = "FILE", description = "SLO file instead of " + DEMO_SLO
            + " (judges both views).")
    private Path sloFile;

    @Option(names = "--gateway", paramLabel = "FILE", description = "Gateway file instead of " + DEMO_GATEWAY
            + " (its listeners move to free loopback ports and its upstreams to the backend).")
    private Path gatewayFile;

    @Option(names = "--direct", description = "No gateway: the load goes straight to the backend; one view.")
    private boolean direct;

    /** The gateway file in use, for messages; null with --direct. */
    private Path gatewayName;

    private final ReportWriter reportWriter;
    private final LoadCommand.SloJudgeFactory sloJudges;
    private final InstantSource clock;

    /** The demo as {@code vigil demo} runs it: the HTML report and vigil-slo's engine as the judge. */
    public DemoCommand() {
        this(new HtmlReportWriter(), SloEngineJudge::load, InstantSource.system());
    }

    /**
     * @param sloJudges turns the SLO file into the judge the run records into; null when this build has no SLO
     *                  engine, in which case the demo runs without a verdict and says so
     */
    public DemoCommand(ReportWriter reportWriter, LoadCommand.SloJudgeFactory sloJudges, InstantSource clock) {
        this.reportWriter = reportWriter;
        this.sloJudges = sloJudges;
        this.clock = clock;
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            return run(out, err);
        } catch (Usage e) {
            err.println("vigil demo: " + e.getMessage());
            err.flush();
            return Vigil.USAGE;
        }
    }

    private int run(PrintWriter out, PrintWriter err) throws Usage {
        Path scenarioPath = scenarioFile != null ? existing(scenarioFile) : example(DEMO_SCENARIO);
        Path sloPath = sloFile != null ? existing(sloFile) : example(DEMO_SLO);
        Scenario scenario;
        try {
            scenario = ScenarioFiles.load(scenarioPath);
        } catch (ConfigException e) {
            err.println(e.getMessage());
            err.flush();
            return Vigil.USAGE;
        }
        if (duration != null) {
            scenario = scenario.withTotalDuration(Usage.duration("--duration", duration, false));
        }
        Duration warm = Usage.duration("--warmup", warmup, true);
        SloJudge judge = null;
        if (sloJudges != null) {
            try {
                judge = sloJudges.load(sloPath, clock);
            } catch (ConfigException e) {
                err.println(e.getMessage());
                err.flush();
                return Vigil.USAGE;
            }
        }
        GatewayConfig gatewayConfig = null;
        SloSpec gatewaySpec = null;
        if (direct && gatewayFile != null) {
            throw new Usage("--direct and --gateway exclude each other: --direct runs without a gateway");
        }
        if (!direct) {
            Path gatewayPath = gatewayFile != null ? existing(gatewayFile) : example(DEMO_GATEWAY);
            try {
                gatewayConfig = GatewayFiles.load(gatewayPath);
                gatewaySpec = SloFiles.load(sloPath);
            } catch (ConfigException e) {
                err.println(e.getMessage());
                err.flush();
                return Vigil.USAGE;
            }
            gatewayName = gatewayPath;
        }
        Path dir = outDir != null ? outDir : Path.of("vigil-out", "demo-" + DateTimeFormatter
                .ofPattern("yyyyMMdd-HHmmss", Locale.ROOT).format(clock.instant().atOffset(ZoneOffset.UTC)));
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new Usage("cannot create " + dir + ": " + e.getMessage());
        }

        SampleBackendConfig backendConfig = SampleBackendConfig.defaults().withPort(0).withEventLoopThreads(1)
                .withServiceTime(latency).withErrorRate(errorRate);
        try (SampleBackend backend = SampleBackend.start(backendConfig);
             DemoGateway gateway = gatewayConfig == null ? null
                     : startGateway(gatewayConfig, backend, dir, gatewaySpec, sloPath)) {
            out.printf(Locale.ROOT, "vigil demo: sample backend on %s (service time %s, error rate %s%%)%n",
                    backend.baseUri(), latency, trim(errorRate * 100));
            if (gateway != null) {
                out.printf(Locale.ROOT, "vigil demo: gateway on %s in front of it (%s)%n", gateway.baseUri(),
                        gatewayName);
            }
            scenario = scenario.withTarget(gateway != null ? gateway.baseUri() : backend.baseUri());
            out.printf(Locale.ROOT, "vigil demo: %s for %d s %s, judged by %s%n", scenarioPath,
                    // phases scaled to --duration may sum to a hair under it (5 s → 4.999 s)
                    Math.round(scenario.totalDuration().toMillis() / 1000.0),
                    gateway != null ? "through the gateway" : "direct",
                    judge == null ? "nothing (this build has no SLO engine, so there is no verdict)"
                            : gateway != null ? sloPath + " from both sides" : sloPath);
            out.flush();
            warmUp(scenario, warm, out);
            if (gateway != null) {
                gateway.beginRun();
            }
            RunResult result = runLoad(scenario, judge, dir, out, err);
            DemoGateway.Facts facts = null;
            if (gateway != null) {
                result = result.withGatewaySlo(gateway.verdict(result.startedAt(), result.endedAt()));
                facts = gateway.facts();
            }
            Summary.print(result, out);
            if (facts != null) {
                printFacts(facts, result, out);
            }
            try {
                ResultJson.write(result, dir);
                reportWriter.write(result, dir);
            } catch (IOException e) {
                err.println("vigil demo: could not write results to " + dir + ": " + e.getMessage());
                err.flush();
                return Vigil.BREACHED;
            }
            out.println();
            out.println("Report: " + dir.resolve(HtmlReportWriter.FILE_NAME));
            out.println("Data:   " + dir.resolve(ResultJson.FILE_NAME) + ", " + dir.resolve(HlogWriter.FILE_NAME));
            out.flush();
            return exitCode(result, out);
        } catch (IOException e) {
            throw new Usage("cannot start the sample backend: " + e.getMessage());
        }
    }

    private DemoGateway startGateway(GatewayConfig config, SampleBackend backend, Path dir, SloSpec spec, Path sloPath)
            throws Usage {
        try {
            return DemoGateway.start(config, backend.baseUri(), dir, spec, sloPath.toString(), clock);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Usage("interrupted while starting the gateway");
        } catch (RuntimeException e) {
            // a port it cannot bind, or a state directory it cannot open
            throw new Usage("cannot start the gateway: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
        }
    }

    /** What the gateway did, in one short paragraph: the facts behind its view. */
    private static void printFacts(DemoGateway.Facts f, RunResult result, PrintWriter out) {
        out.println();
        out.printf(Locale.ROOT, "Gateway: %,d requests judged (the load lab counted %,d)%n", f.events(),
                result.totals().count());
        double ratio = f.cacheHitRatio();
        out.printf(Locale.ROOT, "  cache hit ratio     %s (%,d hits, %,d stale, %,d misses on cached routes)%n",
                Double.isNaN(ratio) ? "-" : String.format(Locale.ROOT, "%.1f%%", ratio * 100), f.hits(), f.stale(),
                f.misses());
        out.printf(Locale.ROOT, "  idempotent replays  %,d (duplicates answered with the stored response)%n",
                f.replays());
        out.printf(Locale.ROOT, "  rate limited        %,d (answered 429)%n", f.tooMany());
    }

    /**
     * A short run of the same scenario that is not measured: a cold JVM (both the backend's and the load
     * generator's) is slow for its first seconds, which would otherwise be judged as the backend's latency.
     */
    private void warmUp(Scenario scenario, Duration d, PrintWriter out) {
        if (d.isZero()) {
            return;
        }
        out.printf(Locale.ROOT, "vigil demo: warming up for %d s (not measured)%n", Math.max(1, d.toSeconds()));
        out.flush();
        LoadTest.of(scenario.withTotalDuration(d)).clock(clock).threads(1).build().run();
    }

    private RunResult runLoad(Scenario scenario, SloJudge judge, Path dir, PrintWriter out, PrintWriter err)
            throws Usage {
        HlogWriter hlog;
        try {
            hlog = HlogWriter.create(dir.resolve(HlogWriter.FILE_NAME), clock.instant());
        } catch (IOException e) {
            throw new Usage("cannot write " + dir.resolve(HlogWriter.FILE_NAME) + ": " + e.getMessage());
        }
        IntervalSink sink = hlog;
        LoadTest test = LoadTest.of(scenario).progress(out).intervalSink(sink).slo(judge).clock(clock)
                .threads(1).build();
        Runnable restore = Interrupts.onCtrlC(() -> {
            err.println();
            err.println("vigil demo: interrupted; stopping and writing what was measured (Ctrl-C again to quit at once)");
            err.flush();
            test.interrupt();
        });
        try {
            return test.run();
        } finally {
            restore.run();
            try {
                hlog.close();
            } catch (IOException e) {
                err.println("vigil demo: could not finish the interval log: " + e.getMessage());
            }
        }
    }

    private static int exitCode(RunResult result, PrintWriter out) {
        if (result.interrupted()) {
            out.println("Verdict: none, the run was interrupted.");
            return Vigil.BREACHED;
        }
        if (result.abortReason() != null) {
            out.println("Verdict: FAIL, the run stopped early: " + result.abortReason());
            return Vigil.BREACHED;
        }
        RunResult.SloResult client = result.slo();
        RunResult.SloResult gateway = result.gatewaySlo();
        if (client == null) {
            return Vigil.OK; // no SLO engine in this build: said so at the start
        }
        if (gateway == null) {
            out.println(client.passes() ? "Verdict: PASS" : "Verdict: FAIL, breached " + breached(client));
            return client.passes() ? Vigil.OK : Vigil.BREACHED;
        }
        if (client.passes() && gateway.passes()) {
            out.println("Verdict: PASS in both views (load lab's and gateway's): every objective at least acceptable.");
            return Vigil.OK;
        }
        out.println("Verdict: FAIL");
        if (!client.passes()) out.println("  load lab's view breached " + breached(client));
        if (!gateway.passes()) out.println("  gateway's view breached " + breached(gateway));
        return Vigil.BREACHED;
    }

    private static String breached(RunResult.SloResult slo) {
        return String.join(", ", slo.objectives().stream().filter(o -> !o.tier().passes())
                .map(o -> o.id() + " (" + (o.actual() == null ? "-" : o.actual()) + ")").toList());
    }

    /**
     * Finds a file of the repository's {@code examples/}: from the working directory, else next to the jar
     * ({@code vigil-cli/target/vigil.jar} → {@code examples/}), so {@code ./vigil demo} works from anywhere.
     */
    static Path example(String relative) throws Usage {
        List<Path> tried = new ArrayList<>();
        tried.add(Path.of(relative));
        codeRoot().ifPresent(root -> tried.add(root.resolve(relative)));
        Path cwd = Path.of("").toAbsolutePath();
        for (Path p : tried) {
            if (Files.isRegularFile(p)) {
                // shortest readable form for messages and the report: relative when under the working directory
                Path abs = p.toAbsolutePath().normalize();
                return abs.startsWith(cwd) ? cwd.relativize(abs) : abs;
            }
        }
        throw new Usage("cannot find " + relative + " (looked at " + String.join(", ",
                tried.stream().map(p -> p.toAbsolutePath().normalize().toString()).toList())
                + "); run from the repository root or pass --scenario/--slo");
    }

    /** The repository root, derived from where this class was loaded (a jar or a classes directory in target/). */
    private static Optional<Path> codeRoot() {
        try {
            var source = DemoCommand.class.getProtectionDomain().getCodeSource();
            if (source == null) {
                return Optional.empty();
            }
            Path target = Path.of(source.getLocation().toURI()).getParent(); // vigil-cli/target
            return target == null || target.getParent() == null ? Optional.empty()
                    : Optional.ofNullable(target.getParent().getParent());
        } catch (URISyntaxException | SecurityException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static Path existing(Path file) throws Usage {
        if (!Files.isRegularFile(file)) {
            throw new Usage(file + " does not exist");
        }
        return file;
    }

    private static String trim(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : String.format(Locale.ROOT, "%s", d);
    }
}
