package dev.vigil.gateway.config;

/**
 * The admin plane: a separate listener serving {@code /healthz}, {@code /readyz} (no token) and
 * {@code /metrics}, {@code /api/slo}, {@code POST /admin/reload} (bearer token required).
 *
 * @param token the bearer token; never logged (see {@link #toString()})
 */
public record AdminListener(Listener listener, String token) {
    public AdminListener {
        if (listener == null) throw new IllegalArgumentException("listener is required");
        if (token == null || token.length() < 16) {
            throw new IllegalArgumentException("admin token must be at least 16 characters");
        }
    }

    @Override public String toString() { return "AdminListener[" + listener + ", token=<redacted>]"; }
}
