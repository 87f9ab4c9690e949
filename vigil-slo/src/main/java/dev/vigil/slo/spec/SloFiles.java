package dev.vigil.slo.spec;

import dev.vigil.slo.config.ConfigDocument;
import dev.vigil.slo.config.ConfigException;
import dev.vigil.slo.config.ConfigNode;

import java.nio.file.Path;

/**
 * Reads SLO files into validated {@link SloSpec}s. The file format is documented in {@code docs/slo-file.md}.
 *
 * <p>A wrong file fails with a {@link ConfigException} listing every problem found in one pass, each with
 * file, line, column, field and what is allowed. Stateless and thread-safe.
 */
public final class SloFiles {
    private SloFiles() {}

    /** Reads and validates the SLO file at {@code file}. */
    public static SloSpec load(Path file) throws ConfigException {
        return read(ConfigDocument.load(file));
    }

    /** Validates {@code yaml}; {@code fileName} is used in problem locations and as {@link SloSpec#source()}. */
    public static SloSpec parse(String fileName, String yaml) throws ConfigException {
        return read(ConfigDocument.parse(fileName, yaml));
    }

    /** Validates an already parsed document (e.g. an SLO section embedded in another file). */
    public static SloSpec read(ConfigNode root) throws ConfigException {
        return new SloFileReader(root).read();
    }
}
