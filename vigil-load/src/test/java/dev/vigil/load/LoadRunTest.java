package dev.vigil.load;

import dev.vigil.load.scenario.FailureCriterion;
import dev.vigil.load.scenario.Phase;
import dev.vigil.load.scenario.Scenario;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Run behaviour beyond raw accuracy: the closed model, stopping, errors, progress and the interval sink. */
class LoadRunTest {

    @Test
    void closedModelKeepsEachUserToOneRequestAtATimeWithThinkTime() throws Exception {
        AtomicInteger concurrent = new AtomicInteger();
        AtomicInteger maxConcurrent = new AtomicInteger();
        try (TinyHttpServer server = new TinyHttpServer(req -> {
            int now = concurrent.incrementAndGet();
            maxConcurrent.accumulateAndGet(now, Math::max);
            TinyHttpServer.sleepUntil(req.arrivedNanos() + 10_000_000);
            concurrent.decrementAndGet();
            return TinyHttpServer.Response.ok("ok");
        })) {
            Scenario s = new Scenario("closed.yaml", server.uri(),
                    List.of(new Phase.Closed("users", Duration.ofSeconds(2), 4, Duration.ofMillis(40))),
                    List.of(Scenarios.flow("a", 1, Scenarios.get("GET /", "/"))), List.of(), Map.of(), 16, List.of());
            RunResult r = LoadTest.of(s).build().run();

            // each user: 10 ms service + 40 ms think = one request per ~50 ms -> 4 users ≈ 80 req/s for 2 s
            assertThat(r.model()).isEqualTo(RunResult.Model.CLOSED);
            assertThat(maxConcurrent.get()).isLessThanOrEqualTo(4);
            // a user's cycle is at least its 10 ms response plus its 40 ms think time: at most 4 × 2 s / 50 ms
            // requests (a busy machine only lowers the count, so the lower bound is loose)
            assertThat(r.totals().count()).isBetween(40L, 4 * 2000 / 50 + 4L);
            // latency accuracy is LoadAccuracyTest's job; here: at least the 10 ms service time, far below a cycle
            assertThat(r.totals().latencyMs().p50()).isBetween(10.0, 40.0);
            assertThat(r.timeline()).allSatisfy(p -> assertThat(p.targetRps()).isZero());
        }
    }

    @Test
    void interruptStopsTheRunAndReturnsWhatWasMeasured() throws Exception {
        try (TinyHttpServer server = new TinyHttpServer(req -> TinyHttpServer.Response.ok("ok"))) {
            Scenario s = Scenarios.open(server.uri(), 100, Duration.ofSeconds(30), 8,
                    Scenarios.flow("a", 1, Scenarios.get("GET /", "/")));
            LoadTest test = LoadTest.of(s).build();
            Thread stopper = new Thread(() -> {
                try {
                    Thread.sleep(1500);
                } catch (InterruptedException e) {
                    return;
                }
                test.interrupt();
            });
            stopper.start();
            long started = System.nanoTime();
            RunResult r = test.run();

            assertThat((System.nanoTime() - started) / 1e9).isLessThan(5);
            assertThat(r.interrupted()).isTrue();
            assertThat(r.abortReason()).isNull();
            assertThat(r.durationSeconds()).isCloseTo(1.5, within(0.3));
            assertThat((double) r.totals().count()).isCloseTo(150, within(15.0));
        }
    }

    @Test
    void failureCriteriaAbortWithTheReason() throws Exception {
        try (TinyHttpServer server = new TinyHttpServer(req -> {
            TinyHttpServer.sleepUntil(req.arrivedNanos() + 30_000_000);
            return TinyHttpServer.Response.ok("slow");
        })) {
            Scenario open = Scenarios.open(server.uri(), 100, Duration.ofSeconds(20), 16,
                    Scenarios.flow("a", 1, Scenarios.get("GET /", "/")));
            Scenario s = new Scenario(open.file(), open.target(), open.phases(), open.flows(), List.of(), Map.of(), 16,
                    List.of(new FailureCriterion(FailureCriterion.Metric.P50, 20, false, "> 20ms")));
            RunResult r = LoadTest.of(s).build().run();

            assertThat(r.abortReason()).startsWith("failure criterion p50 > 20ms broken: p50 was 3");
            assertThat(r.durationSeconds()).isLessThan(4);
            assertThat(r.failed()).isTrue();
        }
    }

    @Test
    void refusedConnectionsAndUnexpectedStatusesAreCountedByCause() throws Exception {
        AtomicInteger n = new AtomicInteger();
        try (TinyHttpServer server = new TinyHttpServer(req ->
                new TinyHttpServer.Response(n.incrementAndGet() % 2 == 0 ? 500 : 404, Map.of(), "no"))) {
            RunResult r = LoadTest.of(Scenarios.open(server.uri(), 100, Duration.ofSeconds(1), 4,
                    Scenarios.flow("a", 1, Scenarios.get("GET /", "/")))).build().run();
            assertThat(r.totals().count()).isEqualTo(100);
            assertThat(r.totals().errors().byStatusClass().clientErrors()).isEqualTo(50);
            assertThat(r.totals().errors().byStatusClass().serverErrors()).isEqualTo(50);
            assertThat(r.totals().errors().byCause().unexpectedStatus()).isEqualTo(100);
        }
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        RunResult r = LoadTest.of(Scenarios.open(URI.create("http://127.0.0.1:" + port), 50, Duration.ofSeconds(1), 4,
                Scenarios.flow("a", 1, Scenarios.get("GET /", "/")))).build().run();
        assertThat(r.totals().count()).isEqualTo(50);
        assertThat(r.totals().errors().byCause().refused()).isEqualTo(50);
    }

    @Test
    void slowResponsesTimeOutAndCountAsTimeouts() throws Exception {
        try (TinyHttpServer server = new TinyHttpServer(req -> {
            TinyHttpServer.sleepUntil(req.arrivedNanos() + 400_000_000);
            return TinyHttpServer.Response.ok("late");
        })) {
            var step = new dev.vigil.load.scenario.Step("slow", "GET", dev.vigil.load.scenario.Template.compile("/"),
                    List.of(), List.of(), dev.vigil.load.scenario.Body.NONE,
                    dev.vigil.load.scenario.StatusExpectation.DEFAULT, Duration.ofMillis(100), List.of(), Duration.ZERO, "t");
            RunResult r = LoadTest.of(Scenarios.open(server.uri(), 20, Duration.ofSeconds(1), 32,
                    Scenarios.flow("a", 1, step))).build().run();
            assertThat(r.totals().count()).isEqualTo(20);
            assertThat(r.totals().errors().byCause().timeout()).isEqualTo(20);
            // a timed-out request is recorded with the wait the user had: at least the timeout
            assertThat(r.totals().latencyMs().p50()).isBetween(100.0, 140.0);
        }
    }

    @Test
    void printsProgressEverySecondAndHandsEachIntervalToTheSink() throws Exception {
        Map<String, List<Histogram>> intervals = new ConcurrentHashMap<>();
        StringWriter progress = new StringWriter();
        try (TinyHttpServer server = new TinyHttpServer(req -> TinyHttpServer.Response.ok("ok"))) {
            RunResult r = LoadTest.of(Scenarios.open(server.uri(), 100, Duration.ofSeconds(3), 4,
                            Scenarios.flow("a", 1, Scenarios.get("home", "/"), Scenarios.get("about", "/about"))))
                    .progress(new PrintWriter(progress))
                    .intervalSink((tag, h) -> intervals.computeIfAbsent(tag, t -> new ArrayList<>()).add(h))
                    .build().run();

            assertThat(progress.toString().lines().toList()).hasSize(3)
                    .allSatisfy(l -> assertThat(l).contains("target 100.0 arrivals/s").contains("requests ").contains("p99").contains("errors 0"));
            assertThat(progress.toString()).contains("1s/3s").contains("3s/3s");
            assertThat(intervals.keySet()).containsExactlyInAnyOrder("home", "about", "total");
            long total = intervals.get("total").stream().mapToLong(Histogram::getTotalCount).sum();
            assertThat(total).isEqualTo(r.totals().count()).isEqualTo(600);
            assertThat(intervals.get("total")).allSatisfy(h -> {
                assertThat(h.getTag()).isEqualTo("total");
                assertThat(h.getEndTimeStamp()).isGreaterThan(h.getStartTimeStamp());
            });
        }
    }

    @Test
    void resultJsonRoundTripsWithTheDocumentedFieldNames() throws Exception {
        try (TinyHttpServer server = new TinyHttpServer(req -> TinyHttpServer.Response.ok("ok"))) {
            RunResult r = LoadTest.of(Scenarios.open(server.uri(), 50, Duration.ofSeconds(1), 4,
                    Scenarios.flow("a", 1, Scenarios.get("GET /", "/")))).build().run();
            String json = ResultJson.toJson(r);
            assertThat(ResultJson.fromJson(json)).isEqualTo(r);
            var tree = ResultJson.toTree(r);
            assertThat(tree.fieldNames()).toIterable().containsExactly("vigil", "scenarioFile", "target", "startedAt",
                    "endedAt", "durationSeconds", "model", "interrupted", "abortReason", "totals", "steps", "timeline",
                    "percentileDistribution", "slo", "gatewaySlo", "stress");
            assertThat(tree.get("totals").get("errors").get("byStatusClass").fieldNames()).toIterable()
                    .containsExactly("4xx", "5xx");
            assertThat(tree.get("startedAt").asText()).endsWith("Z");
        }
    }

    @Test
    void opensANewConnectionWhenTheServerAnswersConnectionClose() throws Exception {
        try (TinyHttpServer server = new TinyHttpServer(req ->
                new TinyHttpServer.Response(200, Map.of("Connection", "close"), "bye"))) {
            RunResult r = LoadTest.of(Scenarios.open(server.uri(), 100, Duration.ofSeconds(1), 4,
                    Scenarios.flow("a", 1, Scenarios.get("GET /", "/")))).build().run();
            assertThat(r.totals().count()).isEqualTo(100);
            assertThat(r.totals().errors().total()).isZero();
        }
    }

    @Test
    void feedsCsvRowsIntoTemplatesAndStopsWhenASequentialFeederRunsOut() throws Exception {
        StringBuilder csv = new StringBuilder("user\n");
        for (int i = 1; i <= 30; i++) csv.append("u").append(i).append('\n');
        java.util.Set<String> seen = ConcurrentHashMap.newKeySet();
        try (TinyHttpServer server = new TinyHttpServer(req -> {
            seen.add(req.path());
            return TinyHttpServer.Response.ok("ok");
        })) {
            var feeder = dev.vigil.load.scenario.Feeder.parse("users.csv", csv.toString(),
                    dev.vigil.load.scenario.Feeder.Order.SEQUENTIAL);
            Scenario open = Scenarios.open(server.uri(), 100, Duration.ofSeconds(5), 4,
                    Scenarios.flow("a", 1, Scenarios.get("profile", "/users/{{ user }}")));
            Scenario s = new Scenario(open.file(), open.target(), open.phases(), open.flows(), List.of(feeder),
                    Map.of(), 4, List.of());
            RunResult r = LoadTest.of(s).build().run();

            assertThat(r.totals().count()).isEqualTo(30);
            assertThat(seen).hasSize(30).contains("/users/u1", "/users/u30");
            assertThat(r.abortReason()).contains("users.csv ran out after 30 rows");
            assertThat(r.durationSeconds()).isLessThan(1);
        }
    }
}
