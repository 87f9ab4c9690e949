package dev.vigil.gateway.config;

import java.time.Duration;

/**
 * Passive ejection (outlier detection): after {@code consecutiveFailures} connect errors, timeouts or 5xx responses
 * in a row an endpoint is taken out of rotation for {@code ejection}, then re-admitted on probation.
 */
public record PassiveHealth(int consecutiveFailures, Duration ejection) {
    public static final PassiveHealth DEFAULTS = new PassiveHealth(5, Duration.ofSeconds(30));

    public PassiveHealth {
        if (consecutiveFailures < 1) throw new IllegalArgumentException("consecutiveFailures must be >= 1");
        if (ejection == null || ejection.isNegative() || ejection.isZero()) throw new IllegalArgumentException("ejection must be > 0");
    }
}
