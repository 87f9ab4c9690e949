package dev.vigil.load.scenario;

import java.util.List;
import java.util.Objects;

/**
 * A named sequence of steps that one arrival (open model) or one user iteration (closed model) runs in order.
 * The YAML calls it a scenario; {@code weight} is its share of arrivals.
 *
 * @param weight relative weight, > 0; weights need not sum to anything
 */
public record Flow(String name, double weight, List<Step> steps) {
    public Flow {
        Objects.requireNonNull(name, "name");
        if (!(weight > 0) || Double.isInfinite(weight)) throw new IllegalArgumentException("weight must be > 0: " + weight);
        steps = List.copyOf(steps);
        if (steps.isEmpty()) throw new IllegalArgumentException("a flow needs at least one step");
    }
}
