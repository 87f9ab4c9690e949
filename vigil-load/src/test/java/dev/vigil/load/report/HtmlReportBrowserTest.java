package dev.vigil.load.report;

import dev.vigil.load.RunResult;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Opens report.html in a real headless Chromium and reads back the DOM after its scripts ran: the charts must
 * exist and no script error may have happened. CI installs Debian's chromium, so this runs there.
 */
@Tag("browser")
class HtmlReportBrowserTest {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");

    private static String renderedDom(Path report, Path dir) throws Exception {
        assumeTrue(Files.isExecutable(CHROMIUM),
                "browser test skipped: /usr/bin/chromium is absent (apt-get install chromium to run it)");
        Path profile = Files.createDirectories(dir.resolve("chromium-profile"));
        Path dom = dir.resolve("dom.html");
        Process p = new ProcessBuilder(CHROMIUM.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--user-data-dir=" + profile, "--window-size=1400,2400", "--dump-dom", report.toUri().toString())
                .redirectOutput(dom.toFile())
                .redirectError(dir.resolve("chromium.log").toFile())
                .start();
        boolean exited = p.waitFor(90, TimeUnit.SECONDS);
        if (!exited) {
            p.destroyForcibly();
        }
        assertThat(exited).as("chromium finished within 90 s; log: %s", dir.resolve("chromium.log")).isTrue();
        assertThat(p.exitValue()).as("chromium exit code; log:%n%s",
                Files.readString(dir.resolve("chromium.log"))).isZero();
        return Files.readString(dom, StandardCharsets.UTF_8);
    }

    @Test
    void drawsEveryChartWithoutAScriptError(@TempDir Path dir) throws Exception {
        new HtmlReportWriter().write(ReportFixtures.realisticRun(), dir);
        String dom = renderedDom(dir.resolve(HtmlReportWriter.FILE_NAME), dir);

        assertThat(dom).contains("data-vigil-charts=\"5\"");
        // uPlot draws each chart on a canvas inside its container
        for (String id : List.of("chart-latency", "chart-throughput", "chart-errors", "chart-distribution", "chart-stress")) {
            assertThat(Pattern.compile("id=\"" + id + "\"[^>]*>\\s*<div class=\"uplot").matcher(dom).find())
                    .as("uPlot chart in #%s", id).isTrue();
        }
        assertThat(Pattern.compile("<canvas").matcher(dom).results().count()).isEqualTo(5);
        assertThat(dom).contains("<pre id=\"js-errors\" class=\"js-errors\" hidden=\"\"></pre>");
        // the hostile scenario name stayed text: no injected element made it into the live DOM
        assertThat(dom).doesNotContain("<img src=\"x\"").doesNotContain("<img src=x");
    }

    @Test
    void rendersARunWithoutTimelineOrStressWithoutAScriptError(@TempDir Path dir) throws Exception {
        RunResult full = ReportFixtures.realisticRun();
        RunResult bare = new RunResult(full.vigil(), "short.yaml", full.target(), full.startedAt(), full.startedAt(),
                0.4, RunResult.Model.CLOSED, true, null, full.totals(), full.steps(), List.of(), List.of(), null, null);
        new HtmlReportWriter().write(bare, dir);
        String dom = renderedDom(dir.resolve(HtmlReportWriter.FILE_NAME), dir);

        assertThat(dom).contains("data-vigil-charts=\"0\"", "No data.");
        assertThat(dom).contains("<pre id=\"js-errors\" class=\"js-errors\" hidden=\"\"></pre>");
    }
}
