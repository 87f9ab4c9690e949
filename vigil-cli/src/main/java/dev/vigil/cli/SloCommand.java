package dev.vigil.cli;

import dev.vigil.slo.config.ConfigException;
import dev.vigil.slo.config.Problem;
import dev.vigil.slo.explain.SloExplainer;
import dev.vigil.slo.spec.SloFiles;
import dev.vigil.slo.spec.SloSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code vigil slo}: check an SLO file and say what it promises. Maps onto vigil-slo's {@code spec} and
 * {@code explain} packages. Exit 0 when the file is valid, 2 when it is not (every problem is printed, located);
 * never a stack trace.
 */
@Command(name = "slo", mixinStandardHelpOptions = true,
        description = "Check an SLO file and explain what it promises.",
        subcommands = {SloCommand.Validate.class, SloCommand.Explain.class})
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
