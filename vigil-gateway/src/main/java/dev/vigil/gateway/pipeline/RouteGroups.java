package dev.vigil.gateway.pipeline;

/**
 * Names the SLO route group of a request. Backed by the SLO file's {@code RouteMatcher.groupFor} when an SLO file is
 * configured.
 */
public interface RouteGroups {
    String groupFor(String method, String path);

    /** The group for requests too malformed to have a method and path. */
    String defaultGroup();

    static RouteGroups of(dev.vigil.slo.spec.RouteMatcher matcher) {
        return new RouteGroups() {
            @Override public String groupFor(String method, String path) { return matcher.groupFor(method, path); }

            @Override public String defaultGroup() { return matcher.defaultGroup(); }
        };
    }
}
