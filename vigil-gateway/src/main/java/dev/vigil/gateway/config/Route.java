package dev.vigil.gateway.config;

import java.util.Set;

/**
 * Sends matching requests to a pool. Routes are tried in file order; the first match wins.
 *
 * @param host     host to match (port ignored, case-insensitive); {@code *} for any, {@code *.example.com} for subdomains
 * @param methods  upper-case methods to match; empty for any
 * @param limits   the effective limits for this route (the file's defaults with this route's overrides applied)
 */
public record Route(String name, String host, Set<String> methods, PathMatch path, String pool, Limits limits) {
    public Route {
        if (name == null || name.isBlank()) throw new IllegalArgumentException("name is required");
        if (host == null || host.isBlank()) throw new IllegalArgumentException("host is required");
        host = host.toLowerCase(java.util.Locale.ROOT);
        methods = Set.copyOf(methods);
        if (path == null || pool == null || limits == null) throw new IllegalArgumentException("path, pool and limits are required");
    }

    /** Whether this route takes a request; {@code host} without port, lower case. */
    public boolean matches(String requestHost, String method, String requestPath) {
        if (!methods.isEmpty() && !methods.contains(method)) return false;
        if (!host.equals("*")) {
            if (host.startsWith("*.")) {
                if (!requestHost.endsWith(host.substring(1))) return false;
            } else if (!host.equals(requestHost)) {
                return false;
            }
        }
        return path.matches(requestPath);
    }
}
