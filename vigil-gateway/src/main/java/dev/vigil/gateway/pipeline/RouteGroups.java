package dev.vigil.gateway.pipeline;

/**
 * Names the SLO route group of a request. Backed by the SLO file's {@code RouteMatcher.groupFor} when an SLO file is
 * configured.
 */
@FunctionalInterface
public interface RouteGroups {
    String groupFor(String method, String path);
}
