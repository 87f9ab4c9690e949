package dev.vigil.cli;

import dev.vigil.load.SloEngineJudge;
import dev.vigil.load.report.HlogWriter;
import dev.vigil.load.report.HtmlReportWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;
import java.time.InstantSource;

/**
 * The {@code vigil} command. Each subcommand maps onto one module: {@code slo} onto vigil-slo,
 * {@code load}, {@code sample-backend} and {@code demo} onto vigil-load, {@code gateway} onto vigil-gateway.
 *
 * <p>Exit codes: 0 success, 1 an objective was breached (or a run failed), 2 usage or configuration error.
 */
@Command(name = "vigil", mixinStandardHelpOptions = true, version = "vigil 0.1.0",
        description = "Enforce, measure and prove HTTP API service-level objectives from one SLO file.",
        subcommands = {SloCommand.class, GatewayCommand.class, CommandLine.HelpCommand.class,
                SampleBackendCommand.class})
public final class Vigil {
    public static final int OK = 0;
    public static final int BREACHED = 1;
    public static final int USAGE = 2;

    /** Builds the command line with injected writers, so tests can read what a user would see. */
    public static CommandLine commandLine(PrintWriter out, PrintWriter err) {
        CommandLine cl = new CommandLine(new Vigil());
        // The load lab's outputs: report.html and latency.hlog beside result.json.
        cl.addSubcommand("load", new LoadCommand(new HtmlReportWriter(),
                (dir, start) -> HlogWriter.create(dir.resolve(HlogWriter.FILE_NAME), start), SloEngineJudge::load,
                InstantSource.system()));
        cl.addSubcommand("demo", new DemoCommand());
        cl.setOut(out);
        cl.setErr(err);
        cl.setExitCodeExceptionMapper(e -> USAGE);
        cl.setParameterExceptionHandler((ex, args) -> {
            ex.getCommandLine().getErr().println("vigil: " + ex.getMessage());
            ex.getCommandLine().usage(ex.getCommandLine().getErr());
            return USAGE;
        });
        return cl;
    }

    public static void main(String[] args) {
        // Netty's default leak detector samples one buffer in 128 and records a stack trace for it: ~2 % of the
        // gateway's CPU per request in a profile, for a check that belongs in tests (the build runs them with the
        // detector at "simple" or "paranoid"). Set before any Netty buffer class loads; an explicit
        // -Dio.netty.leakDetection.level=... still wins.
        if (System.getProperty("io.netty.leakDetection.level") == null
                && System.getProperty("io.netty.leakDetectionLevel") == null) {
            System.setProperty("io.netty.leakDetection.level", "disabled");
        }
        // Netty logs through JUL: otherwise it probes SLF4J, which some dependencies bring without a binding
        // and which then prints three lines of warnings at every start
        io.netty.util.internal.logging.InternalLoggerFactory.setDefaultFactory(
                io.netty.util.internal.logging.JdkLoggerFactory.INSTANCE);
        PrintWriter out = new PrintWriter(System.out, true);
        PrintWriter err = new PrintWriter(System.err, true);
        System.exit(commandLine(out, err).execute(args));
    }
}
