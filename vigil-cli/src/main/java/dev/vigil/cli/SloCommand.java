package dev.vigil.cli;

import dev.vigil.slo.config.ConfigException;
import dev.vigil.slo.config.Problem;
import dev.vigil.slo.EngineSnapshot;
import dev.vigil.slo.SloEngine;
import dev.vigil.slo.SloReport;
import dev.vigil.slo.explain.ReportText;
import dev.vigil.slo.explain.SloExplainer;
import dev.vigil.slo.spec.SloFiles;
import dev.vigil.slo.spec.SloSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.concurrent.Callable;

/**
 * {@code vigil slo}: check an SLO file, say what it promises, and judge a saved engine snapshot against it. Maps
 * onto vigil-slo's {@code spec} and {@code explain} packages and {@code SloEngine}. Exit 0 when the file is valid
 * (and, for {@code report}, every objective is at least acceptable), 1 when a reported objective is critical or
 * breached, 2 when the file or snapshot is wrong (every problem is printed, located); never a stack trace.
 */
@Command(name = "slo", mixinStandardHelpOptions = true,
        description = "Check an SLO file, explain what it promises, and report a saved capture against it.",
        subcommands = {SloCommand.Validate.class, SloCommand.Explain.class, SloCommand.Report.class})
final class SloCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Override public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return Vigil.USAGE;
    }

    @Command(name = "validate", mixinStandardHelpOptions = true,
            description = "Check FILE: prints 'OK: N route groups, M objectives' (exit 0) or every problem with file:line:column (exit 2).")
    static final class Validate implements Callable<Integer> {
        @Spec CommandSpec spec;

        @Parameters(paramLabel = "FILE", description = "the SLO file (YAML), e.g. examples/slo.yaml")
        Path file;

        @Override public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            return withSpec(spec, file, slo -> {
                out.println("OK: " + plural(slo.routeGroups().size(), "route group") + ", "
                        + plural(slo.objectives().size(), "objective") + " (" + slo.source() + ")");
            });
        }
    }

    @Command(name = "explain", mixinStandardHelpOptions = true,
            description = "Print every objective of FILE in plain words, with its error budget (exit 0), or the file's problems (exit 2).")
    static final class Explain implements Callable<Integer> {
        @Spec CommandSpec spec;

        @Parameters(paramLabel = "FILE", description = "the SLO file (YAML), e.g. examples/slo.yaml")
        Path file;

        @Override public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            return withSpec(spec, file, slo -> out.print(SloExplainer.explain(slo)));
        }
    }

    @Command(name = "report", mixinStandardHelpOptions = true,
            description = {"Print an SLA report of a saved engine snapshot (EngineSnapshot.toBytes) judged by FILE: per objective "
                    + "the window, measured value, tier, error budget left and burn-rate alert.",
                    "Exit 0 when every objective is at least acceptable, 1 when one is critical or breached, 2 on a bad file or snapshot."})
    static final class Report implements Callable<Integer> {
        @Spec CommandSpec spec;

        @Parameters(paramLabel = "FILE", description = "the SLO file the snapshot was recorded with (or one with the same latency thresholds)")
        Path file;

        @Option(names = "--snapshot", required = true, paramLabel = "SNAPSHOT.bin", description = "a snapshot saved with EngineSnapshot.toBytes()")
        Path snapshot;

        @Option(names = "--at", paramLabel = "ISO-INSTANT",
                description = "judge as of this instant, e.g. 2026-12-06T04:00:00Z (default: the end of the snapshot's last minute)")
        String at;

        @Override public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            Instant when = null;
            if (at != null) {
                try {
                    when = Instant.parse(at);
                } catch (DateTimeParseException e) {
                    err.println("vigil: --at '" + at + "' is not an ISO-8601 instant; write e.g. 2026-12-06T04:00:00Z");
                    err.flush();
                    return Vigil.USAGE;
                }
            }
            EngineSnapshot captured;
            try {
                captured = EngineSnapshot.fromBytes(Files.readAllBytes(snapshot));
            } catch (IOException e) {
                err.println("vigil: cannot read snapshot " + snapshot + ": " + e.getMessage());
                err.flush();
                return Vigil.USAGE;
            } catch (IllegalArgumentException e) {
                err.println("vigil: " + snapshot + " is not an engine snapshot this Vigil reads: " + e.getMessage());
                err.flush();
                return Vigil.USAGE;
            }
            // The open minute at capture ends 1 ms before the next minute: judging there counts all of it.
            Instant now = when != null ? when : captured.capturedAt().plus(Duration.ofMinutes(1)).minusMillis(1);
            int[] exit = {Vigil.OK};
            int loaded = withSpec(spec, file, slo -> {
                SloReport report;
                try {
                    report = SloEngine.evaluate(slo, captured, now);
                } catch (IllegalArgumentException e) {
                    err.println("vigil: " + snapshot + " cannot be judged by " + file + ": " + e.getMessage());
                    exit[0] = Vigil.USAGE;
                    return;
                }
                out.print(ReportText.render(slo, report));
                exit[0] = report.passes() ? Vigil.OK : Vigil.BREACHED;
            });
            err.flush();
            return loaded != Vigil.OK ? loaded : exit[0];
        }
    }

    /** Loads the file and runs {@code action}; prints problems and returns 2 when the file is wrong. */
    private static int withSpec(CommandSpec spec, Path file, java.util.function.Consumer<SloSpec> action) {
        PrintWriter err = spec.commandLine().getErr();
        try {
            action.accept(SloFiles.load(file));
            spec.commandLine().getOut().flush();
            return Vigil.OK;
        } catch (ConfigException e) {
            for (Problem p : e.problems()) err.println(p);
            err.println(plural(e.problems().size(), "problem") + " in " + file + "; see docs/slo-file.md for the format");
            err.flush();
            return Vigil.USAGE;
        } catch (RuntimeException e) {
            // A bug, not the user's mistake: say so in one line instead of a stack trace.
            err.println("vigil: internal error while reading " + file + ": " + e
                    + " (please report it with the file)");
            err.flush();
            return Vigil.USAGE;
        }
    }

    private static String plural(int n, String word) {
        return n + " " + word + (n == 1 ? "" : "s");
    }
}
