package dev.vigil.load.sample;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;

import static org.assertj.core.api.Assertions.assertThat;

/** Real HTTP against a backend on loopback, started per test. */
class SampleBackendTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private SampleBackend backend;

    @AfterEach
    void stop() {
        if (backend != null) {
            backend.close();
        }
        client.close();
    }

    private SampleBackend start(SampleBackendConfig config) throws Exception {
        backend = SampleBackend.start(config);
        return backend;
    }

    private SampleBackend start() throws Exception {
        return start(SampleBackendConfig.defaults().withEventLoopThreads(2)
                .withClock(InstantSource.fixed(Instant.parse("2026-01-02T03:04:05Z"))));
    }

    private HttpResponse<String> send(String method, String path, String body, String... headers) throws Exception {
        return client.send(request(method, path, body, headers), HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest request(String method, String path, String body, String... headers) {
        var b = HttpRequest.newBuilder(URI.create(backend.baseUri() + path)).timeout(Duration.ofSeconds(10))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        if (headers.length > 0) {
            b.headers(headers);
        }
        return b.build();
    }

    private static JsonNode json(HttpResponse<String> r) throws Exception {
        return JSON.readTree(r.body());
    }

    private static void assertProblem(HttpResponse<String> r, int status, String detailFragment) throws Exception {
        assertThat(r.statusCode()).isEqualTo(status);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        JsonNode p = json(r);
        assertThat(p.get("status").asInt()).isEqualTo(status);
        assertThat(p.get("title").asText()).isNotBlank();
        assertThat(p.get("detail").asText()).contains(detailFragment);
    }

    @Test
    void createsAMissionWith201AndServesItBack() throws Exception {
        start();
        var created = send("POST", "/missions", "{\"title\":\"First steps\",\"points\":25}");
        assertThat(created.statusCode()).isEqualTo(201);
        JsonNode m = json(created);
        assertThat(m.get("title").asText()).isEqualTo("First steps");
        assertThat(m.get("points").asLong()).isEqualTo(25);
        assertThat(m.get("createdAt").asText()).isEqualTo("2026-01-02T03:04:05Z");
        assertThat(created.headers().firstValue("Location")).hasValue("/missions/" + m.get("id").asText());

        var fetched = send("GET", "/missions/" + m.get("id").asText(), null);
        assertThat(fetched.statusCode()).isEqualTo(200);
        assertThat(json(fetched)).isEqualTo(m);
    }

    @Test
    void answersUnknownThingsWith404ProblemJson() throws Exception {
        start();
        assertProblem(send("GET", "/missions/999", null), 404, "no mission 999");
        assertProblem(send("GET", "/missions/abc", null), 404, "no mission 'abc'");
        assertProblem(send("GET", "/users/nobody", null), 404, "no user 'nobody'");
        assertProblem(send("GET", "/nowhere", null), 404, "no route /nowhere");
    }

    @Test
    void rejectsBadJsonWith400ProblemJsonNamingTheLocation() throws Exception {
        start();
        assertProblem(send("POST", "/missions", "{\"title\": \"x\", "), 400, "invalid JSON at line 1");
        assertProblem(send("POST", "/missions", "[1,2]"), 400, "must be a JSON object");
        assertProblem(send("POST", "/missions", "{\"title\":\"x\",\"points\":\"ten\"}"), 400,
                "field 'points' must be an integer from 0 to 1000000");
        assertProblem(send("POST", "/missions", "{\"points\":3}"), 400, "field 'title' must be a non-blank string");
        assertProblem(send("POST", "/users/u1/points", "{\"points\":0}"), 400, "from 1 to 1000000");
        assertProblem(send("POST", "/users/bad%20id/points", "{\"points\":1}"), 400, "user id must be");
        var wrongType = client.send(HttpRequest.newBuilder(URI.create(backend.baseUri() + "/missions"))
                .header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.ofString("hi")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertProblem(wrongType, 415, "send application/json");
    }

    @Test
    void answersWrongMethodWith405AndAllow() throws Exception {
        start();
        var r = send("DELETE", "/missions/1", null);
        assertProblem(r, 405, "allows only GET");
        assertThat(r.headers().firstValue("Allow")).hasValue("GET");
        var p = send("GET", "/users/u1/points", null);
        assertProblem(p, 405, "allows only POST");
        assertThat(p.headers().firstValue("Allow")).hasValue("POST");
        assertThat(send("PUT", "/healthz", "{}").headers().firstValue("Allow")).hasValue("GET");
    }

    @Test
    void answersHugeBodiesWith413AndKeepsServing() throws Exception {
        start(SampleBackendConfig.defaults().withEventLoopThreads(1).withMaxBodyBytes(1024));
        String huge = "{\"title\":\"" + "x".repeat(4096) + "\",\"points\":1}";
        assertProblem(send("POST", "/missions", huge), 413, "exceeds 1024 bytes");
        assertThat(send("POST", "/missions", "{\"title\":\"small\",\"points\":1}").statusCode()).isEqualTo(201);
    }

    @Test
    void servesHealthz() throws Exception {
        start();
        var r = send("GET", "/healthz", null);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(json(r).get("status").asText()).isEqualTo("ok");
    }

    @Test
    void leaderboardListsTheTop100ByPointsThenId() throws Exception {
        start();
        for (int i = 0; i < 130; i++) {
            // user-007 and user-107 tie on points; the lower id ranks first
            long points = 1 + (i % 100);
            assertThat(send("POST", "/users/user-%03d/points".formatted(i), "{\"points\":" + points + "}").statusCode())
                    .isEqualTo(200);
        }
        JsonNode board = json(send("GET", "/leaderboard", null));
        assertThat(board.get("totalUsers").asInt()).isEqualTo(130);
        JsonNode leaders = board.get("leaders");
        assertThat(leaders).hasSize(100);
        assertThat(leaders.get(0).get("rank").asInt()).isEqualTo(1);
        assertThat(leaders.get(0).get("userId").asText()).isEqualTo("user-099");
        assertThat(leaders.get(0).get("points").asLong()).isEqualTo(100);
        for (int i = 1; i < leaders.size(); i++) {
            JsonNode prev = leaders.get(i - 1);
            JsonNode cur = leaders.get(i);
            assertThat(cur.get("rank").asInt()).isEqualTo(i + 1);
            assertThat(cur.get("points").asLong()).isLessThanOrEqualTo(prev.get("points").asLong());
            if (cur.get("points").asLong() == prev.get("points").asLong()) {
                assertThat(cur.get("userId").asText()).isGreaterThan(prev.get("userId").asText());
            }
        }
        assertThat(leaders.get(1).get("userId").asText()).isEqualTo("user-098");
        // ranks 1..70 hold points 100..31; points 30 is a tie between user-029 and user-129
        assertThat(leaders.get(70).get("userId").asText()).isEqualTo("user-029");
        assertThat(leaders.get(71).get("userId").asText()).isEqualTo("user-129");
        assertThat(leaders.get(71).get("points").asLong()).isEqualTo(30);
    }

    @Test
    void concurrentAwardsAddUpExactlyAndTheLeaderboardAgrees() throws Exception {
        start(SampleBackendConfig.defaults().withEventLoopThreads(2)
                .withServiceTime(ServiceTime.parse("uniform:min=0ms,max=2ms")));
        int users = 10;
        int requests = 2_000;
        Map<String, Long> expected = new HashMap<>();
        List<HttpRequest> batch = new ArrayList<>();
        for (int i = 0; i < requests; i++) {
            String user = "u" + (i % users);
            int points = 1 + (i % 7);
            expected.merge(user, (long) points, Long::sum);
            batch.add(request("POST", "/users/" + user + "/points", "{\"points\":" + points + "}"));
        }
        List<HttpResponse<String>> responses = sendAll(batch, 64);
        assertThat(responses).allSatisfy(r -> assertThat(r.statusCode()).isEqualTo(200));
        for (var e : expected.entrySet()) {
            JsonNode u = json(send("GET", "/users/" + e.getKey(), null));
            assertThat(u.get("points").asLong()).as(e.getKey()).isEqualTo(e.getValue());
            assertThat(u.get("writes").asLong()).isEqualTo(requests / users);
        }
        JsonNode leaders = json(send("GET", "/leaderboard", null)).get("leaders");
        assertThat(leaders).hasSize(users);
        for (JsonNode l : leaders) {
            assertThat(l.get("points").asLong()).isEqualTo(expected.get(l.get("userId").asText()));
        }
    }

    @Test
    void appliesARepeatedIdempotencyKeyAgainAndCountsTheDuplicate() throws Exception {
        start();
        for (int i = 0; i < 2; i++) {
            assertThat(send("POST", "/users/alice/points", "{\"points\":10}", "Idempotency-Key", "k-1").statusCode())
                    .isEqualTo(200);
        }
        JsonNode alice = json(send("GET", "/users/alice", null));
        assertThat(alice.get("points").asLong()).isEqualTo(20);
        assertThat(alice.get("writes").asLong()).isEqualTo(2);
        assertThat(alice.get("duplicateWrites").asLong()).isEqualTo(1);
    }

    @Test
    void honouringIdempotencyKeysReplaysTheFirstAnswerAndRefusesAReusedKeyWith422() throws Exception {
        start(SampleBackendConfig.defaults().withEventLoopThreads(1).withHonourIdempotencyKey(true));
        var first = send("POST", "/users/bob/points", "{\"points\":10}", "Idempotency-Key", "k-1");
        var again = send("POST", "/users/bob/points", "{\"points\":10}", "Idempotency-Key", "k-1");
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(again.headers().firstValue("Idempotent-Replayed")).hasValue("true");
        assertThat(json(again)).isEqualTo(json(first));
        assertProblem(send("POST", "/users/bob/points", "{\"points\":99}", "Idempotency-Key", "k-1"), 422,
                "was first used to award 10 points");
        // the same key for another user is another write
        assertThat(json(send("POST", "/users/carol/points", "{\"points\":5}", "Idempotency-Key", "k-1"))
                .get("points").asLong()).isEqualTo(5);
        JsonNode bob = json(send("GET", "/users/bob", null));
        assertThat(bob.get("points").asLong()).isEqualTo(10);
        assertThat(bob.get("writes").asLong()).isEqualTo(1);
        assertThat(bob.get("duplicateWrites").asLong()).isZero();
    }

    @Test
    void serviceTimeIsScheduledWithoutBlockingTheEventLoop() throws Exception {
        start(SampleBackendConfig.defaults().withEventLoopThreads(1).withServiceTime(ServiceTime.parse("500ms")));
        List<HttpRequest> batch = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            batch.add(request("GET", "/leaderboard", null));
        }
        long t0 = System.nanoTime();
        List<Long> latencies = new ArrayList<>();
        List<CompletableFuture<Void>> all = new ArrayList<>();
        for (HttpRequest r : batch) {
            long sent = System.nanoTime();
            all.add(client.sendAsync(r, HttpResponse.BodyHandlers.ofString()).thenAccept(res -> {
                synchronized (latencies) {
                    latencies.add(System.nanoTime() - sent);
                }
            }));
        }
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).join();
        long wallMillis = (System.nanoTime() - t0) / 1_000_000;
        // Every answer waits its service time; a thread sleeping per request would need 20 x 500 ms = 10 s.
        // The bound leaves 4.5 s for connection set-up on a loaded machine.
        assertThat(latencies).allSatisfy(l -> assertThat(l).isGreaterThanOrEqualTo(500_000_000L));
        assertThat(wallMillis).isLessThan(5_000);
    }

    @Test
    void logNormalServiceTimeShowsInMeasuredLatency() throws Exception {
        start(SampleBackendConfig.defaults().withEventLoopThreads(2)
                .withServiceTime(ServiceTime.parse("lognormal:median=5ms,p99=40ms")));
        send("GET", "/healthz", null); // warm the connection pool and JIT a little
        List<Long> micros = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            long t0 = System.nanoTime();
            send("GET", "/leaderboard", null);
            micros.add((System.nanoTime() - t0) / 1_000);
        }
        micros.sort(null);
        // Lower bound: a response never comes before its service time; the sample median of 400 draws lies
        // within 4 standard errors of 5 ms above 4 ms. Upper bound: only a sanity check, generous for a busy
        // 2-core machine shared with other builds.
        assertThat(micros.get(200)).isBetween(4_000L, 100_000L);
        assertThat(micros.get(399)).isGreaterThan(20_000L); // the tail is really there (P(no draw > 20 ms) < 1e-10)
    }

    @Test
    void injectsErrorsAtTheConfiguredRateWithoutApplyingWrites() throws Exception {
        start(SampleBackendConfig.defaults().withEventLoopThreads(2).withErrorRate(0.2));
        List<HttpRequest> batch = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
            batch.add(request("POST", "/users/dave/points", "{\"points\":1}"));
        }
        List<HttpResponse<String>> responses = sendAll(batch, 32);
        long e500 = responses.stream().filter(r -> r.statusCode() == 500).count();
        long e503 = responses.stream().filter(r -> r.statusCode() == 503).count();
        long ok = responses.stream().filter(r -> r.statusCode() == 200).count();
        assertThat(ok + e500 + e503).isEqualTo(2_000);
        // 400 expected; 5 standard deviations (sqrt(2000 * 0.2 * 0.8) = 17.9) either side
        assertThat(e500 + e503).isBetween(310L, 490L);
        assertThat(e500).isPositive();
        assertThat(e503).isPositive();
        assertThat(responses).filteredOn(r -> r.statusCode() == 503)
                .allSatisfy(r -> assertThat(r.headers().firstValue("Retry-After")).hasValue("1"));
        // /healthz and the check below are never failed on purpose; retry until the read is not injected
        JsonNode dave = null;
        for (int i = 0; i < 50 && dave == null; i++) {
            var r = send("GET", "/users/dave", null);
            dave = r.statusCode() == 200 ? json(r) : null;
        }
        assertThat(dave).isNotNull();
        assertThat(dave.get("points").asLong()).isEqualTo(ok);
    }

    @Test
    void answersPipelinedRequestsInOrder() throws Exception {
        start(SampleBackendConfig.defaults().withEventLoopThreads(1).withServiceTime(ServiceTime.parse("50ms")));
        try (Socket s = new Socket(backend.address().getAddress(), backend.port())) {
            s.setSoTimeout(5_000);
            OutputStream out = s.getOutputStream();
            String host = "Host: 127.0.0.1\r\n";
            out.write(("GET /missions/1 HTTP/1.1\r\n" + host + "\r\n"
                    + "GET /healthz HTTP/1.1\r\n" + host + "\r\n"
                    + "GET /leaderboard HTTP/1.1\r\n" + host + "Connection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String all = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            // bodies carry no trailing newline, so find status lines anywhere in the stream
            List<String> statusLines = java.util.regex.Pattern.compile("HTTP/1\\.1 \\d{3} [A-Za-z ]+(?=\r\n)")
                    .matcher(all).results().map(java.util.regex.MatchResult::group).toList();
            assertThat(statusLines).containsExactly("HTTP/1.1 404 Not Found", "HTTP/1.1 200 OK", "HTTP/1.1 200 OK");
        }
    }

    @Test
    void refusesToStartOnABusyPortWithAClearMessage() throws Exception {
        start();
        var busy = SampleBackendConfig.defaults().withPort(backend.port());
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> SampleBackend.start(busy))
                .isInstanceOf(java.io.IOException.class)
                .hasMessageContaining("cannot listen on 127.0.0.1:" + backend.port());
    }

    /** Sends every request with at most {@code concurrency} in flight; answers in request order. */
    private List<HttpResponse<String>> sendAll(List<HttpRequest> requests, int concurrency) {
        Semaphore permits = new Semaphore(concurrency);
        List<CompletableFuture<HttpResponse<String>>> futures = new ArrayList<>();
        for (HttpRequest r : requests) {
            permits.acquireUninterruptibly();
            futures.add(client.sendAsync(r, HttpResponse.BodyHandlers.ofString())
                    .whenComplete((res, err) -> permits.release()));
        }
        return futures.stream().map(CompletableFuture::join).toList();
    }
}
