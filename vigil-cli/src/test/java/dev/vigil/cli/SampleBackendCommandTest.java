package dev.vigil.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

class SampleBackendCommandTest {

    @Test
    void servesOnTheRequestedPortUntilStopped() throws Exception {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = Vigil.commandLine(new PrintWriter(out, true), new PrintWriter(err, true));
        CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> cl.execute("sample-backend",
                "--port", "0", "--latency", "lognormal:median=2ms,p99=10ms", "--error-rate", "0%", "--threads", "1"));
        Matcher m = Pattern.compile("listening on (http://\\S+) ").matcher("");
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!m.reset(out.toString()).find()) {
            assertThat(System.nanoTime()).as("startup line; stderr: %s", err).isLessThan(deadline);
            assertThat(exit).isNotDone();
            Thread.sleep(20);
        }
        assertThat(out.toString()).contains("service time lognormal:median=2ms,p99=10ms", "error rate 0%");
        try (HttpClient client = HttpClient.newHttpClient()) {
            var r = client.send(HttpRequest.newBuilder(URI.create(m.group(1) + "/healthz")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
        }
        ((SampleBackendCommand) cl.getSubcommands().get("sample-backend").getCommand()).stop();
        assertThat(exit.get()).isEqualTo(Vigil.OK);
        assertThat(out.toString()).contains("sample backend stopped");
    }

    @Test
    void rejectsABadLatencyWithUsageExitCode() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Vigil.commandLine(new PrintWriter(out, true), new PrintWriter(err, true))
                .execute("sample-backend", "--latency", "lognormal:median=5ms");
        assertThat(code).isEqualTo(Vigil.USAGE);
        assertThat(err.toString()).contains("missing p99=<duration>");
    }

    @Test
    void rejectsAnErrorRateAbove100Percent() {
        StringWriter err = new StringWriter();
        int code = Vigil.commandLine(new PrintWriter(new StringWriter(), true), new PrintWriter(err, true))
                .execute("sample-backend", "--error-rate", "150%");
        assertThat(code).isEqualTo(Vigil.USAGE);
        assertThat(err.toString()).contains("must be between 0% and 100%");
    }
}
