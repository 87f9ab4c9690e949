package dev.vigil.cli;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class GatewayCommandTest {
    private static String file(int backendPort, String prefix) {
        return """
                listeners:
                  - address: 127.0.0.1
                    port: 0
                admin:
                  address: 127.0.0.1
                  port: 0
                  token: cli-test-token-0123456789
                upstreams:
                  api:
                    endpoints: [127.0.0.1:%d]
                routes:
                  - name: only
                    prefix: %s
                    upstream: api
                """.formatted(backendPort, prefix);
    }

    @Test void checkValidatesTheFileAndItsSloFile() {
        StringWriter out = new StringWriter(), err = new StringWriter();
        int exit = Vigil.commandLine(new PrintWriter(out, true), new PrintWriter(err, true))
                .execute("gateway", "--config", "../examples/gateway.yaml", "--check");
        // The example reads its token from VIGIL_ADMIN_TOKEN, which a test run does not set.
        if (System.getenv("VIGIL_ADMIN_TOKEN") == null) {
            assertThat(exit).isEqualTo(Vigil.USAGE);
            assertThat(err.toString()).contains("gateway.yaml:11:14: admin.token-env: environment variable 'VIGIL_ADMIN_TOKEN' is not set");
        } else {
            assertThat(exit).isZero();
            assertThat(out.toString()).startsWith("OK: 1 listener(s), 2 route(s), 1 upstream pool(s), SLO for landing-pages-api");
        }
    }

    @Test void printsEveryLocatedProblemAndExitsTwo(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("gateway.yaml");
        Files.writeString(f, file(8081, "/").replace("upstream: api", "upstream: nope").replace("port: 0\n  token", "prot: 0\n  token"));
        StringWriter out = new StringWriter(), err = new StringWriter();
        int exit = Vigil.commandLine(new PrintWriter(out, true), new PrintWriter(err, true)).execute("gateway", "--config", f.toString());
        assertThat(exit).isEqualTo(Vigil.USAGE);
        assertThat(err.toString())
                .contains("gateway.yaml:6:3: unknown key 'prot' at admin — did you mean 'port'?")
                .contains("gateway.yaml:14:15: routes[0].upstream: no upstream pool named 'nope' (defined: api)")
                .doesNotContain("Exception");
    }

    @Test void runsProxiesAndReloadsOnSighup(@TempDir Path dir) throws Exception {
        AtomicInteger hits = new AtomicInteger();
        HttpServer backend = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        backend.createContext("/", ex -> {
            byte[] b = ("backend saw " + ex.getRequestURI().getPath()).getBytes(StandardCharsets.UTF_8);
            hits.incrementAndGet();
            ex.sendResponseHeaders(200, b.length);
            ex.getResponseBody().write(b);
            ex.close();
        });
        backend.start();
        Path f = dir.resolve("gateway.yaml");
        Files.writeString(f, file(backend.getAddress().getPort(), "/a/"));
        GatewayCommand command = new GatewayCommand();
        StringWriter out = new StringWriter(), err = new StringWriter();
        CommandLine cl = new CommandLine(command);
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int[] exit = {-1};
        Thread runner = Thread.ofPlatform().start(() -> exit[0] = cl.execute("--config", f.toString()));
        try {
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (!out.toString().contains("listening") && System.nanoTime() < deadline) Thread.sleep(10);
            assertThat(out.toString()).startsWith("vigil gateway: listening on 127.0.0.1:");
            int port = command.running.addresses().get(0).getPort();
            HttpClient client = HttpClient.newHttpClient();
            assertThat(client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/a/x")).build(),
                    HttpResponse.BodyHandlers.ofString()).body()).isEqualTo("backend saw /a/x");
            assertThat(client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/b/x")).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(404);

            Files.writeString(f, file(backend.getAddress().getPort(), "/b/"));
            new ProcessBuilder("kill", "-HUP", Long.toString(ProcessHandle.current().pid())).start().waitFor();
            while (!err.toString().contains("reloaded") && System.nanoTime() < deadline) Thread.sleep(10);
            assertThat(err.toString()).contains("vigil gateway: reloaded " + f);
            assertThat(client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/b/x")).build(),
                    HttpResponse.BodyHandlers.ofString()).body()).isEqualTo("backend saw /b/x");
        } finally {
            command.stop.countDown();
            runner.join(10_000);
            backend.stop(0);
        }
        assertThat(exit[0]).isZero();
        assertThat(out.toString()).contains("vigil gateway: stopped");
        assertThat(hits.get()).isEqualTo(2);
    }
}
