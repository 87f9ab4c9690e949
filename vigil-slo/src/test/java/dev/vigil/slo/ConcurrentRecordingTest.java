package dev.vigil.slo;

import dev.vigil.slo.spec.BudgetingMethod;
import dev.vigil.slo.spec.SloSpec;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static dev.vigil.slo.Specs.READ;
import static dev.vigil.slo.Specs.atMost;
import static dev.vigil.slo.Specs.errorRate;
import static dev.vigil.slo.Specs.group;
import static dev.vigil.slo.Specs.millis;
import static dev.vigil.slo.Specs.percentile;
import static dev.vigil.slo.Specs.result;
import static dev.vigil.slo.Specs.rolling;
import static org.assertj.core.api.Assertions.assertThat;

class ConcurrentRecordingTest {
    private static final SloSpec SPEC = Specs.spec(
            percentile("p99", group("*"), "99", millis(100, 200, 500)),
            errorRate("errors", group("*"), atMost("1", "2", "5"), rolling(30, BudgetingMethod.EVENTS)),
            errorRate("errors-gold", Specs.tenant(READ, "gold"), atMost("1", "2", "5"), rolling(30, BudgetingMethod.EVENTS)));

    @Test
    void manyThreadsRecordingWhileMinutesRollAndSnapshotsAreTakenLoseNothing() throws Exception {
        int threads = 8;
        int perThread = 200_000;
        TestClock clock = TestClock.at("2026-03-10T10:00:00Z");
        SloEngine engine = SloEngine.create(SPEC, clock);
        ExecutorService pool = Executors.newFixedThreadPool(threads + 1);
        CountDownLatch start = new CountDownLatch(1);
        CountDownLatch rolling = new CountDownLatch(1);
        AtomicBoolean done = new AtomicBoolean();
        List<Future<?>> writers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int id = t;
            writers.add(pool.submit(() -> {
                rolling.await();
                String tenant = id % 2 == 0 ? "gold" : "tenant-" + id;  // half the threads share the gold series
                for (int i = 0; i < perThread; i++) {
                    engine.record(i % 3 == 0 ? READ : "other", tenant, i % 100 == 0 ? 500 : 200, Failure.NONE,
                            1_000 + i % 5_000, CacheResult.NONE, clock.millis());
                }
                return null;
            }));
        }
        // Meanwhile: the clock moves a minute at a time and snapshots are taken, forcing roll-overs mid-stream.
        Future<?> roller = pool.submit(() -> {
            start.await();
            while (!done.get()) {
                clock.advance(Duration.ofMinutes(1));
                engine.snapshot();
                rolling.countDown();
                Thread.sleep(1);
            }
            return null;
        });
        start.countDown();
        for (Future<?> w : writers) w.get(60, TimeUnit.SECONDS);
        done.set(true);
        roller.get(10, TimeUnit.SECONDS);
        pool.shutdown();

        SloReport report = engine.evaluate(Window.LAST_30_DAYS);
        long total = (long) threads * perThread;
        assertThat(result(report, "p99").events()).isEqualTo(total);
        // The traffic really was spread over minutes closed while writers were recording.
        assertThat(result(engine.evaluate(Window.LAST_1_MINUTE), "p99").events()).isLessThan(total);
        // The gold override is for one route group; the all-routes error rate is another kind and still sees gold.
        assertThat(result(report, "errors").events()).isEqualTo(total);
        ObjectiveResult all = result(report, "errors");
        long expectedErrors = (long) threads * ((perThread + 99) / 100);
        long goldReadErrors = 0;
        for (int i = 0; i < perThread; i += 3) if (i % 100 == 0) goldReadErrors++;
        assertThat(all.budget().orElseThrow().bad()).isEqualTo(expectedErrors);
        ObjectiveResult gold = result(report, "errors-gold");
        assertThat(gold.events()).isEqualTo((threads / 2) * (perThread / 3 + 1));
        assertThat(gold.budget().orElseThrow().bad()).isEqualTo((threads / 2) * goldReadErrors);
    }
}
