package dev.vigil.slo;

/**
 * One finished HTTP exchange, as seen by the gateway or the load lab.
 *
 * <p>A value for callers that do not mind one short-lived allocation; the hot paths use
 * {@link SloEngine#record(String, String, int, Failure, long, CacheResult, long)} directly.
 *
 * @param routeGroup    the SLO file's route group that matched the request (see {@link dev.vigil.slo.spec.RouteMatcher})
 * @param tenant        tenant identifier, {@code "anonymous"} when none is known
 * @param status        HTTP status sent to the client, or 0 when no response was received ({@code failure} says why)
 * @param failure       transport-level failure, {@link Failure#NONE} when a response arrived
 * @param latencyMicros from first byte in (or intended send time, for the load lab) to last byte out, in microseconds
 * @param cache         what the response cache did with the request
 * @param epochMillis   completion time, milliseconds since the Unix epoch
 */
public record Outcome(String routeGroup, String tenant, int status, Failure failure, long latencyMicros,
                      CacheResult cache, long epochMillis) {
    public Outcome {
        if (routeGroup == null || tenant == null || failure == null || cache == null) {
            throw new IllegalArgumentException("routeGroup, tenant, failure and cache are required");
        }
        if (latencyMicros < 0) throw new IllegalArgumentException("latencyMicros must be >= 0: " + latencyMicros);
    }
}
