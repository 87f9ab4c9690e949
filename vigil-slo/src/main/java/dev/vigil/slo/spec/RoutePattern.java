package dev.vigil.slo.spec;

/**
 * {@code GET /landing-pages/{id}}: an HTTP method ({@code *} for any) and a path pattern whose
 * {@code {name}} segments match one path segment and whose trailing {@code /**} matches any rest.
 */
public record RoutePattern(String method, String path) {
    @Override public String toString() { return method + " " + path; }
}
