package dev.vigil.gateway.policy;

/**
 * What a policy does when its shared state (Redis) cannot be reached.
 *
 * <p>{@link #OPEN} lets the request through without enforcement (availability first: a rate limit
 * that cannot count should not become an outage); {@link #CLOSED} refuses it with 503 (safety first:
 * e.g. idempotency on payments, where a second execution is worse than a refusal).
 */
public enum FailMode {
    OPEN, CLOSED
}
