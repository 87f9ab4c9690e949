package dev.vigil.gateway.policy.idempotency;

/** What a store found when a request tried to claim (or looked up) a key. */
public sealed interface ClaimResult {

    /** This request owns the key and must go upstream; {@code token} proves ownership later. */
    record Claimed(String token) implements ClaimResult {}

    /** Another request with the same key and payload is executing. */
    record InFlight() implements ClaimResult {}

    /** The key completed; this is its response. */
    record Completed(StoredResponse response) implements ClaimResult {}

    /** The key completed with {@code status} but the response was too large to store. */
    record NotReplayable(int status) implements ClaimResult {}

    /** The key was used with a different method, path or body. */
    record Mismatch() implements ClaimResult {}

    /** Nothing stored under the key (lookups only). */
    record Absent() implements ClaimResult {}

    InFlight IN_FLIGHT = new InFlight();
    Mismatch MISMATCH = new Mismatch();
    Absent ABSENT = new Absent();
}
