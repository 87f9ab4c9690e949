package dev.vigil.load.scenario;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Every scenario under examples/ reads without a problem: the documentation's examples are real. */
class ExamplesTest {
    @Test
    void everyExampleScenarioReads() throws Exception {
        Path examples = Path.of("..", "examples");
        List<Path> scenarios;
        try (Stream<Path> files = Files.list(examples)) {
            scenarios = files.filter(p -> p.toString().endsWith(".yaml"))
                    .filter(p -> {
                        try {
                            return Files.readString(p).contains("\nscenarios:");
                        } catch (java.io.IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    }).toList();
        }
        assertThat(scenarios).isNotEmpty();
        for (Path p : scenarios) {
            Scenario s = ScenarioFiles.load(p);
            assertThat(s.flows()).as(p.toString()).isNotEmpty();
        }
    }
}
