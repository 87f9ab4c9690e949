package dev.vigil.gateway.config;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A named set of upstream endpoints that routes send traffic to.
 *
 * @param maxConnections  cap on open connections per endpoint (pooled and in use)
 * @param idleTimeout     a pooled connection unused this long is closed; keep it below the upstream's own
 *                        keep-alive timeout so the gateway, not the upstream, closes idle connections
 * @param health          active health check, if configured
 */
public record PoolConfig(String name, List<Endpoint> endpoints, BalancePolicy policy, int maxConnections,
                         Duration idleTimeout, Optional<HealthCheck> health, PassiveHealth passive) {
    public PoolConfig {
        if (name == null || name.isBlank()) throw new IllegalArgumentException("name is required");
        endpoints = List.copyOf(endpoints);
        if (endpoints.isEmpty()) throw new IllegalArgumentException("a pool needs at least one endpoint");
        if (policy == null) throw new IllegalArgumentException("policy is required");
        if (maxConnections < 1) throw new IllegalArgumentException("maxConnections must be >= 1");
        if (idleTimeout == null || idleTimeout.isNegative() || idleTimeout.isZero()) throw new IllegalArgumentException("idleTimeout must be > 0");
        if (health == null || passive == null) throw new IllegalArgumentException("health and passive are required");
    }
}
