package dev.vigil.gateway.policy;

import java.util.Objects;

/**
 * One HTTP header field as stored or replayed by a policy (idempotent replays, cached responses).
 * Names keep the case the upstream sent; comparisons elsewhere are case-insensitive.
 */
public record Header(String name, String value) {
    public Header {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
        if (name.isEmpty()) throw new IllegalArgumentException("header name must not be empty");
    }
}
