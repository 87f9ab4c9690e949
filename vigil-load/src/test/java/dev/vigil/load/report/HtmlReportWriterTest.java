package dev.vigil.load.report;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.load.ResultJson;
import dev.vigil.load.RunResult;
import dev.vigil.slo.Tier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

class HtmlReportWriterTest {

    @Test
    void writesOneSelfContainedFileWithoutNetworkReferences(@TempDir Path dir) throws Exception {
        new HtmlReportWriter().write(ReportFixtures.realisticRun(), dir);
        assertThat(Files.list(dir).map(p -> p.getFileName().toString()).toList()).containsExactly("report.html");
        String html = Files.readString(dir.resolve(HtmlReportWriter.FILE_NAME));

        // No element loads anything: no src/href attributes at all, no CSS imports or urls.
        assertThat(Pattern.compile("(?i)<(script|link|img|iframe)[^>]*\\s(src|href)\\s*=").matcher(html).find()).isFalse();
        assertThat(html).doesNotContainPattern("(?i)@import|url\\(\\s*['\"]?https?:");
        // uPlot and its CSS are inlined from the WebJar
        assertThat(html).contains("var uPlot=function()", ".uplot");
    }

    @Test
    void inlinesTheResultJsonSoTheChartsHaveTheirData() throws Exception {
        RunResult run = ReportFixtures.realisticRun();
        String html = HtmlReportWriter.render(ResultJson.toTree(run));
        var m = Pattern.compile("<script type=\"application/json\" id=\"vigil-result\">(.*?)</script>", Pattern.DOTALL)
                .matcher(html);
        assertThat(m.find()).isTrue();
        var mapper = new com.fasterxml.jackson.databind.ObjectMapper();
        JsonNode inlined = mapper.readTree(m.group(1));
        // through text both ways, so number node types (int vs long) do not matter
        assertThat(inlined).isEqualTo(mapper.readTree(ResultJson.toJson(run)));
        assertThat(inlined.path("timeline")).hasSize(60);
    }

    @Test
    void rendersTheSloTableWithEveryObjectiveColouredByTier() {
        String html = HtmlReportWriter.render(ResultJson.toTree(ReportFixtures.realisticRun()));
        assertThat(html).contains("<th>Objective</th><th>Target</th><th>Acceptable</th><th>Critical</th><th>Actual</th><th>Status</th>");
        assertThat(html).contains("<tr class=\"tier-target\"><td><span class=\"objective\">Reads p99 latency</span>"
                + "<span class=\"objective-id\">reads.latency.p99</span></td><td>100 ms</td><td>200 ms</td><td>500 ms</td>"
                + "<td class=\"actual\">87.4 ms</td><td class=\"status\"><span class=\"badge\">✔ target</span></td></tr>");
        assertThat(html).contains("<tr class=\"tier-acceptable\">", "<td class=\"actual\">231 ms</td>", "✔ acceptable");
        assertThat(html).contains("<tr class=\"tier-critical\">", "<td class=\"actual\">0.72%</td>", "✘ critical");
        // a missing tier threshold reads as a dash; markup in a description stays text
        assertThat(html).contains("<tr class=\"tier-breach\"><td><span class=\"objective\">Availability &lt;b&gt;bold?&lt;/b&gt;</span>");
        assertThat(html).contains("<td>99.9%</td><td>—</td><td>—</td><td class=\"actual\">98.1%</td>");
        assertThat(html).contains("<span class=\"verdict-label\">FAIL</span>", "2 objectives below the acceptable tier");
    }

    @Test
    void rendersTheGatewaysViewAsASecondTableAndFailsWhenEitherViewBreaches() throws Exception {
        RunResult full = ReportFixtures.realisticRun();
        var gateway = new RunResult.SloResult("<gw>.yaml", true, List.of(new RunResult.ObjectiveVerdict(
                "reads.latency.p99", "Reads <i>p99</i>", "100 ms", "200 ms", "500 ms", "1.2 ms", Tier.TARGET)));
        String html = HtmlReportWriter.render(ResultJson.toTree(full.withGatewaySlo(gateway)));
        assertThat(html).contains("<h2>SLO verdict: load lab's view</h2>", "<section id=\"gateway-slo\">",
                "<h2>Gateway's view</h2>", "<code>&lt;gw&gt;.yaml</code>",
                "<span class=\"objective\">Reads &lt;i&gt;p99&lt;/i&gt;</span>", "<td class=\"actual\">1.2 ms</td>",
                "objectives below the acceptable tier: 2 in the load lab&#39;s view, 0 in the gateway&#39;s view");
        assertThat(html.indexOf("id=\"gateway-slo\"")).isGreaterThan(html.indexOf("id=\"slo\""))
                .isLessThan(html.indexOf("id=\"summary\""));
        // both pass: PASS names both views; a gateway breach alone fails the report
        var passing = new RunResult.SloResult("s.yaml", true, List.of());
        var breached = new RunResult.SloResult("s.yaml", false, List.of(new RunResult.ObjectiveVerdict(
                "x", "X", "1 ms", "2 ms", "3 ms", "9 ms", Tier.BREACH)));
        RunResult clientPasses = new RunResult(full.vigil(), "d.yaml", full.target(), full.startedAt(), full.endedAt(),
                full.durationSeconds(), RunResult.Model.OPEN, false, null, full.totals(), full.steps(),
                full.timeline(), full.percentileDistribution(), passing, null);
        assertThat(HtmlReportWriter.render(ResultJson.toTree(clientPasses.withGatewaySlo(passing))))
                .contains("<span class=\"verdict-label\">PASS</span>", "in both views");
        assertThat(HtmlReportWriter.render(ResultJson.toTree(clientPasses.withGatewaySlo(breached))))
                .contains("<span class=\"verdict-label\">FAIL</span>", "0 in the load lab&#39;s view, 1 in the gateway&#39;s view");
        // without a gateway there is no second table and the first keeps its plain title
        assertThat(HtmlReportWriter.render(ResultJson.toTree(full))).contains("<h2>SLO verdict</h2>")
                .doesNotContain("Gateway's view");
    }

    @Test
    void rendersTheSummaryPerStepAndTheStressSteps() {
        String html = HtmlReportWriter.render(ResultJson.toTree(ReportFixtures.realisticRun()));
        assertThat(html).contains("<td class=\"step\"><span class=\"method\">POST</span> create mission</td><td class=\"text\">writes</td><td>6,012</td><td>100.2</td><td>5.10</td>");
        assertThat(html).contains("<td class=\"step\">GET /missions/{{ id }}</td><td class=\"text\">reads</td><td>6,003</td>");
        assertThat(html).contains("<td class=\"step\">All steps</td><td class=\"text\"></td><td>24,055</td><td>400.2</td>");
        assertThat(html).contains("<th>timeout</th>", "<th>unexpectedStatus</th>", "<th>5xx</th>");
        assertThat(html).contains("Highest passing rate</dt><dd>600.0 req/s", "Breaking point</dt><dd>800.0 req/s",
                "p99 1200 ms &gt; 500 ms (critical)");
        assertThat(html).contains("id=\"chart-latency\"", "id=\"chart-throughput\"", "id=\"chart-errors\"",
                "id=\"chart-distribution\"", "id=\"chart-stress\"");
    }

    @Test
    void escapesScenarioAndStepNamesEverywhere() {
        String html = HtmlReportWriter.render(ResultJson.toTree(ReportFixtures.realisticRun()));
        assertThat(html).doesNotContain(ReportFixtures.HOSTILE);
        assertThat(html).doesNotContain("<img src=x").doesNotContain("<script>alert");
        assertThat(html).contains("<h1>&lt;/script&gt;&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;");
        // inside the inlined JSON the angle brackets are \\u escapes, so the script element cannot be closed early
        assertThat(html).contains("\\u003c/script\\u003e\\u003cscript\\u003ealert('x')");
        // exactly the scripts the report itself puts there
        assertThat(Pattern.compile("<script").matcher(html).results().count()).isEqualTo(4);
    }

    @Test
    void saysWhatHappenedWithoutAnSloOrWithAnAbortedRun() throws Exception {
        RunResult full = ReportFixtures.realisticRun();
        RunResult noSlo = new RunResult(full.vigil(), "plain.yaml", full.target(), full.startedAt(), full.endedAt(),
                full.durationSeconds(), RunResult.Model.CLOSED, true, null, full.totals(), full.steps(), List.of(),
                List.of(), null, null);
        String html = HtmlReportWriter.render(ResultJson.toTree(noSlo));
        assertThat(html).contains("<span class=\"verdict-label\">INTERRUPTED</span>", "No SLO file was given",
                "no timeline to draw").doesNotContain("id=\"chart-stress\"");

        RunResult aborted = new RunResult(full.vigil(), "a.yaml", full.target(), full.startedAt(), full.endedAt(),
                full.durationSeconds(), RunResult.Model.OPEN, false, "error_rate 7.2% > 5% (failure_criteria)",
                full.totals(), full.steps(), full.timeline(), full.percentileDistribution(), null, null);
        assertThat(HtmlReportWriter.render(ResultJson.toTree(aborted)))
                .contains("<span class=\"verdict-label\">FAIL</span>", "Aborted early: error_rate 7.2% &gt; 5% (failure_criteria)");
    }

    @Test
    void formatsMillisecondsWithPrecisionSuitedToTheirSize() {
        var f = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance;
        assertThat(HtmlReportWriter.ms(f.numberNode(0.4123))).isEqualTo("0.412");
        assertThat(HtmlReportWriter.ms(f.numberNode(4.871))).isEqualTo("4.87");
        assertThat(HtmlReportWriter.ms(f.numberNode(48.71))).isEqualTo("48.7");
        assertThat(HtmlReportWriter.ms(f.numberNode(4871.2))).isEqualTo("4,871");
        assertThat(HtmlReportWriter.ms(f.nullNode())).isEqualTo("—");
    }
}
