/**
 * Response caching for GET/HEAD: RFC 9111 freshness and Vary, coalesced misses, stale-while-revalidate
 * and stale-if-error, purge by path. Entry point: {@link dev.vigil.gateway.policy.cache.ResponseCache#handle}.
 */
package dev.vigil.gateway.policy.cache;
