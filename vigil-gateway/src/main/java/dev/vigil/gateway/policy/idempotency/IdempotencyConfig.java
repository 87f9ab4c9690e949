package dev.vigil.gateway.policy.idempotency;

import dev.vigil.gateway.policy.FailMode;
import java.time.Duration;
import java.util.Objects;

/**
 * Idempotency settings of one route.
 *
 * @param mode                off / optional / required
 * @param deriveKey           when no key header is sent, derive the key from method + path + body hash
 *                            (so identical retries are de-duplicated even from clients that send no key)
 * @param inFlightDeadline    how long a claim holds the key; after it a crashed or hung request no
 *                            longer locks the key. Must exceed the route's request timeout.
 * @param waitForResult       how long a duplicate waits for the in-flight original before answering
 *                            409; {@link Duration#ZERO} answers 409 at once
 * @param ttl                 how long a completed record is kept (the server's expiry policy; default 24 h)
 * @param store5xx            whether upstream 5xx responses are stored and replayed (default true, as
 *                            Stripe does: the write may have partly happened); false releases the key
 * @param maxStoredBodyBytes  larger responses are not stored: the key is then finished as "not
 *                            replayable" and duplicates get 409 naming the original status — the
 *                            request is never executed twice
 * @param failMode            what to do when the store is unreachable: OPEN forwards without
 *                            de-duplication, CLOSED answers 503
 */
public record IdempotencyConfig(IdempotencyMode mode, boolean deriveKey, Duration inFlightDeadline, Duration waitForResult,
                                Duration ttl, boolean store5xx, long maxStoredBodyBytes, FailMode failMode) {

    public static final Duration DEFAULT_TTL = Duration.ofHours(24);

    public IdempotencyConfig {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(inFlightDeadline, "inFlightDeadline");
        Objects.requireNonNull(waitForResult, "waitForResult");
        Objects.requireNonNull(ttl, "ttl");
        Objects.requireNonNull(failMode, "failMode");
        if (inFlightDeadline.toMillis() < 1) throw new IllegalArgumentException("inFlightDeadline must be at least 1ms");
        if (waitForResult.isNegative()) throw new IllegalArgumentException("waitForResult must not be negative");
        if (waitForResult.compareTo(inFlightDeadline) > 0) {
            throw new IllegalArgumentException("waitForResult (" + waitForResult + ") must not exceed inFlightDeadline (" + inFlightDeadline + ")");
        }
        if (ttl.compareTo(inFlightDeadline) < 0) throw new IllegalArgumentException("ttl must be at least inFlightDeadline");
        if (maxStoredBodyBytes < 0) throw new IllegalArgumentException("maxStoredBodyBytes must be >= 0");
    }

    /** Defaults: 60 s in-flight deadline (above the 29 s request timeout), 409 at once, 24 h TTL, 5xx stored, 1 MiB, fail-closed. */
    public static IdempotencyConfig defaults(IdempotencyMode mode) {
        return new IdempotencyConfig(mode, false, Duration.ofSeconds(60), Duration.ZERO, DEFAULT_TTL, true, 1 << 20, FailMode.CLOSED);
    }
}
