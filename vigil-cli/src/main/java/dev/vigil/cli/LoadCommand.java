package dev.vigil.cli;

import dev.vigil.load.IntervalSink;
import dev.vigil.load.LoadException;
import dev.vigil.load.LoadTest;
import dev.vigil.load.ReportWriter;
import dev.vigil.load.ResultJson;
import dev.vigil.load.RunResult;
import dev.vigil.load.SloEngineJudge;
import dev.vigil.load.SloJudge;
import dev.vigil.load.Summary;
import dev.vigil.load.scenario.Scenario;
import dev.vigil.load.scenario.ScenarioFiles;
import dev.vigil.load.stress.StressPlan;
import dev.vigil.slo.config.ConfigException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.Callable;

/**
 * {@code vigil load SCENARIO}: runs a scenario file against its target, prints progress and a summary, writes
 * {@code result.json} (and the report) with {@code --out}, and turns the SLO verdict into an exit code.
 */
@Command(name = "load", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Run a load scenario against a target and judge it against an SLO file.",
                "Latency is measured from each request's intended send time (coordinated-omission free).",
                "Exit codes: 0 every objective meets at least its acceptable tier (stress: a rate passed), "
                        + "1 an objective breached, failure criteria stopped the run, or it was interrupted, "
                        + "2 usage or configuration error, or the target is unreachable."})
public final class LoadCommand implements Callable<Integer> {

    /** Builds the {@code .hlog} sink for an output directory; the sink is closed after the run if it is Closeable. */
    @FunctionalInterface
    public interface IntervalLogFactory {
        IntervalSink open(Path outDir, Instant start) throws IOException;
    }

    /** Turns an SLO file into the judge a run records into. */
    @FunctionalInterface
    public interface SloJudgeFactory {
        SloJudge load(Path sloFile, InstantSource clock) throws ConfigException;
    }

    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "SCENARIO", description = "Scenario file (YAML), see docs/scenario-file.md.")
    Path scenarioFile;

    @Option(names = "--target", paramLabel = "URL", description = "Base URL to send to, instead of the file's target.")
    String target;

    @Option(names = "--slo", paramLabel = "FILE", description = "SLO file to judge the run with.")
    Path sloFile;

    @Option(names = "--out", paramLabel = "DIR", description = "Write result.json, the .hlog and report.html here.")
    Path outDir;

    @Option(names = "--duration", paramLabel = "D",
            description = "Run for D (e.g. 30s, 5m) instead of the phases' total; phases are scaled proportionally.")
    String duration;

    @Option(names = "--stress", description = "Step the arrival rate up until the SLO or failure criteria break.")
    boolean stress;

    @Option(names = "--stress-start", paramLabel = "R", description = "First rate, requests/s (default: ${DEFAULT-VALUE}).",
            defaultValue = "10")
    double stressStart;

    @Option(names = "--stress-factor", paramLabel = "F", description = "Multiply the rate by F each step (default 2).")
    Double stressFactor;

    @Option(names = "--stress-increment", paramLabel = "R", description = "Add R requests/s each step instead.")
    Double stressIncrement;

    @Option(names = "--stress-step-duration", paramLabel = "D", defaultValue = "30s",
            description = "How long each rate is held, whole seconds (default: ${DEFAULT-VALUE}).")
    String stressStepDuration;

    @Option(names = "--stress-max", paramLabel = "R", defaultValue = "100000",
            description = "Highest rate tried, requests/s (default: ${DEFAULT-VALUE}).")
    double stressMax;

    @Option(names = "--threads", paramLabel = "N", hidden = true, description = "Event loops (default: one per core).")
    Integer threads;

    private final ReportWriter reportWriter;
    private final IntervalLogFactory intervalLog;
    private final SloJudgeFactory sloJudges;
    private final InstantSource clock;

    /** The command judging with vigil-slo's engine, without a report renderer or interval log. */
    public LoadCommand() {
        this(ReportWriter.NONE, (dir, start) -> IntervalSink.NONE, SloEngineJudge::load, InstantSource.system());
    }

    public LoadCommand(ReportWriter reportWriter, IntervalLogFactory intervalLog, SloJudgeFactory sloJudges,
                       InstantSource clock) {
        this.reportWriter = reportWriter;
        this.intervalLog = intervalLog;
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
            err.println("vigil load: " + e.getMessage());
            err.flush();
            return Vigil.USAGE;
        }
    }

    private int run(PrintWriter out, PrintWriter err) throws Usage {
        Scenario scenario;
        try {
            scenario = ScenarioFiles.load(scenarioFile);
        } catch (ConfigException e) {
            err.println(e.getMessage());
            err.flush();
            return Vigil.USAGE;
        }
        if (target != null) scenario = scenario.withTarget(parseTarget(target));
        if (duration != null) scenario = scenario.withTotalDuration(Usage.duration("--duration", duration, false));
        StressPlan plan = stressPlan();

        SloJudge judge = null;
        if (sloFile != null) {
            if (sloJudges == null) throw new Usage("--slo needs the SLO engine, which this build does not include");
            try {
                judge = sloJudges.load(sloFile, clock);
            } catch (ConfigException e) {
                err.println(e.getMessage());
                err.flush();
                return Vigil.USAGE;
            }
        }

        try {
            LoadTest.checkReachable(scenario.target(), 3000);
        } catch (LoadException e) {
            err.println("vigil load: " + e.getMessage());
            err.flush();
            return Vigil.USAGE;
        }

        IntervalSink sink = IntervalSink.NONE;
        if (outDir != null) {
            try {
                java.nio.file.Files.createDirectories(outDir);
                sink = intervalLog.open(outDir, clock.instant());
            } catch (IOException e) {
                throw new Usage("cannot write to " + outDir + ": " + e.getMessage());
            }
        }
        LoadTest.Builder builder = LoadTest.of(scenario).progress(out).intervalSink(sink).slo(judge).clock(clock)
                .stress(plan);
        if (threads != null) builder.threads(threads);
        LoadTest test = builder.build();

        out.printf("vigil load: %s -> %s (%s)%n", scenarioFile, scenario.target(),
                plan != null ? "stress search " + plan.rates().size() + " steps of " + plan.stepDuration().toSeconds() + " s"
                        : seconds(scenario.totalDuration()));
        out.flush();
        Runnable restore = Interrupts.onCtrlC(() -> {
            err.println();
            err.println("vigil load: interrupted; stopping and writing what was measured (Ctrl-C again to quit at once)");
            err.flush();
            test.interrupt();
        });
        RunResult result;
        try {
            result = test.run();
        } finally {
            restore.run();
            if (sink instanceof AutoCloseable c) {
                try {
                    c.close();
                } catch (Exception e) {
                    err.println("vigil load: could not finish the interval log: " + e.getMessage());
                }
            }
        }
        Summary.print(result, out);
        if (outDir != null) {
            try {
                Path json = ResultJson.write(result, outDir);
                reportWriter.write(result, outDir);
                out.println("Results: " + json + (reportWriter == ReportWriter.NONE ? "" : ", report in " + outDir));
            } catch (IOException | RuntimeException e) {
                err.println("vigil load: could not write results to " + outDir + ": " + e.getMessage());
                err.flush();
                return Vigil.BREACHED;
            }
        }
        out.flush();
        return exitCode(result, out);
    }

    private static String seconds(Duration d) {
        double s = d.toMillis() / 1000.0;
        return (s == Math.rint(s) ? Long.toString((long) s) : String.format(java.util.Locale.ROOT, "%.1f", s)) + " s";
    }

    private static int exitCode(RunResult result, PrintWriter out) {
        if (result.interrupted()) {
            out.println("Verdict: none, the run was interrupted.");
            return Vigil.BREACHED;
        }
        if (result.abortReason() != null) return Vigil.BREACHED;
        if (result.stress() != null) return result.stress().highestPassingRps() == null ? Vigil.BREACHED : Vigil.OK;
        if (result.slo() != null && !result.slo().passes()) return Vigil.BREACHED;
        return Vigil.OK;
    }

    private StressPlan stressPlan() throws Usage {
        boolean anyStressOption = stressFactor != null || stressIncrement != null
                || spec.commandLine().getParseResult().hasMatchedOption("--stress-start")
                || spec.commandLine().getParseResult().hasMatchedOption("--stress-max")
                || spec.commandLine().getParseResult().hasMatchedOption("--stress-step-duration");
        if (!stress) {
            if (anyStressOption) throw new Usage("--stress-* options need --stress");
            return null;
        }
        if (stressFactor != null && stressIncrement != null) {
            throw new Usage("give --stress-factor or --stress-increment, not both");
        }
        Duration step = Usage.duration("--stress-step-duration", stressStepDuration, false);
        try {
            return stressIncrement != null ? StressPlan.linear(stressStart, stressIncrement, step, stressMax)
                    : StressPlan.geometric(stressStart, stressFactor == null ? 2 : stressFactor, step, stressMax);
        } catch (IllegalArgumentException e) {
            throw new Usage(e.getMessage());
        }
    }

    private static URI parseTarget(String text) throws Usage {
        try {
            URI uri = new URI(text.strip());
            String scheme = uri.getScheme();
            if (scheme == null || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))
                    || uri.getHost() == null) {
                throw new Usage("--target must be an http:// or https:// URL with a host, got '" + text + "'");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new Usage("--target '" + text + "' is not a URL");
        }
    }
}
