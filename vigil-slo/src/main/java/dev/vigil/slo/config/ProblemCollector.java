package dev.vigil.slo.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Gathers problems while a reader walks a file, so one run reports everything it can instead of stopping at
 * the first mistake. Not thread-safe; one per read.
 *
 * <pre>{@code
 * ProblemCollector problems = new ProblemCollector();
 * Optional<Duration> timeout = problems.read(() -> node.require("timeout").asDuration());
 * problems.check(() -> node.allowOnly("timeout", "retries"));
 * problems.throwIfAny();
 * }</pre>
 */
public final class ProblemCollector {
    /** A read of a value that may fail with located problems. */
    @FunctionalInterface
    public interface Read<T> { T get() throws ConfigException; }

    /** A check that may fail with located problems. */
    @FunctionalInterface
    public interface Check { void run() throws ConfigException; }

    private final List<Problem> problems = new ArrayList<>();

    /** The value, or empty after recording why it could not be read. */
    public <T> Optional<T> read(Read<T> read) {
        try {
            return Optional.ofNullable(read.get());
        } catch (ConfigException e) {
            problems.addAll(e.problems());
            return Optional.empty();
        }
    }

    /** Runs the check, recording its problems; true when it passed. */
    public boolean check(Check check) {
        try {
            check.run();
            return true;
        } catch (ConfigException e) {
            problems.addAll(e.problems());
            return false;
        }
    }

    public void add(Problem problem) { problems.add(problem); }

    public void add(ConfigException e) { problems.addAll(e.problems()); }

    public boolean isEmpty() { return problems.isEmpty(); }

    /** Problems so far, in the order found. */
    public List<Problem> problems() { return List.copyOf(problems); }

    /** Throws every problem recorded so far, if any. */
    public void throwIfAny() throws ConfigException {
        if (!problems.isEmpty()) throw new ConfigException(problems);
    }
}
