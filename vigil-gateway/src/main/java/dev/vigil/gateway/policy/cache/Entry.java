package dev.vigil.gateway.policy.cache;

import java.util.List;

/**
 * One stored response with its timeline, epoch milliseconds: fresh until {@code freshUntil}, then
 * servable while revalidating until {@code staleWhileRevalidateUntil}, and on upstream errors until
 * {@code staleIfErrorUntil}.
 *
 * @param varyNames  header names of the response's Vary (lower case, sorted); empty when none
 * @param varyValues the request's normalised values for them when stored
 */
record Entry(UpstreamResponse response, long storedAt, long freshUntil, long staleWhileRevalidateUntil, long staleIfErrorUntil,
             List<String> varyNames, List<String> varyValues, String pathKey) {

    long evictAt() { return Math.max(freshUntil, Math.max(staleWhileRevalidateUntil, staleIfErrorUntil)); }

    /** Bytes this entry holds, approximately (the Caffeine weigher). */
    int weight() {
        long w = 256L + response.body().length;
        for (var h : response.headers()) w += 32 + h.name().length() + h.value().length();
        return (int) Math.min(Integer.MAX_VALUE, w);
    }
}
