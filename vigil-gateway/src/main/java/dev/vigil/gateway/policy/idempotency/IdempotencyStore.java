package dev.vigil.gateway.policy.idempotency;

import java.util.concurrent.CompletionStage;

/**
 * Persistent record of idempotency keys. Implementations are thread-safe; every operation on one
 * key is atomic (in Redis: one script per operation, so several gateway instances agree).
 *
 * <p>Record life: absent → in flight (claimed, with a deadline) → completed (replayable) or not
 * replayable → expired after the TTL. A claim whose deadline passed counts as absent.
 */
public interface IdempotencyStore extends AutoCloseable {

    /**
     * Claims the key for this request unless a live record exists.
     *
     * @param fingerprint    SHA-256 of method, path and body (32 bytes)
     * @param inFlightMillis how long the claim holds the key
     * @return {@link ClaimResult.Claimed}, or what blocks the claim ({@code InFlight}, {@code Completed},
     *         {@code NotReplayable}, {@code Mismatch})
     */
    CompletionStage<ClaimResult> claim(RecordKey key, byte[] fingerprint, long inFlightMillis);

    /** The record as a duplicate would see it, without claiming ({@code Absent} when none). */
    CompletionStage<ClaimResult> lookup(RecordKey key, byte[] fingerprint);

    /**
     * Finishes a claim with a replayable response ({@code response != null}) or as not replayable.
     *
     * @return false when the claim was no longer ours (its deadline passed and another request took it)
     */
    CompletionStage<Boolean> complete(RecordKey key, String token, int status, StoredResponse response, long ttlMillis);

    /** Drops our claim so the client may retry (the upstream was never reached). */
    CompletionStage<Void> release(RecordKey key, String token);

    @Override
    void close();
}
