package dev.vigil.gateway.telemetry;

import dev.vigil.gateway.pipeline.RouteGroups;
import dev.vigil.slo.spec.RouteMatcher;
import dev.vigil.slo.spec.SloSpec;

import java.util.Optional;

/**
 * The gateway's link to the SLO file: how requests map to route groups, where outcomes are recorded, and the current
 * report for {@code /api/slo}.
 */
public interface SloBinding {
    /** The SLO file's route groups; null to judge each request under its gateway route's name. */
    RouteGroups routeGroups();

    SloSink sink();

    /** The current SLO report as a JSON document, or empty when no SLO engine is attached. */
    Optional<byte[]> reportJson();

    /**
     * Route groups from the SLO file, no engine: requests are grouped as the SLO file says in the Prometheus
     * metrics and the access log, and {@code /api/slo} reports that no engine is attached.
     */
    static SloBinding routeGroupsOnly(SloSpec spec) {
        RouteMatcher matcher = RouteMatcher.of(spec);
        return new SloBinding() {
            @Override public RouteGroups routeGroups() { return matcher::groupFor; }

            @Override public SloSink sink() { return SloSink.NONE; }

            @Override public Optional<byte[]> reportJson() { return Optional.empty(); }
        };
    }

    /** No SLO file: requests are grouped by gateway route name and only Prometheus metrics are kept. */
    SloBinding NONE = new SloBinding() {
        @Override public RouteGroups routeGroups() { return null; }

        @Override public SloSink sink() { return SloSink.NONE; }

        @Override public Optional<byte[]> reportJson() { return Optional.empty(); }
    };
}
