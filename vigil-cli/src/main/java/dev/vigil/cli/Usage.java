package dev.vigil.cli;

import dev.vigil.slo.config.Quantities;

import java.time.Duration;

/** A usage or configuration problem found in a command's options: printed as one line, exit code 2. */
final class Usage extends Exception {
    Usage(String message) {
        super(message);
    }

    /** A duration option such as {@code --duration 30s}; zero only when {@code zeroAllowed}, never negative. */
    static Duration duration(String option, String text, boolean zeroAllowed) throws Usage {
        try {
            Duration d = Quantities.parseDuration(text);
            if (d.isZero() && !zeroAllowed) throw new Usage(option + " must be greater than 0");
            return d;
        } catch (IllegalArgumentException e) {
            throw new Usage(option + ": " + e.getMessage());
        }
    }
}
