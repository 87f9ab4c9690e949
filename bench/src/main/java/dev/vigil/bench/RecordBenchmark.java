package dev.vigil.bench;

import dev.vigil.slo.CacheResult;
import dev.vigil.slo.Failure;
import dev.vigil.slo.SloEngine;
import dev.vigil.slo.spec.BudgetPeriod;
import dev.vigil.slo.spec.Budgeting;
import dev.vigil.slo.spec.BudgetingMethod;
import dev.vigil.slo.spec.ErrorDefinition;
import dev.vigil.slo.spec.Objective;
import dev.vigil.slo.spec.Ratio;
import dev.vigil.slo.spec.RouteGroup;
import dev.vigil.slo.spec.RoutePattern;
import dev.vigil.slo.spec.Scope;
import dev.vigil.slo.spec.SloSpec;
import dev.vigil.slo.spec.SourceLocation;
import dev.vigil.slo.spec.TenantSelector;
import dev.vigil.slo.spec.Tiers;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * {@link SloEngine#record} throughput, in records per second: one thread, and two threads on the same engine.
 *
 * <p>{@code tenants=one}: every request in one series (the worst case for two threads: same phaser stripes'
 * engine, same histograms). {@code tenants=mixed}: two route groups and tenants of which some have
 * overrides, so the tenant lookup and several series are exercised. Latencies are lognormal around 20 ms,
 * 1% 5xx, half the requests cache lookups. The spec has latency-ratio and per-minute percentile objectives,
 * so each request is also placed among four latency thresholds.
 *
 * <pre>java -jar bench/target/benchmarks.jar RecordBenchmark -f 1 -wi 2 -i 3 -w 2s -r 2s</pre>
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class RecordBenchmark {
    private static final int SAMPLES = 4096;

    @State(org.openjdk.jmh.annotations.Scope.Benchmark)
    public static class Engine {
        @Param({"one", "mixed"})
        public String tenants;

        SloEngine engine;
        long epochMillis;

        @Setup
        public void setUp() {
            engine = SloEngine.create(spec(), InstantSource.system());
            epochMillis = System.currentTimeMillis();
        }
    }

    /** Pre-drawn requests, per thread, so the benchmark measures recording and not random number generation. */
    @State(org.openjdk.jmh.annotations.Scope.Thread)
    public static class Requests {
        final String[] groups = new String[SAMPLES];
        final String[] tenants = new String[SAMPLES];
        final int[] statuses = new int[SAMPLES];
        final long[] latencies = new long[SAMPLES];
        final CacheResult[] caches = new CacheResult[SAMPLES];
        int next;

        @Setup
        public void setUp(Engine engine) {
            SplittableRandom random = new SplittableRandom(Thread.currentThread().threadId());
            String[] names = {"bigco", "smallco", "anon-1", "anon-2", "anon-3", "freeloader"};
            for (int i = 0; i < SAMPLES; i++) {
                boolean one = engine.tenants.equals("one");
                groups[i] = one || random.nextBoolean() ? "read" : "write";
                tenants[i] = one ? "anon-1" : names[random.nextInt(names.length)];
                statuses[i] = random.nextInt(100) == 0 ? 503 : 200;
                latencies[i] = (long) Math.exp(Math.log(20_000) + random.nextGaussian());
                caches[i] = random.nextBoolean() ? CacheResult.NONE : random.nextInt(4) == 0 ? CacheResult.MISS : CacheResult.HIT;
            }
        }
    }

    private static void recordOne(Engine e, Requests r) {
        int i = r.next++ & (SAMPLES - 1);
        e.engine.record(r.groups[i], r.tenants[i], r.statuses[i], Failure.NONE, r.latencies[i], r.caches[i], e.epochMillis);
    }

    @Benchmark
    @Threads(1)
    public void record1Thread(Engine e, Requests r) {
        recordOne(e, r);
    }

    @Benchmark
    @Threads(2)
    public void record2Threads(Engine e, Requests r) {
        recordOne(e, r);
    }

    static SloSpec spec() {
        SourceLocation at = SourceLocation.UNKNOWN;
        Budgeting month = new Budgeting(new BudgetPeriod.Rolling(30), BudgetingMethod.EVENTS);
        Tiers<Duration> latency = new Tiers<>(Duration.ofMillis(100), Duration.ofMillis(200), Duration.ofMillis(500), Tiers.Direction.LOWER_IS_BETTER);
        Tiers<Ratio> high = new Tiers<>(Ratio.ofPercent("99.9"), Ratio.ofPercent("99.5"), Ratio.ofPercent("99"), Tiers.Direction.HIGHER_IS_BETTER);
        Tiers<Ratio> low = new Tiers<>(Ratio.ofPercent("0.1"), Ratio.ofPercent("0.5"), Ratio.ofPercent("1"), Tiers.Direction.LOWER_IS_BETTER);
        Scope read = new Scope("read", TenantSelector.ALL);
        List<Objective> objectives = List.of(
                new Objective.LatencyPercentile("p99", read, at, new BigDecimal("99"), latency, Optional.of(Ratio.ofPercent("99"))),
                new Objective.LatencyPercentile("p99-bigco", new Scope("read", new TenantSelector.Tenant("bigco")), at, new BigDecimal("99"), latency, Optional.empty()),
                new Objective.LatencyRatio("fast", read, at, Duration.ofSeconds(1), high, month),
                new Objective.ErrorRate("errors", Scope.allTraffic(), at, ErrorDefinition.DEFAULT, low, month),
                new Objective.ErrorRate("errors-enterprise", new Scope(Scope.ALL_ROUTES, new TenantSelector.Plan("enterprise")), at, ErrorDefinition.DEFAULT, low, month),
                new Objective.Availability("availability", Scope.allTraffic(), at, ErrorDefinition.DEFAULT, high, month, Ratio.ofPercent("5")));
        return new SloSpec("bench.yaml", "bench", 3,
                List.of(new RouteGroup("read", List.of(new RoutePattern("GET", "/items/{id}")), false, at),
                        new RouteGroup("write", List.of(new RoutePattern("*", "/**")), true, at)),
                objectives, Map.of("bigco", "enterprise", "smallco", "enterprise"), List.of());
    }
}
