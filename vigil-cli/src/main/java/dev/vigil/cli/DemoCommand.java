package dev.vigil.cli;

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
import dev.vigil.slo.config.Quantities;
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
 * {@code vigil demo}: the whole load lab in one command. Starts the sample backend on a free loopback port, runs
 * {@code examples/demo-scenario.yaml} against it (60 s), judges it with {@code examples/gamification-slo.yaml},
 * prints the verdict table and writes result.json, latency.hlog and report.html.
 *
 * <p>The backend and the load generator share the machine, one event loop each, so the demo works on 2 cores.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Start the sample backend, run a 60 s load scenario against it, judge it with an SLO file,"
                + " and write an HTML report.",
                "Exit codes: 0 every objective met at least its acceptable tier, 1 an objective breached or the run"
                        + " was stopped, 2 usage or configuration error."})
public final class DemoCommand implements Callable<Integer> {
    static final String DEMO_SCENARIO = "examples/demo-scenario.yaml";
    static final String DEMO_SLO = "examples/gamification-slo.yaml";

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
            description = "Scenario to run instead of " + DEMO_SCENARIO + " (its target is replaced by the backend).")
    private Path scenarioFile;

    @Option(names = "--slo", paramLabel = "FILE", description = "SLO file instead of " + DEMO_SLO + ".")
    private Path sloFile;

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
            scenario = scenario.withTotalDuration(parseDuration("--duration", duration, false));
        }
        Duration warm = parseDuration("--warmup", warmup, true);
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
        Path dir = outDir != null ? outDir : Path.of("vigil-out", "demo-" + DateTimeFormatter
                .ofPattern("yyyyMMdd-HHmmss", Locale.ROOT).format(clock.instant().atOffset(ZoneOffset.UTC)));
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new Usage("cannot create " + dir + ": " + e.getMessage());
        }

        SampleBackendConfig backendConfig = SampleBackendConfig.defaults().withPort(0).withEventLoopThreads(1)
                .withServiceTime(latency).withErrorRate(errorRate);
        try (SampleBackend backend = SampleBackend.start(backendConfig)) {
            scenario = scenario.withTarget(backend.baseUri());
            out.printf(Locale.ROOT, "vigil demo: sample backend on %s (service time %s, error rate %s%%)%n",
                    backend.baseUri(), latency, trim(errorRate * 100));
            out.printf(Locale.ROOT, "vigil demo: %s for %d s, judged by %s%n", scenarioPath,
                    scenario.totalDuration().toSeconds(), judge != null ? sloPath
                            : "nothing (this build has no SLO engine, so there is no verdict)");
            out.flush();
            warmUp(scenario, warm, out);
            RunResult result = runLoad(scenario, judge, dir, out, err);
            Summary.print(result, out);
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
        if (result.abortReason() != null || (result.slo() != null && !result.slo().passes())) {
            return Vigil.BREACHED;
        }
        return Vigil.OK;
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

    private static Duration parseDuration(String option, String text, boolean zeroAllowed) throws Usage {
        try {
            Duration d = Quantities.parseDuration(text);
            if (d.isZero() && !zeroAllowed) {
                throw new Usage(option + " must be greater than 0");
            }
            return d;
        } catch (IllegalArgumentException e) {
            throw new Usage(option + ": " + e.getMessage());
        }
    }

    private static String trim(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : String.format(Locale.ROOT, "%s", d);
    }

    /** A usage or configuration problem: one line, exit code 2. */
    private static final class Usage extends Exception {
        Usage(String message) {
            super(message);
        }
    }
}
