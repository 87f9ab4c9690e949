package dev.vigil.slo.config;

import dev.vigil.slo.spec.SourceLocation;

/**
 * One thing wrong with a configuration file, and where.
 *
 * @param location file, 1-based line and column (0 when the whole file is meant), and the dotted field path
 * @param message  what is wrong and what is allowed, for a person
 */
public record Problem(SourceLocation location, String message) {
    public Problem {
        if (location == null || message == null) throw new IllegalArgumentException("location and message are required");
    }

    /** {@code slo.yaml:14:7: unknown key 'p999' at routes.api.latency — did you mean 'p99.9'?} */
    @Override public String toString() {
        if (location.line() <= 0) return location.file() + ": " + message;
        return location.file() + ":" + location.line() + ":" + location.column() + ": " + message;
    }
}
