package dev.vigil.gateway.upstream;

/**
 * The upstream broke HTTP/1.1 (a bad status line, field or chunk size, a head over the limit, conflicting lengths).
 * {@link ResponseParser} sends this once and ignores everything after it: the connection is unusable.
 */
public record UpstreamMalformed(String reason) {}
