package dev.vigil.gateway.policy.tenant;

import java.util.HexFormat;
import java.util.Objects;

/**
 * One configured API key: the SHA-256 of the key (never the key itself), its tenant and plan.
 *
 * @param sha256Hex 64 lowercase or uppercase hex digits; produce it with {@link ApiKeys#sha256Hex(String)}
 *                  (or {@code printf %s KEY | sha256sum})
 * @param tenant    tenant identifier used for limits, idempotency scoping, cache keys and the SLO
 * @param plan      name of a configured plan
 */
public record ApiKey(String sha256Hex, String tenant, String plan) {
    public ApiKey {
        Objects.requireNonNull(sha256Hex, "sha256Hex");
        if (sha256Hex.length() != 64 || !sha256Hex.chars().allMatch(HexFormat::isHexDigit)) {
            throw new IllegalArgumentException("API key hash must be 64 hex digits (SHA-256), got " + sha256Hex.length() + " characters");
        }
        sha256Hex = sha256Hex.toLowerCase(java.util.Locale.ROOT);
        if (tenant == null || tenant.isBlank()) throw new IllegalArgumentException("API key tenant must not be blank");
        if (plan == null || plan.isBlank()) throw new IllegalArgumentException("API key plan must not be blank");
    }
}
