package dev.vigil.load.scenario;

import dev.vigil.slo.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ScenarioFilesTest {
    @TempDir Path dir;

    private Scenario parse(String yaml) throws ConfigException {
        return ScenarioFiles.parse("load.yaml", yaml, dir);
    }

    private ConfigException problems(String yaml) {
        try {
            parse(yaml);
        } catch (ConfigException e) {
            return e;
        }
        throw new AssertionError("expected the scenario to be rejected");
    }

    @Test
    void readsTheIssueExampleWithRampsWeightsCapturesFeedersAndFailureCriteria() throws Exception {
        Files.writeString(dir.resolve("slugs.csv"), "slug,lang\nhome,en\n\"about, us\",fr\n");
        Scenario s = parse("""
                target: http://127.0.0.1:8080
                connections: 64
                feeders:
                  - { file: slugs.csv, order: circular }
                phases:
                  - { name: ramp, duration: 5m, arrivalRate: 1000, rampTo: 50000 }   # requests/s, open model
                  - { name: peak, duration: 30m, arrivalRate: 50000 }
                scenarios:
                  - name: lp_creation
                    weight: 15%
                    flow:
                      - post: /landing-pages
                        json: { title: "LP {{ randomString(8) }}", tags: [a, 2], draft: true }
                        capture: { id: $.id }
                        expect: 201
                      - put: /landing-pages/{{ id }}
                        json: { title: "renamed" }
                        timeout: 2s
                      - get: /templates
                  - name: public_page_views
                    weight: 25%
                    flow:
                      - get: /{{ slug }}          # from a CSV feeder
                        headers: { Accept-Language: "{{ lang }}" }
                        query: { ref: vigil }
                failure_criteria: { error_rate: "> 5%", p99: "> 2000ms" }
                """);

        assertThat(s.target().toString()).isEqualTo("http://127.0.0.1:8080");
        assertThat(s.connections()).isEqualTo(64);
        assertThat(s.phases()).containsExactly(
                new Phase.Open("ramp", Duration.ofMinutes(5), 1000, 50000),
                new Phase.Open("peak", Duration.ofMinutes(30), 50000, 50000));
        assertThat(s.flows()).extracting(Flow::name, Flow::weight)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("lp_creation", 15.0),
                        org.assertj.core.groups.Tuple.tuple("public_page_views", 25.0));
        Step create = s.flows().get(0).steps().get(0);
        assertThat(create.method()).isEqualTo("POST");
        assertThat(create.name()).isEqualTo("POST /landing-pages");
        assertThat(create.expect().accepts(201)).isTrue();
        assertThat(create.expect().accepts(200)).isFalse();
        assertThat(create.captures()).singleElement().satisfies(c -> {
            assertThat(c.variable()).isEqualTo("id");
            assertThat(c.source()).isInstanceOf(Capture.Json.class);
        });
        String json = ((Body.Json) create.body()).template().render(v -> null);
        assertThat(json).matches("\\{\"title\":\"LP [A-Za-z0-9]{8}\",\"tags\":\\[\"a\",2\\],\"draft\":true}");
        assertThat(s.flows().get(0).steps().get(1).timeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(s.flows().get(0).steps().get(2).timeout()).isEqualTo(ScenarioFiles.DEFAULT_TIMEOUT);
        assertThat(s.feeders()).singleElement().satisfies(f -> {
            assertThat(f.columns()).containsExactly("slug", "lang");
            assertThat(f.next()).containsExactly("home", "en");
            assertThat(f.next()).containsExactly("about, us", "fr");
            assertThat(f.next()).containsExactly("home", "en");
        });
        assertThat(s.failureCriteria()).containsExactly(
                new FailureCriterion(FailureCriterion.Metric.ERROR_RATE, 0.05, false, "> 5%"),
                new FailureCriterion(FailureCriterion.Metric.P99, 2000, false, "> 2000ms"));
    }

    @Test
    void readsClosedModelPhasesWithUsersAndThinkTime() throws Exception {
        Scenario s = parse("""
                target: https://api.example.test/v1
                phases:
                  - { duration: 10m, users: 5000, thinkTime: 1s }
                scenarios:
                  - { name: browse, flow: [ { get: /items } ] }
                """);
        assertThat(s.phases()).containsExactly(new Phase.Closed("phase-1", Duration.ofMinutes(10), 5000, Duration.ofSeconds(1)));
        assertThat(s.isOpenModel()).isFalse();
        assertThat(s.connections()).isEqualTo(ScenarioFiles.DEFAULT_CONNECTIONS);
        assertThat(s.insecureTls()).isFalse();
    }

    @Test
    void readsTlsInsecureAndRejectsUnknownTlsKeys() throws Exception {
        String base = """
                target: https://127.0.0.1:8443
                phases: [ { duration: 1m, arrivalRate: 10 } ]
                scenarios: [ { name: a, flow: [ { get: / } ] } ]
                """;
        assertThat(parse(base + "tls: { insecure: true }\n").insecureTls()).isTrue();
        assertThat(problems(base + "tls: { insecure: true, verify: false }\n").getMessage())
                .contains("load.yaml:4:").contains("unknown key 'verify'");
    }

    @Test
    void rejectsAMisspelledKeyWithItsLineColumnAndASuggestion() {
        ConfigException e = problems("""
                target: http://127.0.0.1:8080
                phases:
                  - { duration: 1m, arivalRate: 10 }
                scenarios:
                  - { name: a, flow: [ { get: / } ] }
                """);
        assertThat(e.getMessage()).contains("load.yaml:3:").contains("arivalRate").contains("did you mean 'arrivalRate'");
    }

    @Test
    void rejectsAMisspelledFailureCriterionInsteadOfIgnoringIt() {
        ConfigException e = problems("""
                target: http://127.0.0.1:8080
                phases: [ { duration: 1m, arrivalRate: 10 } ]
                scenarios: [ { name: a, flow: [ { get: / } ] } ]
                failure_criteria: { p999: "> 1s" }
                """);
        assertThat(e.getMessage()).contains("load.yaml:4:").contains("unknown key 'p999'").contains("p99.9");
    }

    @Test
    void rejectsAConditionWithTheWrongUnit() {
        ConfigException e = problems("""
                target: http://127.0.0.1:8080
                phases: [ { duration: 1m, arrivalRate: 10 } ]
                scenarios: [ { name: a, flow: [ { get: / } ] } ]
                failure_criteria: { error_rate: "> 200ms" }
                """);
        assertThat(e.getMessage()).contains("load.yaml:4:").contains("failure_criteria.error_rate")
                .contains("percentage");
    }

    @Test
    void rejectsAVariableThatNothingDefines() {
        ConfigException e = problems("""
                target: http://127.0.0.1:8080
                phases: [ { duration: 1m, arrivalRate: 10 } ]
                scenarios:
                  - name: a
                    flow:
                      - get: /users/{{ id }}
                        capture: { id: $.id }
                """);
        assertThat(e.getMessage()).contains("load.yaml:6:").contains("unknown variable 'id'");
    }

    @Test
    void rejectsAnUnknownHelperAndAStepWithTwoMethods() {
        ConfigException e = problems("""
                target: http://127.0.0.1:8080
                phases: [ { duration: 1m, arrivalRate: 10 } ]
                scenarios:
                  - name: a
                    flow:
                      - get: /x/{{ randomStrin(4) }}
                      - { get: /a, post: /b }
                """);
        assertThat(e.problems()).hasSize(2);
        assertThat(e.getMessage()).contains("load.yaml:6:").contains("unknown helper 'randomStrin'")
                .contains("load.yaml:7:").contains("exactly one method");
    }

    @Test
    void rejectsPhasesThatMixOpenAndClosedModels() {
        ConfigException e = problems("""
                target: http://127.0.0.1:8080
                phases:
                  - { duration: 1m, arrivalRate: 10 }
                  - { duration: 1m, users: 10 }
                scenarios: [ { name: a, flow: [ { get: / } ] } ]
                """);
        assertThat(e.getMessage()).contains("load.yaml:4:").contains("same model");
    }

    @Test
    void rejectsAMissingTargetAndAFeederFileThatDoesNotExist() {
        ConfigException e = problems("""
                feeders: [ { file: nope.csv } ]
                phases: [ { duration: 1m, arrivalRate: 10 } ]
                scenarios: [ { name: a, flow: [ { get: / } ] } ]
                """);
        assertThat(e.getMessage()).contains("target").contains("nope.csv does not exist");
    }

    @Test
    void namesClashingDefaultStepNamesAfterTheirScenario() throws Exception {
        Scenario s = parse("""
                target: http://127.0.0.1:8080
                phases: [ { duration: 1m, arrivalRate: 10 } ]
                scenarios:
                  - { name: a, flow: [ { get: /x }, { get: /y } ] }
                  - { name: b, flow: [ { get: /x } ] }
                """);
        assertThat(s.flows().get(0).steps()).extracting(Step::name).containsExactly("a GET /x", "GET /y");
        assertThat(s.flows().get(1).steps()).extracting(Step::name).containsExactly("b GET /x");
    }
}
