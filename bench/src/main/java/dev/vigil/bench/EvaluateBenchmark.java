package dev.vigil.bench;

import dev.vigil.slo.CacheResult;
import dev.vigil.slo.EngineSnapshot;
import dev.vigil.slo.Failure;
import dev.vigil.slo.SloEngine;
import dev.vigil.slo.SloReport;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.time.Instant;
import java.time.InstantSource;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * Cost of judging a full retention: {@link SloEngine#evaluate()} (snapshot + every objective of
 * {@link RecordBenchmark#spec()} over its period, with burn rates) after 32 days of traffic, 60 requests
 * a minute per route group, and the snapshot's serialised size.
 *
 * <pre>java -jar bench/target/benchmarks.jar EvaluateBenchmark -f 1 -wi 2 -i 3 -w 2s -r 2s</pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(1)
@State(org.openjdk.jmh.annotations.Scope.Benchmark)
public class EvaluateBenchmark {
    SloEngine engine;
    EngineSnapshot snapshot;

    @Setup
    public void setUp() {
        long[] now = {Instant.parse("2026-03-01T00:00:00Z").toEpochMilli()};
        InstantSource clock = () -> Instant.ofEpochMilli(now[0]);
        engine = SloEngine.create(RecordBenchmark.spec(), clock);
        SplittableRandom random = new SplittableRandom(1);
        String[] tenants = {"bigco", "smallco", "anon"};
        for (int minute = 0; minute < 32 * 1440; minute++) {
            for (int i = 0; i < 120; i++) {
                engine.record(i % 2 == 0 ? "read" : "write", tenants[i % 3], random.nextInt(200) == 0 ? 503 : 200, Failure.NONE,
                        (long) Math.exp(Math.log(20_000) + random.nextGaussian()), i % 4 == 0 ? CacheResult.HIT : CacheResult.NONE, now[0]);
            }
            now[0] += 60_000;
        }
        snapshot = engine.snapshot();
        System.out.println("\nsnapshot of 32 days, " + RecordBenchmark.spec().routeGroups().size() + " groups: "
                + snapshot.toBytes().length + " bytes serialised");
    }

    @Benchmark
    public SloReport evaluateEngine() {
        return engine.evaluate();
    }

    @Benchmark
    public byte[] serialiseSnapshot() {
        return snapshot.toBytes();
    }
}
