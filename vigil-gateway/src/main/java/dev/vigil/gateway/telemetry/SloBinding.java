package dev.vigil.gateway.telemetry;

import dev.vigil.gateway.pipeline.RouteGroups;
import dev.vigil.slo.Rebind;
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
     * This binding moved to {@code next}, a changed version of its SLO file, keeping every measurement; or why it
     * cannot be, and the gateway binds afresh. A binding without an engine has nothing to keep.
     */
    default Rebound rebind(SloSpec next) {
        return new Rebound.Restart("this SLO binding keeps no measurements to carry over");
    }

    /** What a changed SLO file did to a binding's measurements. */
    sealed interface Rebound {
        /** The file records requests as before: {@code binding} judges by it everything measured so far. */
        record Kept(SloBinding binding) implements Rebound {}

        /** The file records requests differently: measurements restart; {@code reason} says why, for an operator. */
        record Restart(String reason) implements Rebound {}
    }

    /**
     * The SLO engine for {@code spec}: requests are grouped by the SLO file's route groups, every finished request
     * is recorded into the engine and {@code /api/slo} reports its evaluation at the clock's now.
     */
    static SloBinding engine(SloSpec spec, InstantSource clock) {
        return engine(SloEngine.create(spec, clock));
    }

    private static SloBinding engine(SloEngine engine) {
        SloSpec spec = engine.spec();
        RouteMatcher matcher = RouteMatcher.of(spec);
        return new SloBinding() {
            @Override public RouteGroups routeGroups() { return RouteGroups.of(matcher); }

            @Override public SloSink sink() { return engine::record; }

            @Override public Optional<byte[]> reportJson() { return Optional.of(SloReportJson.write(spec.service(), engine.evaluate())); }

            @Override public Rebound rebind(SloSpec next) {
                return switch (engine.rebind(next)) {
                    case Rebind.Kept k -> new Rebound.Kept(engine(k.engine()));
                    case Rebind.RecordsDifferently d -> new Rebound.Restart(d.reason());
                };
            }
        };
    }

    /** No SLO file: requests are grouped by gateway route name and only Prometheus metrics are kept. */
    SloBinding NONE = new SloBinding() {
        @Override public RouteGroups routeGroups() { return null; }

        @Override public SloSink sink() { return SloSink.NONE; }

        @Override public Optional<byte[]> reportJson() { return Optional.empty(); }
    };
}
