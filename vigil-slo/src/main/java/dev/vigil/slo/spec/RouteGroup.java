package dev.vigil.slo.spec;

import java.util.List;

/**
 * Named set of routes judged together, e.g. {@code landing-page-read} = {@code GET /landing-pages/{id}}.
 * Exactly one group in a file is the default, and catches every request no other group matches.
 */
public record RouteGroup(String name, List<RoutePattern> patterns, boolean isDefault, SourceLocation location) {
    public RouteGroup {
        patterns = List.copyOf(patterns);
    }
}
