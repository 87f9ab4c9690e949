package dev.vigil.slo.config;

import dev.vigil.slo.spec.SourceLocation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConfigDocumentTest {

    private static final String YAML = """
            service: shop
            routes:
              checkout:
                match: [POST /checkout, "GET /cart/{id}"]
                latency:
                  p99: 100ms
                  p999: 300ms
              other: ~
            size: 6MB
            """;

    @Test
    void recordsLineAndColumnOfEveryKeyAndValue() throws ConfigException {
        ConfigNode root = ConfigDocument.parse("slo.yaml", YAML);
        ConfigNode p99 = root.require("routes").require("checkout").require("latency").require("p99");
        assertThat(p99.location()).isEqualTo(new SourceLocation("slo.yaml", 6, 12, "routes.checkout.latency.p99"));
        assertThat(p99.keyLocation()).isEqualTo(new SourceLocation("slo.yaml", 6, 7, "routes.checkout.latency.p99"));
        assertThat(p99.asDuration()).isEqualTo(Duration.ofMillis(100));
        List<ConfigNode> match = root.require("routes").require("checkout").require("match").asList();
        assertThat(match.get(1).location()).isEqualTo(new SourceLocation("slo.yaml", 4, 29, "routes.checkout.match[1]"));
        assertThat(match.get(1).asString()).isEqualTo("GET /cart/{id}");
    }

    @Test
    void keepsKeysInFileOrder() throws ConfigException {
        ConfigNode root = ConfigDocument.parse("slo.yaml", YAML);
        assertThat(root.entries().keySet()).containsExactly("service", "routes", "size");
        assertThat(root.require("routes").entries().keySet()).containsExactly("checkout", "other");
    }

    @Test
    void reportsUnknownKeyAtTheKeyWithDidYouMean() throws ConfigException {
        ConfigNode latency = ConfigDocument.parse("slo.yaml", YAML).require("routes").require("checkout").require("latency");
        assertThatThrownBy(() -> latency.allowOnly("p50", "p90", "p95", "p99", "p99.9", "max"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("slo.yaml:7:7: unknown key 'p999' at routes.checkout.latency — did you mean 'p99.9'?");
    }

    @Test
    void listsAllowedKeysWhenNoneIsClose() throws ConfigException {
        ConfigNode root = ConfigDocument.parse("slo.yaml", YAML);
        assertThatThrownBy(() -> root.allowOnly("service", "routes"))
                .hasMessage("slo.yaml:9:1: unknown key 'size' at the top level — allowed: service, routes");
    }

    @Test
    void reportsEveryUnknownKeyInOnePass() throws ConfigException {
        ConfigNode root = ConfigDocument.parse("f.yaml", "a: 1\nb: 2\nc: 3\n");
        ConfigException e = org.junit.jupiter.api.Assertions.assertThrows(ConfigException.class, () -> root.allowOnly("a"));
        assertThat(e.problems()).extracting(p -> p.location().line()).containsExactly(2, 3);
    }

    @Test
    void reportsMissingRequiredKeyAtTheMap() throws ConfigException {
        ConfigNode checkout = ConfigDocument.parse("slo.yaml", YAML).require("routes").require("checkout");
        assertThatThrownBy(() -> checkout.require("errors"))
                .hasMessage("slo.yaml:4:5: routes.checkout: missing required key 'errors'");
    }

    @Test
    void reportsBadQuantityAtTheValueWithWhatIsAllowed() throws ConfigException {
        ConfigNode root = ConfigDocument.parse("slo.yaml", "timeout: -5s\navailability: 100.5%\nrate: 10k\n");
        assertThatThrownBy(() -> root.require("timeout").asDuration())
                .hasMessage("slo.yaml:1:10: timeout: negative durations are not allowed: '-5s'; expected " + Quantities.DURATION_HELP);
        assertThatThrownBy(() -> root.require("availability").asRatio())
                .hasMessage("slo.yaml:2:15: availability: percentages over 100% are not allowed: '100.5%'; expected " + Quantities.PERCENT_HELP);
        assertThatThrownBy(() -> root.require("rate").asRate())
                .hasMessage("slo.yaml:3:7: rate: '10k' has no unit; expected " + Quantities.RATE_HELP);
    }

    @Test
    void readsScalarsOfEveryKind() throws ConfigException {
        ConfigNode root = ConfigDocument.parse("f.yaml", """
                i: 42
                big: 1_000_000
                d: 1.50
                yes: true
                no: off
                quoted: '007'
                empty: ''
                rate: 2.5M rps
                bytes: 512KiB
                mode: time-slices
                """);
        assertThat(root.require("i").asInt()).isEqualTo(42);
        assertThat(root.require("big").asLong()).isEqualTo(1_000_000L);
        assertThat(root.require("d").asString()).isEqualTo("1.50");
        assertThat(root.require("d").asDouble()).isEqualTo(1.5);
        assertThat(root.require("yes").asBoolean()).isTrue();
        assertThat(root.require("no").asBoolean()).isFalse();
        assertThat(root.require("quoted").asString()).isEqualTo("007");
        assertThat(root.require("empty").asString()).isEmpty();
        assertThat(root.require("rate").asRate().perSecond()).isEqualTo(2_500_000.0);
        assertThat(root.require("bytes").asBytes()).isEqualTo(524_288L);
        assertThat(root.require("mode").asEnum(Mode.class)).isEqualTo(Mode.TIME_SLICES);
    }

    enum Mode { EVENTS, TIME_SLICES }

    @Test
    void enumErrorListsAllowedValuesAsWritten() throws ConfigException {
        ConfigNode root = ConfigDocument.parse("f.yaml", "mode: timeslice\n");
        assertThatThrownBy(() -> root.require("mode").asEnum(Mode.class))
                .hasMessage("f.yaml:1:7: mode: 'timeslice' is not allowed; allowed: events, time-slices — did you mean 'time-slices'?");
    }

    @Test
    void typeMismatchesSayWhatWasFound() throws ConfigException {
        ConfigNode root = ConfigDocument.parse("f.yaml", "a: [1, 2]\nb: x\nc: 1.5\n");
        assertThatThrownBy(() -> root.require("a").asString()).hasMessage("f.yaml:1:4: a: expected a single value, got a list");
        assertThatThrownBy(() -> root.require("b").entries()).hasMessage("f.yaml:2:4: b: expected a map of keys to values, got 'x'");
        assertThatThrownBy(() -> root.require("b").asList()).hasMessage("f.yaml:2:4: b: expected a list, got 'x'");
        assertThatThrownBy(() -> root.require("c").asInt()).hasMessage("f.yaml:3:4: c: '1.5' is not a whole number");
        assertThatThrownBy(() -> root.require("b").asBoolean()).hasMessage("f.yaml:2:4: b: 'x' is not a boolean; allowed: true, false");
        assertThatThrownBy(() -> root.require("c").asInt(2, 5)).hasMessage("f.yaml:3:4: c: '1.5' is not a whole number");
    }

    @Test
    void nullValuesReadAsEmptySections() throws ConfigException {
        ConfigNode root = ConfigDocument.parse("f.yaml", "overrides:\nlist: ~\n");
        assertThat(root.require("overrides").isNull()).isTrue();
        assertThat(root.require("overrides").entries()).isEmpty();
        assertThat(root.require("list").asList()).isEmpty();
        assertThatThrownBy(() -> root.require("list").asString()).hasMessage("f.yaml:2:7: list: expected a single value, got nothing");
    }

    @Test
    void emptyDocumentIsANullRoot() throws ConfigException {
        ConfigNode root = ConfigDocument.parse("f.yaml", "# only a comment\n");
        assertThat(root.isNull()).isTrue();
        assertThat(root.entries()).isEmpty();
    }

    @Test
    void rejectsDuplicateKeysNamingTheFirst() {
        assertThatThrownBy(() -> ConfigDocument.parse("f.yaml", "routes:\n  a: 1\n  b: 2\n  a: 3\n"))
                .hasMessage("f.yaml:4:3: routes: duplicate key 'a' (first written at line 2)");
    }

    @Test
    void reportsSyntaxErrorsWithLineAndColumn() {
        assertThatThrownBy(() -> ConfigDocument.parse("f.yaml", "a: 1\n b: 2\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("f.yaml:2:3: YAML syntax error: mapping values are not allowed here")
                .hasMessageContaining("check the indentation");
        assertThatThrownBy(() -> ConfigDocument.parse("f.yaml", "a: [1, 2\n"))
                .hasMessage("f.yaml:2:1: YAML syntax error: expected ',' or ']', but got <stream end> (while parsing a flow sequence at line 1, column 4)");
        assertThatThrownBy(() -> ConfigDocument.parse("f.yaml", "\tx: 1\n"))
                .hasMessageStartingWith("f.yaml:1:1: YAML syntax error: ");
        assertThatThrownBy(() -> ConfigDocument.parse("f.yaml", "? [a]\n: 1\n"))
                .hasMessage("f.yaml:1:4: YAML syntax error: a key must be plain text, not a list or a map");
    }

    @Test
    void explainsUnquotedBracesInsideAFlowList() {
        assertThatThrownBy(() -> ConfigDocument.parse("f.yaml", "match: [GET /a/{id}]\n"))
                .hasMessageStartingWith("f.yaml:1:")
                .hasMessageContaining("must be quoted, e.g. [\"GET /items/{id}\"]");
    }

    @Test
    void rejectsASecondDocument() {
        assertThatThrownBy(() -> ConfigDocument.parse("f.yaml", "a: 1\n---\nb: 2\n"))
                .hasMessage("f.yaml:3:1: a second YAML document starts here; a file holds exactly one (remove the '---')");
    }

    @Test
    void resolvesAliasesAndMergeKeysWithExplicitKeysWinning() throws ConfigException {
        ConfigNode root = ConfigDocument.parse("f.yaml", """
                defaults: &fast
                  p50: 20ms
                  p99: 100ms
                routes:
                  a:
                    latency:
                      <<: *fast
                      p99: 80ms
                  b:
                    latency: *fast
                """);
        ConfigNode a = root.require("routes").require("a").require("latency");
        assertThat(a.entries().keySet()).containsExactly("p50", "p99");
        assertThat(a.require("p99").asDuration()).isEqualTo(Duration.ofMillis(80));
        ConfigNode aP50 = a.require("p50");
        assertThat(aP50.path()).isEqualTo("routes.a.latency.p50");
        assertThat(aP50.location().line()).isEqualTo(2);
        ConfigNode b = root.require("routes").require("b").require("latency");
        assertThat(b.require("p99").asDuration()).isEqualTo(Duration.ofMillis(100));
        assertThat(b.require("p99").path()).isEqualTo("routes.b.latency.p99");
        assertThat(b.keyLocation().line()).isEqualTo(10);
    }

    @Test
    void reportsUnknownAlias() {
        assertThatThrownBy(() -> ConfigDocument.parse("f.yaml", "a: *nope\n"))
                .hasMessage("f.yaml:1:4: a: unknown alias '*nope'; define '&nope' on an earlier value");
    }

    @Test
    void refusesExponentialAliasExpansion() {
        StringBuilder y = new StringBuilder("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for (int i = 1; i < 9; i++) {
            y.append("a").append(i).append(": &a").append(i).append(" [");
            for (int j = 0; j < 10; j++) y.append(j == 0 ? "" : ", ").append("*a").append(i - 1);
            y.append("]\n");
        }
        assertThatThrownBy(() -> ConfigDocument.parse("f.yaml", y.toString())).hasMessageContaining("refusing to expand");
    }

    @Test
    void loadNamesTheFileAndExplainsIoProblems(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("slo.yaml");
        Files.writeString(f, "service: x\nbad: [\n");
        assertThatThrownBy(() -> ConfigDocument.load(f)).hasMessageStartingWith(f + ":3:1: YAML syntax error");
        Path missing = dir.resolve("missing.yaml");
        assertThatThrownBy(() -> ConfigDocument.load(missing)).hasMessage(missing + ": no such file");
        assertThatThrownBy(() -> ConfigDocument.load(dir)).hasMessage(dir + ": is a directory, not a file");
        Files.writeString(f, "service: ok\n");
        assertThat(ConfigDocument.load(f).require("service").asString()).isEqualTo("ok");
    }

    @Test
    void collectorGathersProblemsFromSeveralReadsInFileOrder() throws ConfigException {
        ConfigNode root = ConfigDocument.parse("f.yaml", "b: -1s\na: 200%\nc: 5s\n");
        ProblemCollector problems = new ProblemCollector();
        assertThat(problems.read(() -> root.require("a").asRatio())).isEmpty();
        assertThat(problems.read(() -> root.require("b").asDuration())).isEmpty();
        assertThat(problems.read(() -> root.require("c").asDuration())).contains(Duration.ofSeconds(5));
        ConfigException e = org.junit.jupiter.api.Assertions.assertThrows(ConfigException.class, problems::throwIfAny);
        assertThat(e.problems()).extracting(p -> p.location().line()).containsExactly(1, 2);
        assertThat(e.getMessage().lines()).hasSize(2);
    }

    @Test
    void acceptsAByteOrderMarkAndWindowsLineEndings() throws ConfigException {
        ConfigNode root = ConfigDocument.parse("f.yaml", "\uFEFFa: 1\r\nb: 2s\r\n");
        assertThat(root.require("b").asDuration()).isEqualTo(Duration.ofSeconds(2));
        assertThat(root.require("b").location().line()).isEqualTo(2);
    }

    @Test
    void readsStringListsFromAListOrASingleValue() throws ConfigException {
        ConfigNode root = ConfigDocument.parse("f.yaml", "one: a\nmany: [a, b]\nbad: [a, [b]]\n");
        assertThat(root.require("one").asStringList()).containsExactly("a");
        assertThat(root.require("many").asStringList()).containsExactly("a", "b");
        assertThatThrownBy(() -> root.require("bad").asStringList()).hasMessage("f.yaml:3:10: bad[1]: expected a single value, got a list");
    }
}
