package dev.vigil.load.scenario;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A load test as written in a scenario file (format in {@code docs/scenario-file.md}).
 *
 * @param file            the file's name as given, for messages and the result
 * @param target          base URL (http or https) every step's path is relative to
 * @param phases          load shape over time, all open or all closed model
 * @param flows           weighted flows; each arrival or user iteration runs one
 * @param feeders         CSV feeders; every flow start takes one row of each
 * @param variables       constants usable as {@code {{ name }}}
 * @param connections     cap on open connections; requests beyond it wait (and their waiting counts)
 * @param failureCriteria conditions that stop the run early
 * @param insecureTls     https targets: accept any certificate (self-signed staging servers)
 */
public record Scenario(String file, URI target, List<Phase> phases, List<Flow> flows, List<Feeder> feeders,
                       Map<String, String> variables, int connections, List<FailureCriterion> failureCriteria,
                       boolean insecureTls) {
    /** A scenario that verifies TLS certificates. */
    public Scenario(String file, URI target, List<Phase> phases, List<Flow> flows, List<Feeder> feeders,
                    Map<String, String> variables, int connections, List<FailureCriterion> failureCriteria) {
        this(file, target, phases, flows, feeders, variables, connections, failureCriteria, false);
    }

    public Scenario {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(target, "target");
        phases = List.copyOf(phases);
        flows = List.copyOf(flows);
        feeders = List.copyOf(feeders);
        variables = Map.copyOf(variables);
        failureCriteria = List.copyOf(failureCriteria);
        if (phases.isEmpty()) throw new IllegalArgumentException("at least one phase is required");
        if (flows.isEmpty()) throw new IllegalArgumentException("at least one scenario (flow) is required");
        if (connections < 1) throw new IllegalArgumentException("connections must be >= 1: " + connections);
        boolean open = phases.get(0) instanceof Phase.Open;
        for (Phase p : phases) {
            if ((p instanceof Phase.Open) != open) {
                throw new IllegalArgumentException("all phases must use the same model (arrivalRate or users)");
            }
        }
    }

    public boolean isOpenModel() { return phases.get(0) instanceof Phase.Open; }

    public Duration totalDuration() {
        return phases.stream().map(Phase::duration).reduce(Duration.ZERO, Duration::plus);
    }

    /** The same scenario with different phases (stress steps, a --duration override). */
    public Scenario withPhases(List<Phase> newPhases) {
        return new Scenario(file, target, newPhases, flows, feeders, variables, connections, failureCriteria,
                insecureTls);
    }

    public Scenario withTarget(URI newTarget) {
        return new Scenario(file, newTarget, phases, flows, feeders, variables, connections, failureCriteria,
                insecureTls);
    }

    /** Phases stretched or shrunk proportionally so that they last {@code total} together. */
    public Scenario withTotalDuration(Duration total) {
        long old = totalDuration().toNanos();
        List<Phase> scaled = phases.stream()
                .map(p -> p.withDuration(Duration.ofNanos(Math.max(1_000_000L,
                        (long) ((double) p.duration().toNanos() * total.toNanos() / old)))))
                .toList();
        return withPhases(scaled);
    }
}
