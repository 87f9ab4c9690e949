package dev.vigil.load;

import dev.vigil.load.scenario.Capture;
import dev.vigil.load.scenario.JsonPath;
import dev.vigil.load.scenario.Scenario;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The load lab measures what users experience: these runs go against a real server on loopback whose timing the
 * test controls, and compare what was reported with what the schedule says must be true.
 */
class LoadAccuracyTest {

    /**
     * A server that answers exactly 5 ms after each request arrived must be reported as 5 ms at p50, plus what a round
     * trip on this machine costs anyway: that floor is measured first with the same load against an immediate answer.
     * On a quiet machine it is ~0.1 ms; on a virtual machine where waking a blocked thread is slow it reached ~0.5 ms,
     * which is the machine's latency, not the load lab's error. The claim under test is the half millisecond on top.
     */
    @Test
    void reportsFixedFiveMillisecondServiceTimeAsP50WithinHalfAMillisecond() throws Exception {
        double floorP50;
        try (TinyHttpServer server = new TinyHttpServer(req -> TinyHttpServer.Response.ok("ok"))) {
            Scenario s = Scenarios.open(server.uri(), 200, Duration.ofSeconds(2), 50,
                    Scenarios.flow("only", 1, Scenarios.get("GET /", "/")));
            RunResult r = LoadTest.of(s).build().run();
            assertThat(r.totals().errors().total()).isZero();
            floorP50 = r.totals().latencyMs().p50();
        }
        assertThat(floorP50).as("round trip to an immediate answer on this machine").isLessThan(1.0);
        try (TinyHttpServer server = new TinyHttpServer(req -> {
            TinyHttpServer.sleepUntil(req.arrivedNanos() + 5_000_000);
            return TinyHttpServer.Response.ok("ok");
        })) {
            Scenario s = Scenarios.open(server.uri(), 200, Duration.ofSeconds(4), 50,
                    Scenarios.flow("only", 1, Scenarios.get("GET /", "/")));
            RunResult r = LoadTest.of(s).build().run();

            assertThat(r.totals().count()).isEqualTo(800);
            assertThat(r.totals().errors().total()).isZero();
            assertThat(r.totals().latencyMs().p50()).as("p50 with a %.3f ms round-trip floor", floorP50)
                    .isCloseTo(5.0 + floorP50, within(0.5));
            assertThat(r.totals().serviceTimeMs().p50()).as("service time p50 with a %.3f ms round-trip floor", floorP50)
                    .isCloseTo(5.0 + floorP50, within(0.5));
        }
    }

    /**
     * 200 req/s for 20 s over one connection to a server that stalls for 1 s every 5 s. A tool that measures from the
     * actual send (service time) sees one slow request per stall — 4 of 4000, invisible at p99. Users saw far worse:
     * every request scheduled during a stall waited for its end. The expected latencies follow from the schedule.
     */
    @Test
    void latencyFromIntendedTimeShowsServerStallsThatServiceTimeHides() throws Exception {
        long stallEveryNanos = 5_000_000_000L;
        long stallStartNanos = 2_000_000_000L; // within each 5 s: stalled during [2 s, 3 s)
        long stallNanos = 1_000_000_000L;
        AtomicLong origin = new AtomicLong();
        try (TinyHttpServer server = new TinyHttpServer(req -> {
            origin.compareAndSet(0, req.arrivedNanos());
            long t = req.arrivedNanos() - origin.get();
            long inCycle = t % stallEveryNanos;
            if (inCycle >= stallStartNanos && inCycle < stallStartNanos + stallNanos) {
                TinyHttpServer.sleepUntil(req.arrivedNanos() + stallStartNanos + stallNanos - inCycle);
            }
            return TinyHttpServer.Response.ok("ok");
        })) {
            double rate = 200;
            Scenario s = Scenarios.open(server.uri(), rate, Duration.ofSeconds(20), 1,
                    Scenarios.flow("only", 1, Scenarios.get("GET /", "/")));
            RunResult r = LoadTest.of(s).build().run();

            // expected: a request intended inside a stall completes at the stall's end; all others at once
            Histogram expected = new Histogram(3);
            for (int k = 0; k < 4000; k++) {
                long t = (long) (k / rate * 1e9);
                long inCycle = t % stallEveryNanos;
                boolean stalled = inCycle >= stallStartNanos && inCycle < stallStartNanos + stallNanos;
                expected.recordValue(stalled ? (stallStartNanos + stallNanos - inCycle) / 1000 : 0);
            }
            double expectedP99 = expected.getValueAtPercentile(99) / 1000.0;
            double expectedMax = expected.getMaxValue() / 1000.0;
            assertThat(expectedP99).isCloseTo(950, within(5.0));

            assertThat(r.totals().count()).isEqualTo(4000);
            assertThat(r.totals().errors().total()).isZero();
            assertThat(r.totals().latencyMs().p99()).isCloseTo(expectedP99, within(60.0));
            // the max is one request: a single late wake-up on a busy machine adds to it (never subtracts)
            assertThat(r.totals().latencyMs().max()).isBetween(expectedMax - 20, expectedMax + 200);
            // the same run, measured the usual way, looks healthy at p99: that is the coordinated omission
            assertThat(r.totals().serviceTimeMs().p99()).isLessThan(20.0);
            assertThat(r.totals().serviceTimeMs().max()).isGreaterThan(500.0);
            // every request scheduled during a stall was sent late
            assertThat(r.totals().late()).isGreaterThan(4 * 180);
        }
    }

    @Test
    void achievesTheConfiguredArrivalRateWithinOnePercent() throws Exception {
        try (TinyHttpServer server = new TinyHttpServer(req -> TinyHttpServer.Response.ok("ok"))) {
            Scenario s = Scenarios.open(server.uri(), 1000, Duration.ofSeconds(4), 64,
                    Scenarios.flow("only", 1, Scenarios.get("GET /", "/")));
            RunResult r = LoadTest.of(s).build().run();

            assertThat(r.totals().count()).isEqualTo(4000);
            assertThat(r.totals().rps()).isCloseTo(1000, within(10.0));
            assertThat(r.timeline()).hasSizeGreaterThanOrEqualTo(4);
            for (RunResult.TimelinePoint p : r.timeline().subList(0, 4)) {
                assertThat(p.targetRps()).isCloseTo(1000, within(0.001));
            }
            // completions per second shift when a busy machine delays a few of them across a second's edge;
            // over the whole timeline they add up to the schedule
            double perSecondTotal = r.timeline().stream().mapToDouble(RunResult.TimelinePoint::achievedRps).sum();
            assertThat(perSecondTotal).isCloseTo(4000, within(40.0));
            assertThat(r.totals().errors().total()).isZero();
        }
    }

    @Test
    void sendsEveryArrivalLateRatherThanDroppingItWhenTheConnectionCapIsReached() throws Exception {
        AtomicLong served = new AtomicLong();
        try (TinyHttpServer server = new TinyHttpServer(req -> {
            TinyHttpServer.sleepUntil(req.arrivedNanos() + 20_000_000);
            served.incrementAndGet();
            return TinyHttpServer.Response.ok("ok");
        })) {
            // one connection serves at most 50/s; 100/s are scheduled: half of them must wait, and say so
            Scenario s = Scenarios.open(server.uri(), 100, Duration.ofSeconds(2), 1,
                    Scenarios.flow("only", 1, Scenarios.get("GET /", "/")));
            RunResult r = LoadTest.of(s).build().run();

            assertThat(r.totals().count()).isEqualTo(200);
            assertThat(served.get()).isEqualTo(200);
            assertThat(r.totals().late()).isGreaterThan(150);
            // served back to back: the last arrival (intended at 1.99 s) completes after 200 service times
            double serviceMs = r.totals().serviceTimeMs().mean();
            double expectedMaxMs = 200 * serviceMs - 1990;
            assertThat(r.totals().latencyMs().max()).isCloseTo(expectedMaxMs, within(100.0));
            assertThat(r.totals().serviceTimeMs().p90()).isLessThan(40.0);
        }
    }

    @Test
    void honoursScenarioWeights() throws Exception {
        try (TinyHttpServer server = new TinyHttpServer(req -> TinyHttpServer.Response.ok("ok"))) {
            Scenario s = Scenarios.open(server.uri(), 1000, Duration.ofSeconds(2), 32,
                    Scenarios.flow("browse", 1, Scenarios.get("browse", "/a")),
                    Scenarios.flow("buy", 3, Scenarios.get("buy", "/b")));
            RunResult r = LoadTest.of(s).build().run();

            long a = r.steps().get(0).stats().count();
            long b = r.steps().get(1).stats().count();
            assertThat(a + b).isEqualTo(2000);
            // binomial(2000, 0.75): standard deviation ~0.97 %; 5 deviations either side
            assertThat((double) b / (a + b)).isCloseTo(0.75, within(0.05));
        }
    }

    @Test
    void capturesFromJsonPathHeaderAndRegexFlowIntoLaterSteps() throws Exception {
        AtomicInteger ids = new AtomicInteger();
        AtomicInteger matched = new AtomicInteger();
        try (TinyHttpServer server = new TinyHttpServer(req -> {
            if (req.method().equals("POST")) {
                int n = ids.incrementAndGet();
                return new TinyHttpServer.Response(201, Map.of("X-Token", "tok-" + n),
                        "{\"data\":{\"items\":[{\"id\":\"item-" + n + "\"}]},\"note\":\"code=C" + n + ";\"}");
            }
            // GET /items/item-N?token=tok-N&code=CN: all three must belong together
            String n = req.path().substring("/items/item-".length());
            boolean ok = req.target().endsWith("?token=tok-" + n + "&code=C" + n);
            if (ok) matched.incrementAndGet();
            return new TinyHttpServer.Response(ok ? 200 : 404, Map.of(), "");
        })) {
            var create = Scenarios.post("create", "/items", List.of(
                    new Capture("id", new Capture.Json(JsonPath.compile("$.data.items[0].id"))),
                    new Capture("token", new Capture.Header("x-token")),
                    new Capture("code", new Capture.Regex(Pattern.compile("code=(\\w+);"), 1))));
            var read = Scenarios.get("read", "/items/{{ id }}?token={{ token }}&code={{ code }}");
            Scenario s = Scenarios.open(server.uri(), 200, Duration.ofSeconds(1), 8,
                    Scenarios.flow("create-then-read", 1, create, read));
            RunResult r = LoadTest.of(s).build().run();

            assertThat(r.steps().get(0).stats().count()).isEqualTo(200);
            assertThat(r.steps().get(1).stats().count()).isEqualTo(200);
            assertThat(r.totals().errors().total()).isZero();
            assertThat(matched.get()).isEqualTo(200);
        }
    }
}
