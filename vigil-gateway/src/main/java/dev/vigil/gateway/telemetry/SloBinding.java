package dev.vigil.gateway.telemetry;

import dev.vigil.gateway.pipeline.RouteGroups;
import dev.vigil.slo.SloEngine;
import dev.vigil.slo.spec.RouteMatcher;
import dev.vigil.slo.spec.SloSpec;

import java.time.InstantSource;
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
     * The SLO engine for {@code spec}: requests are grouped by the SLO file's route groups, every finished request
     * is recorded into the engine and {@code /api/slo} reports its evaluation at the clock's now.
     */
    static SloBinding engine(SloSpec spec, InstantSource clock) {
        RouteMatcher matcher = RouteMatcher.of(spec);
        SloEngine engine = SloEngine.create(spec, clock);
        return new SloBinding() {
            @Override public RouteGroups routeGroups() { return RouteGroups.of(matcher); }

            @Override public SloSink sink() { return engine::record; }

            @Override public Optional<byte[]> reportJson() { return Optional.of(SloReportJson.write(spec.service(), engine.evaluate())); }
        };
    }

    /** No SLO file: requests are grouped by gateway route name and only Prometheus metrics are kept. */
    SloBinding NONE = new SloBinding() {
        @Override public RouteGroups routeGroups() { return null; }

        @Override public SloSink sink() { return SloSink.NONE; }

        @Override public Optional<byte[]> reportJson() { return Optional.empty(); }
    };
}
