package dev.vigil.gateway.policy.cache;

import java.util.concurrent.CompletionStage;

/**
 * A second cache level shared by gateway instances (see {@link RedisCacheL2}). Failures are misses:
 * an unreachable L2 never fails a request.
 */
public interface CacheL2 {

    /** The stored bytes under {@code key}, or {@code null}; {@code pathKey} groups keys for purges. */
    CompletionStage<byte[]> get(String pathKey, String key);

    /** Stores asynchronously; errors are swallowed (counted by the implementation). */
    void put(String pathKey, String key, byte[] value, long ttlMillis);

    /** Makes every entry under {@code pathKey} unreachable. */
    void purge(String pathKey);
}
