package dev.vigil.slo.config;

import dev.vigil.slo.spec.SourceLocation;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A configuration file is wrong. Carries every problem found (a validating reader collects as many as it
 * can in one pass), sorted by position, so a person fixes them all in one round.
 *
 * <p>{@link #getMessage()} is meant to be shown as is: one line per problem, {@code file:line:column: message}.
 * Callers print it and exit; never show a stack trace for it.
 */
public final class ConfigException extends Exception {
    private static final long serialVersionUID = 1L;

    private static final Comparator<Problem> BY_POSITION = Comparator
            .comparing((Problem p) -> p.location().file())
            .thenComparingInt(p -> p.location().line())
            .thenComparingInt(p -> p.location().column());

    private final List<Problem> problems;

    public ConfigException(List<Problem> problems) {
        super(null, null, false, false);
        if (problems == null || problems.isEmpty()) throw new IllegalArgumentException("at least one problem is required");
        List<Problem> sorted = new ArrayList<>(problems);
        sorted.sort(BY_POSITION);
        this.problems = List.copyOf(sorted);
    }

    public ConfigException(Problem problem) {
        this(List.of(problem));
    }

    public ConfigException(SourceLocation location, String message) {
        this(new Problem(location, message));
    }

    /** Every problem, in file order. Never empty. */
    public List<Problem> problems() { return problems; }

    /** One line per problem: {@code file:line:column: message}. */
    @Override public String getMessage() {
        return problems.stream().map(Problem::toString).collect(Collectors.joining(System.lineSeparator()));
    }
}
