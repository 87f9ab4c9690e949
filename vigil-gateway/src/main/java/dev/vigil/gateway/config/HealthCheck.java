package dev.vigil.gateway.config;

import java.time.Duration;

/**
 * Active health check: {@code GET path} on every endpoint each {@code interval}; a 2xx within {@code timeout} passes.
 * An endpoint turns unhealthy after {@code unhealthyThreshold} consecutive failures and healthy again after
 * {@code healthyThreshold} consecutive passes.
 */
public record HealthCheck(String path, Duration interval, Duration timeout, int healthyThreshold, int unhealthyThreshold) {
    public HealthCheck {
        if (path == null || !path.startsWith("/")) throw new IllegalArgumentException("path must start with '/': " + path);
        if (interval == null || interval.toMillis() < 10) throw new IllegalArgumentException("interval must be >= 10ms");
        if (timeout == null || timeout.isZero() || timeout.isNegative()) throw new IllegalArgumentException("timeout must be > 0");
        if (healthyThreshold < 1 || unhealthyThreshold < 1) throw new IllegalArgumentException("thresholds must be >= 1");
    }
}
