package dev.vigil.slo;

/** What {@link SloEngine#rebind} made of a changed SLO file. */
public sealed interface Rebind {
    /** The file records requests the same way: {@code engine} judges with it and keeps every measurement. */
    record Kept(SloEngine engine) implements Rebind {
        public Kept {
            if (engine == null) throw new IllegalArgumentException("engine is required");
        }
    }

    /**
     * The file counts requests into other series or counters, so the measurements cannot be judged by it;
     * {@code reason} says what differs, for an operator (e.g. {@code tenant 'acme' override is new: …}).
     */
    record RecordsDifferently(String reason) implements Rebind {
        public RecordsDifferently {
            if (reason == null || reason.isBlank()) throw new IllegalArgumentException("reason is required");
        }
    }
}
