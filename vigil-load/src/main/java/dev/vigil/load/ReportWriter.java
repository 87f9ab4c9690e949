package dev.vigil.load;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Writes the human-facing report of a finished (or interrupted) run into a directory, e.g. {@code report.html}.
 * {@code result.json} itself is written by the load lab ({@link ResultJson}); a report writer adds to it.
 */
@FunctionalInterface
public interface ReportWriter {
    /** A writer that writes nothing. */
    ReportWriter NONE = (result, outDir) -> { };

    /**
     * @param result the run's results, exactly what {@code result.json} holds
     * @param outDir an existing directory
     */
    void write(RunResult result, Path outDir) throws IOException;
}
