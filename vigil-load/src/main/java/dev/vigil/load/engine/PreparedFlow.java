package dev.vigil.load.engine;

import dev.vigil.load.scenario.Flow;

/** A flow with its steps prepared for sending. */
final class PreparedFlow {
    final Flow flow;
    final PreparedStep[] steps;

    PreparedFlow(Flow flow, PreparedStep[] steps) {
        this.flow = flow;
        this.steps = steps;
    }
}
