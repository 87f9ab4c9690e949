package dev.vigil.load.sample;

import dev.vigil.load.LoadTest;
import dev.vigil.load.RunResult;
import dev.vigil.load.scenario.Scenario;
import dev.vigil.load.scenario.ScenarioFiles;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** The scenario `vigil demo` runs is valid and, shortened, runs cleanly against the sample backend. */
class DemoScenarioTest {
    static final Path DEMO_SCENARIO = Path.of("..", "examples", "demo-scenario.yaml");

    @Test
    void demoScenarioParsesAndLastsSixtySeconds() throws Exception {
        Scenario scenario = ScenarioFiles.load(DEMO_SCENARIO);
        assertThat(scenario.totalDuration()).isEqualTo(Duration.ofSeconds(60));
        assertThat(scenario.isOpenModel()).isTrue();
        assertThat(scenario.flows()).extracting(f -> f.name())
                .containsExactly("create_mission", "award_points", "retried_award", "leaderboard");
    }

    @Test
    void demoScenarioRunsAgainstTheSampleBackendWithoutErrors() throws Exception {
        try (SampleBackend backend = SampleBackend.start(SampleBackendConfig.defaults().withEventLoopThreads(1)
                .withServiceTime(ServiceTime.parse("lognormal:median=2ms,p99=20ms")))) {
            Scenario scenario = ScenarioFiles.load(DEMO_SCENARIO).withTarget(backend.baseUri())
                    .withTotalDuration(Duration.ofSeconds(3));
            RunResult result = LoadTest.of(scenario).threads(1).build().run();

            assertThat(result.totals().errors().total()).as("errors: %s", result.totals().errors()).isZero();
            assertThat(result.steps()).extracting(RunResult.StepResult::name).containsExactlyInAnyOrder(
                    "create mission", "read mission", "award points", "read profile", "create bonus mission",
                    "award bonus points", "award bonus points (retry)", "leaderboard");
            // captures flowed: every created mission and every awarded player was read back
            assertThat(result.steps()).allSatisfy(s -> assertThat(s.stats().count()).as(s.name()).isPositive());
            long created = count(result, "create mission");
            long awarded = count(result, "award points");
            assertThat(count(result, "read mission")).isBetween(created - 5, created);
            assertThat(count(result, "read profile")).isBetween(awarded - 5, awarded);
            // the retry carries the first award's Idempotency-Key: the backend answers it as a replay, not an error
            assertThat(count(result, "award bonus points (retry)"))
                    .isBetween(count(result, "award bonus points") - 5, count(result, "award bonus points"));
        }
    }

    private static long count(RunResult r, String step) {
        return r.steps().stream().filter(s -> s.name().equals(step)).findFirst().orElseThrow().stats().count();
    }
}
