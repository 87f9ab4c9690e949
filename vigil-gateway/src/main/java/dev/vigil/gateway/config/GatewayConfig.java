package dev.vigil.gateway.config;

import dev.vigil.slo.spec.SloSpec;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A validated gateway file. Build one with {@link GatewayFiles#load(Path)}; tests may construct it directly.
 *
 * @param source          the file it came from ({@code <inline>} when built in code)
 * @param listeners       client-facing listeners
 * @param admin           the admin plane
 * @param routes          in match order
 * @param pools           upstream pools by name
 * @param limits          the default limits (routes carry their own effective copy)
 * @param slo             the SLO file whose route groups and objectives judge the traffic, already parsed
 * @param trustedProxies  peers whose X-Forwarded-* headers are believed; everyone else's are overwritten
 * @param tenantHeader    request header naming the tenant; requests without it count as {@code anonymous}
 * @param accessLog       one JSON line per request on standard output
 * @param retryBudget     retries allowed as a fraction of requests (0.2 = at most 20% extra load)
 * @param shutdownGrace   how long a shutdown waits for in-flight requests
 */
public record GatewayConfig(Path source, List<Listener> listeners, AdminListener admin, List<Route> routes,
                            Map<String, PoolConfig> pools, Limits limits, Optional<SloSpec> slo,
                            List<Cidr> trustedProxies, String tenantHeader, boolean accessLog,
                            double retryBudget, Duration shutdownGrace) {
    public GatewayConfig {
        listeners = List.copyOf(listeners);
        routes = List.copyOf(routes);
        pools = Map.copyOf(pools);
        trustedProxies = List.copyOf(trustedProxies);
        if (listeners.isEmpty()) throw new IllegalArgumentException("at least one listener is required");
        if (admin == null || limits == null || slo == null || tenantHeader == null || shutdownGrace == null) {
            throw new IllegalArgumentException("admin, limits, slo, tenantHeader and shutdownGrace are required");
        }
        if (retryBudget < 0 || retryBudget > 1) throw new IllegalArgumentException("retryBudget must be 0..1: " + retryBudget);
        for (Route r : routes) {
            if (!pools.containsKey(r.pool())) throw new IllegalArgumentException("route " + r.name() + " names unknown pool " + r.pool());
        }
    }
}
