package dev.vigil.gateway.policy.ratelimit;

import java.util.concurrent.CompletionStage;

/**
 * Decides whether one request may proceed. Thread-safe.
 *
 * <p>A pipeline stage calls {@link #decide} once per request after the tenant is known, then:
 * allowed → forward, adding {@link RateLimitHttp#rateLimitField} / {@link RateLimitHttp#policyField}
 * to the response; refused → answer {@link RateLimitDecision#refusalStatus()} with
 * {@link RateLimitHttp#retryAfter}, the same fields and {@link RateLimitHttp#problem} as body.
 */
public interface RateLimiter extends AutoCloseable {

    /**
     * @param tenant tenant identifier (from the tenant stage)
     * @param plan   the tenant's plan name
     * @param route  the matched route name, or {@code null} to apply only plan and global limits
     * @return the decision; never completes exceptionally for state outages (the fail mode decides)
     */
    CompletionStage<RateLimitDecision> decide(String tenant, String plan, String route);

    /** Replaces the rules (config reload); counters of unchanged limits keep their state. */
    void updateRules(RateLimitRules rules);

    @Override
    void close();
}
