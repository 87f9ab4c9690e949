package dev.vigil.gateway.policy.idempotency;

/** Per-route idempotency: off, used when the client sends a key, or required on every unsafe request. */
public enum IdempotencyMode { OFF, OPTIONAL, REQUIRED }
