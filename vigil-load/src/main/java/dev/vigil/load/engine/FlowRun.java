package dev.vigil.load.engine;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * One run through a flow: which step is next, the variables it has captured or been fed, and the timing of the
 * request in flight. Owned by one event loop; lives only as long as the flow (or, closed model, the user).
 */
final class FlowRun implements Function<String, String> {
    final Map<String, String> constants;
    PreparedFlow flow;
    int step;
    /** Closed model: the user running this flow (-1 in the open model). */
    final int user;
    private HashMap<String, String> vars;
    /** When the current step's request was due, System.nanoTime() scale. */
    long intendedNanos;
    /** When it was written to a connection, or 0 if not yet. */
    long sentNanos;
    /** Its rendered path without query, for SLO route matching. */
    String path;

    FlowRun(PreparedFlow flow, int user, Map<String, String> constants) {
        this.flow = flow;
        this.user = user;
        this.constants = constants;
    }

    PreparedStep current() { return flow.steps[step]; }

    void put(String name, String value) {
        if (vars == null) vars = new HashMap<>();
        vars.put(name, value);
    }

    /** Starts the flow over (closed model: the user's next iteration) with a fresh set of variables. */
    void restart(PreparedFlow next) {
        flow = next;
        step = 0;
        if (vars != null) vars.clear();
    }

    @Override public String apply(String name) {
        if (vars != null) {
            String v = vars.get(name);
            if (v != null) return v;
        }
        return constants.get(name);
    }
}
