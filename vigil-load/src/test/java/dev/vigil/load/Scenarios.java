package dev.vigil.load;

import dev.vigil.load.scenario.Body;
import dev.vigil.load.scenario.Capture;
import dev.vigil.load.scenario.Flow;
import dev.vigil.load.scenario.Phase;
import dev.vigil.load.scenario.Scenario;
import dev.vigil.load.scenario.StatusExpectation;
import dev.vigil.load.scenario.Step;
import dev.vigil.load.scenario.Template;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** Scenarios built in code, for engine tests that do not exercise the parser. */
final class Scenarios {
    private Scenarios() {}

    static Step get(String name, String path) {
        return new Step(name, "GET", Template.compile(path), List.of(), List.of(), Body.NONE, StatusExpectation.DEFAULT,
                Duration.ofSeconds(10), List.of(), Duration.ZERO, "test");
    }

    static Step post(String name, String path, List<Capture> captures) {
        return new Step(name, "POST", Template.compile(path), List.of(), List.of(), Body.NONE,
                StatusExpectation.of(List.of("201")), Duration.ofSeconds(10), captures, Duration.ZERO, "test");
    }

    static Scenario open(URI target, double rps, Duration duration, int connections, Flow... flows) {
        return new Scenario("test.yaml", target, List.of(new Phase.Open("steady", duration, rps, rps)), List.of(flows),
                List.of(), Map.of(), connections, List.of());
    }

    static Flow flow(String name, double weight, Step... steps) {
        return new Flow(name, weight, List.of(steps));
    }
}
