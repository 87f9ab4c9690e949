package dev.vigil.slo;

import dev.vigil.slo.spec.BudgetingMethod;
import dev.vigil.slo.spec.SloSpec;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Arrays;
import java.util.SplittableRandom;

import static dev.vigil.slo.Specs.READ;
import static dev.vigil.slo.Specs.atLeast;
import static dev.vigil.slo.Specs.atMost;
import static dev.vigil.slo.Specs.availability;
import static dev.vigil.slo.Specs.cacheHitRatio;
import static dev.vigil.slo.Specs.errorRate;
import static dev.vigil.slo.Specs.group;
import static dev.vigil.slo.Specs.latencyRatio;
import static dev.vigil.slo.Specs.millis;
import static dev.vigil.slo.Specs.percentile;
import static dev.vigil.slo.Specs.percentileInMinutes;
import static dev.vigil.slo.Specs.rolling;
import static dev.vigil.slo.Specs.throughput;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EngineSnapshotTest {
    private static final SloSpec SPEC = Specs.spec(
            percentile("p99", group(READ), "99", millis(100, 200, 500)),
            percentileInMinutes("p95-minutes", group(READ), "95", millis(50, 100, 200), "99"),
            latencyRatio("fast", group(READ), Duration.ofMillis(250), atLeast("99", "98", "95"), rolling(30, BudgetingMethod.EVENTS)),
            errorRate("errors", group("*"), atMost("0.1", "0.5", "1"), rolling(30, BudgetingMethod.EVENTS)),
            availability("availability", group("*"), atLeast("99.9", "99.5", "99"), rolling(28, BudgetingMethod.TIMESLICES), "5"),
            throughput("rps", group("*"), 10, 20.0),
            cacheHitRatio("cache", group(READ), atLeast("80", "70", "50")));

    /** Eight hours of mixed traffic (so both minute and hour frames are involved), split between two engines at random. */
    private static SloEngine[] recordSplit(TestClock clockA, TestClock clockB, TestClock clockWhole) {
        SloEngine a = SloEngine.create(SPEC, clockA), b = SloEngine.create(SPEC, clockB), whole = SloEngine.create(SPEC, clockWhole);
        SplittableRandom random = new SplittableRandom(7);
        CacheResult[] caches = CacheResult.values();
        Failure[] failures = Failure.values();
        for (int minute = 0; minute < 8 * 60; minute++) {
            for (int i = 0; i < 200; i++) {
                long t = clockWhole.millis() + random.nextLong(60_000);
                String group = random.nextBoolean() ? READ : "unknown-group";
                int status = random.nextInt(100) < 3 ? 503 : random.nextInt(100) < 2 ? 429 : 200;
                Failure failure = random.nextInt(1000) < 5 ? failures[1 + random.nextInt(3)] : Failure.NONE;
                long latency = (long) Math.exp(Math.log(30_000) + random.nextGaussian());
                CacheResult cache = caches[random.nextInt(caches.length)];
                (random.nextBoolean() ? a : b).record(group, "t" + random.nextInt(5), status, failure, latency, cache, t);
                whole.record(group, "t" + random.nextInt(5), status, failure, latency, cache, t);
            }
            clockA.advance(Duration.ofMinutes(1));
            clockB.advance(Duration.ofMinutes(1));
            clockWhole.advance(Duration.ofMinutes(1));
        }
        return new SloEngine[] {a, b, whole};
    }

    @Test
    void mergingTwoHalvesEqualsRecordingTheWholeBitForBit() {
        String start = "2026-05-04T03:17:00Z";
        SloEngine[] engines = recordSplit(TestClock.at(start), TestClock.at(start), TestClock.at(start));
        EngineSnapshot merged = EngineSnapshot.merge(engines[0].snapshot(), engines[1].snapshot());
        EngineSnapshot whole = engines[2].snapshot();

        assertThat(merged.toBytes()).isEqualTo(whole.toBytes());
        assertThat(merged.capturedAt()).isEqualTo(whole.capturedAt());
        var now = whole.capturedAt().plusSeconds(30);
        assertThat(SloEngine.evaluate(SPEC, merged, now)).isEqualTo(SloEngine.evaluate(SPEC, whole, now));
        assertThat(SloEngine.evaluate(SPEC, merged, Window.LAST_6_HOURS, now)).isEqualTo(SloEngine.evaluate(SPEC, whole, Window.LAST_6_HOURS, now));
    }

    @Test
    void mergeIsCommutative() {
        String start = "2026-05-04T03:17:00Z";
        SloEngine[] engines = recordSplit(TestClock.at(start), TestClock.at(start), TestClock.at(start));
        EngineSnapshot a = engines[0].snapshot(), b = engines[1].snapshot();
        assertThat(EngineSnapshot.merge(a, b).toBytes()).isEqualTo(EngineSnapshot.merge(b, a).toBytes());
        assertThat(EngineSnapshot.mergeAll(java.util.List.of(b, a)).toBytes()).isEqualTo(EngineSnapshot.merge(a, b).toBytes());
    }

    @Test
    void serialisedSnapshotEvaluatesLikeTheOriginal() {
        String start = "2026-05-04T03:17:00Z";
        SloEngine engine = recordSplit(TestClock.at(start), TestClock.at(start), TestClock.at(start))[2];
        EngineSnapshot snapshot = engine.snapshot();
        byte[] bytes = snapshot.toBytes();
        EngineSnapshot back = EngineSnapshot.fromBytes(bytes);

        assertThat(back.toBytes()).isEqualTo(bytes);
        var now = snapshot.capturedAt().plusSeconds(10);
        SloReport original = SloEngine.evaluate(SPEC, snapshot, now);
        assertThat(SloEngine.evaluate(SPEC, back, now)).isEqualTo(original);
        assertThat(original.results()).allSatisfy(r -> assertThat(r.events()).isPositive());
        // 96,000 requests over 8 hours stay small on the wire.
        assertThat(bytes.length).isLessThan(400_000);
    }

    @Test
    void rejectsBytesThatAreNotASnapshot() {
        assertThatThrownBy(() -> EngineSnapshot.fromBytes("hello".getBytes()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("snapshot");
        byte[] good = SloEngine.create(SPEC, TestClock.at("2026-01-01T00:00:00Z")).snapshot().toBytes();
        assertThatThrownBy(() -> EngineSnapshot.fromBytes(Arrays.copyOf(good, good.length / 2)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void rejectsASnapshotWhoseContentIsDamaged() throws Exception {
        TestClock clock = TestClock.at("2026-01-01T00:00:00Z");
        SloEngine engine = SloEngine.create(SPEC, clock);
        for (int i = 0; i < 100; i++) engine.record(READ, "t", 200, Failure.NONE, 1_000 + i * 1_000, CacheResult.HIT, clock.millis());
        byte[] raw = new java.util.zip.InflaterInputStream(new java.io.ByteArrayInputStream(engine.snapshot().toBytes())).readAllBytes();
        // Flip a byte well inside the series data (past the header), then re-compress.
        int broken = 0;
        for (int offset = raw.length - 40; offset < raw.length - 5; offset++) {
            byte[] damaged = raw.clone();
            damaged[offset] = (byte) 0xFF;
            var out = new java.io.ByteArrayOutputStream();
            try (var deflate = new java.util.zip.DeflaterOutputStream(out)) {
                deflate.write(damaged);
            }
            try {
                EngineSnapshot s = EngineSnapshot.fromBytes(out.toByteArray());
                SloEngine.evaluate(SPEC, s, clock.instant());  // whatever parses must also evaluate
            } catch (IllegalArgumentException expected) {
                assertThat(expected).hasMessageContaining("snapshot");
                broken++;
            }
        }
        assertThat(broken).isPositive();
    }

    @Test
    void refusesToMergeSnapshotsOfDifferentLayouts() {
        TestClock clock = TestClock.at("2026-01-01T00:00:00Z");
        SloSpec other = Specs.spec(latencyRatio("fast", group(READ), Duration.ofMillis(300), atLeast("99", "98", "95"), rolling(30, BudgetingMethod.EVENTS)));
        EngineSnapshot a = SloEngine.create(SPEC, clock).snapshot();
        EngineSnapshot b = SloEngine.create(other, clock).snapshot();
        assertThatThrownBy(() -> EngineSnapshot.merge(a, b)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("different SLO layouts");
    }

    @Test
    void capturesTakenDaysApartMergeIntoWhatOneEngineWouldReport() {
        // Five days of traffic; B stops (and is captured) a day and a half before A, so A has rolled more
        // hour histograms into day histograms than B. The merge must line them up again.
        TestClock clockA = TestClock.at("2026-05-01T00:00:00Z"), clockB = TestClock.at("2026-05-01T00:00:00Z"),
                clockWhole = TestClock.at("2026-05-01T00:00:00Z");
        SloEngine a = SloEngine.create(SPEC, clockA), b = SloEngine.create(SPEC, clockB), whole = SloEngine.create(SPEC, clockWhole);
        SplittableRandom random = new SplittableRandom(11);
        int minutes = 5 * 1440;
        EngineSnapshot bSnapshot = null;
        for (int m = 0; m < minutes; m++) {
            boolean bActive = m < minutes - 36 * 60;
            for (int i = 0; i < 4; i++) {
                long latency = (long) Math.exp(Math.log(30_000) + random.nextGaussian());
                int status = random.nextInt(50) == 0 ? 500 : 200;
                SloEngine target = bActive && random.nextBoolean() ? b : a;
                target.record(READ, "t", status, Failure.NONE, latency, CacheResult.HIT, clockWhole.millis());
                whole.record(READ, "t", status, Failure.NONE, latency, CacheResult.HIT, clockWhole.millis());
            }
            if (bActive) clockB.advance(Duration.ofMinutes(1));
            else if (bSnapshot == null) bSnapshot = b.snapshot();
            clockA.advance(Duration.ofMinutes(1));
            clockWhole.advance(Duration.ofMinutes(1));
        }
        EngineSnapshot merged = EngineSnapshot.merge(bSnapshot, a.snapshot());
        EngineSnapshot one = whole.snapshot();
        var now = one.capturedAt().plusSeconds(20);
        for (Window w : new Window[] {Window.LAST_1_HOUR, Window.LAST_6_HOURS, Window.LAST_1_DAY, Window.LAST_3_DAYS, Window.LAST_30_DAYS,
                Window.between(now.minus(Duration.ofDays(4)), now.minus(Duration.ofDays(2)))}) {
            assertThat(SloEngine.evaluate(SPEC, merged, w, now)).as(w.label()).isEqualTo(SloEngine.evaluate(SPEC, one, w, now));
        }
        assertThat(Specs.result(SloEngine.evaluate(SPEC, merged, Window.LAST_30_DAYS, now), "p99").events()).isEqualTo(4L * minutes);
        assertThat(SloEngine.evaluate(SPEC, EngineSnapshot.fromBytes(merged.toBytes()), now)).isEqualTo(SloEngine.evaluate(SPEC, one, now));
    }
}
