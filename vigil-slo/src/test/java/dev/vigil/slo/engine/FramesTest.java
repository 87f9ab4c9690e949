package dev.vigil.slo.engine;

import dev.vigil.slo.CacheResult;
import dev.vigil.slo.Failure;
import dev.vigil.slo.spec.Objective;
import dev.vigil.slo.spec.BudgetPeriod;
import dev.vigil.slo.spec.Budgeting;
import dev.vigil.slo.spec.BudgetingMethod;
import dev.vigil.slo.spec.Ratio;
import dev.vigil.slo.spec.RouteGroup;
import dev.vigil.slo.spec.Scope;
import dev.vigil.slo.spec.SloSpec;
import dev.vigil.slo.spec.SourceLocation;
import dev.vigil.slo.spec.Tiers;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

class FramesTest {
    private static final SloSpec SPEC = new SloSpec("t.yaml", "t", 3,
            List.of(new RouteGroup("api", List.of(), true, SourceLocation.UNKNOWN)),
            List.of(new Objective.LatencyRatio("fast", Scope.allTraffic(), SourceLocation.UNKNOWN, Duration.ofMillis(50),
                    new Tiers<>(Ratio.ofPercent("99"), Ratio.ofPercent("98"), Ratio.ofPercent("90"), Tiers.Direction.HIGHER_IS_BETTER),
                    new Budgeting(new BudgetPeriod.Rolling(30), BudgetingMethod.EVENTS))),
            Map.of(), List.of());

    @Test
    void totalsFromWholeHoursEqualTheMinuteByMinuteSum() {
        long[] now = {Instant.parse("2026-03-10T07:13:00Z").toEpochMilli()};
        Store store = new Store(SPEC, () -> Instant.ofEpochMilli(now[0]), 2);
        SplittableRandom random = new SplittableRandom(3);
        for (int m = 0; m < 30 * 60; m++) {
            int n = random.nextInt(4) == 0 ? 0 : random.nextInt(20);  // some idle minutes
            for (int i = 0; i < n; i++) {
                store.record("api", "x", random.nextInt(10) == 0 ? 500 : 200, Failure.NONE, random.nextLong(100_000), CacheResult.HIT, now[0]);
            }
            now[0] += 60_000;
        }
        Frames frames = store.snapshot();
        List<SeriesKey> keys = List.of(new SeriesKey("api", SeriesKey.REST));
        long start = frames.capturedMinute() - 30 * 60;
        for (int i = 0; i < 300; i++) {
            long from = start - 10 + random.nextInt(30 * 60 + 20);
            long to = from + random.nextInt(30 * 60);
            long[] bySum = new long[frames.layout().cells()];
            frames.forEachMinute(keys, from, to, (minute, c) -> {
                for (int j = 0; j < c.length; j++) bySum[j] += c[j];
            });
            assertThat(frames.totals(keys, from, to)).as("[%d, %d)", from, to).isEqualTo(bySum);
            if (from >= frames.minuteHistogramsFrom()) {
                long requests = 0;
                for (long v : bySum) requests += v;
                assertThat(frames.histogram(keys, from, to).getTotalCount()).isEqualTo(requests);
            }
        }
    }
}
