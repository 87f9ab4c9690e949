package dev.vigil.gateway.telemetry;

import dev.vigil.slo.CacheResult;
import dev.vigil.slo.Failure;

/**
 * Where each finished request goes to be judged against the SLO. Same shape as {@code SloEngine.record}, so wiring
 * the engine is {@code engine::record}. Must be thread-safe and must not block (it runs on event loops).
 */
@FunctionalInterface
public interface SloSink {
    SloSink NONE = (g, t, s, f, l, c, e) -> {};

    void record(String routeGroup, String tenant, int status, Failure failure, long latencyMicros, CacheResult cache,
                long epochMillis);
}
