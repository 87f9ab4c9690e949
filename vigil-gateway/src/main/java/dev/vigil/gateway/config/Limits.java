package dev.vigil.gateway.config;

import java.time.Duration;

/**
 * Per-request limits. The gateway file sets the defaults under {@code limits:}; a route may override any of them.
 *
 * @param connectTimeout   longest wait for a TCP connection to an upstream endpoint
 * @param requestTimeout   longest wait from the request head being read to the upstream's response head (and
 *                         the longest silence while a response body streams); exceeded → 504 (or the connection
 *                         is cut when the response had already started)
 * @param maxBodyBytes     largest request body accepted; larger → 413 without reading the rest
 * @param maxHeaderBytes   largest request head (request line excluded) accepted; larger → 431
 * @param headerTimeout    longest time from a request's first byte to the end of its head (slowloris) → 408
 * @param idleTimeout      longest silence on a keep-alive client connection between requests → closed
 */
public record Limits(Duration connectTimeout, Duration requestTimeout, long maxBodyBytes, int maxHeaderBytes,
                     Duration headerTimeout, Duration idleTimeout) {
    public static final Limits DEFAULTS = new Limits(Duration.ofSeconds(2), Duration.ofSeconds(29),
            6L * 1024 * 1024, 16 * 1024, Duration.ofSeconds(10), Duration.ofSeconds(60));

    public Limits {
        positive(connectTimeout, "connectTimeout");
        positive(requestTimeout, "requestTimeout");
        positive(headerTimeout, "headerTimeout");
        positive(idleTimeout, "idleTimeout");
        if (maxBodyBytes < 0) throw new IllegalArgumentException("maxBodyBytes must be >= 0: " + maxBodyBytes);
        if (maxHeaderBytes < 256) throw new IllegalArgumentException("maxHeaderBytes must be >= 256: " + maxHeaderBytes);
    }

    private static void positive(Duration d, String name) {
        if (d == null || d.isZero() || d.isNegative()) throw new IllegalArgumentException(name + " must be > 0: " + d);
    }

    public Limits withConnectTimeout(Duration d) { return new Limits(d, requestTimeout, maxBodyBytes, maxHeaderBytes, headerTimeout, idleTimeout); }
    public Limits withRequestTimeout(Duration d) { return new Limits(connectTimeout, d, maxBodyBytes, maxHeaderBytes, headerTimeout, idleTimeout); }
    public Limits withMaxBodyBytes(long b) { return new Limits(connectTimeout, requestTimeout, b, maxHeaderBytes, headerTimeout, idleTimeout); }
    public Limits withMaxHeaderBytes(int b) { return new Limits(connectTimeout, requestTimeout, maxBodyBytes, b, headerTimeout, idleTimeout); }
    public Limits withHeaderTimeout(Duration d) { return new Limits(connectTimeout, requestTimeout, maxBodyBytes, maxHeaderBytes, d, idleTimeout); }
    public Limits withIdleTimeout(Duration d) { return new Limits(connectTimeout, requestTimeout, maxBodyBytes, maxHeaderBytes, headerTimeout, d); }
}
