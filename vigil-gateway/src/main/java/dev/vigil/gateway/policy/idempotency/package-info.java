/**
 * Idempotency keys for POST, PUT and PATCH: the first request with a key executes, duplicates get
 * the stored response replayed, a 409 while it is in flight, or a 422 when the payload differs.
 *
 * <p>Entry point: {@link dev.vigil.gateway.policy.idempotency.IdempotencyEngine#begin}. Stores:
 * {@link dev.vigil.gateway.policy.idempotency.EmbeddedIdempotencyStore} (persisted with H2 MVStore,
 * survives restarts) and {@link dev.vigil.gateway.policy.idempotency.RedisIdempotencyStore} (shared by
 * gateway instances).
 */
package dev.vigil.gateway.policy.idempotency;
