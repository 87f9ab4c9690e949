package dev.vigil.gateway.policy.cache;

import java.util.Objects;

/**
 * The facts of one request the cache needs.
 *
 * @param method  HTTP method, upper case
 * @param host    the Host the route matched (case-insensitive)
 * @param path    path without query
 * @param query   raw query string without {@code ?}, or {@code null}
 * @param tenant  resolved tenant id
 * @param headers request header lookup, case-insensitive (returns {@code null} when absent; repeated
 *                fields joined with {@code ", "})
 */
public record CacheRequest(String method, String host, String path, String query, String tenant, RequestHeaders headers) {

    /** Case-insensitive request header lookup supplied by the stage. */
    @FunctionalInterface
    public interface RequestHeaders {
        String get(String name);
    }

    public CacheRequest {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(headers, "headers");
    }
}
