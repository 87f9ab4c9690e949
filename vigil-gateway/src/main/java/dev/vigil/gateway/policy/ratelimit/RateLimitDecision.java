package dev.vigil.gateway.policy.ratelimit;

import java.util.List;

/**
 * The answer for one request.
 *
 * @param allowed           whether to forward the request
 * @param retryAfterSeconds when refused: seconds until every violated policy admits again (rounded up,
 *                          at least 1); 0 when allowed
 * @param policies          every policy that applied, in order plan → route → global (empty when degraded)
 * @param degraded          shared state was unreachable, so the route's fail mode decided: allowed
 *                          (fail-open) or refused with 503 (fail-closed)
 */
public record RateLimitDecision(boolean allowed, long retryAfterSeconds, List<PolicyState> policies, boolean degraded) {

    static final RateLimitDecision UNLIMITED = new RateLimitDecision(true, 0, List.of(), false);
    static final RateLimitDecision FAILED_OPEN = new RateLimitDecision(true, 0, List.of(), true);
    static final RateLimitDecision FAILED_CLOSED = new RateLimitDecision(false, 1, List.of(), true);

    public RateLimitDecision {
        policies = List.copyOf(policies);
        if (retryAfterSeconds < 0) throw new IllegalArgumentException("retryAfterSeconds must be >= 0");
    }

    /** HTTP status for a refused request: 429, or 503 when refused because state was unreachable. */
    public int refusalStatus() { return degraded ? 503 : 429; }
}
