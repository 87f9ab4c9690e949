package dev.vigil.gateway.policy.idempotency;

import dev.vigil.gateway.policy.Problem;

/** What the stage does with a request after {@link IdempotencyEngine#begin}. */
public sealed interface IdempotencyDecision {

    /** Not subject to idempotency (route off, safe method, optional without key, or store down with fail-open). */
    record Bypass(boolean degraded) implements IdempotencyDecision {}

    /** First request with this key: forward it, then finish the ticket exactly once. */
    record Proceed(IdempotencyEngine.Ticket ticket) implements IdempotencyDecision {}

    /**
     * A completed duplicate: send {@link StoredResponse#replayHeaders()} and the stored body
     * without contacting the upstream.
     */
    record Replay(StoredResponse response) implements IdempotencyDecision {}

    /** Answer {@code problem.status()} with the problem+json body. */
    record Reject(Problem problem) implements IdempotencyDecision {}
}
