package dev.vigil.gateway.pipeline;

/** Receives every finished exchange, once, on the connection's event loop. Implementations must not block. */
@FunctionalInterface
public interface ExchangeRecorder {
    /**
     * @param latencyMicros first byte of the request in to last byte of the response out (or to the failure)
     * @param epochMillis   completion time
     */
    void record(Exchange exchange, long latencyMicros, long epochMillis);

    /** A request that is starting (for the in-flight gauge); paired with exactly one {@link #record}. */
    default void started(Exchange exchange) {}
}
