package dev.vigil.slo;

import dev.vigil.slo.spec.Objective;
import dev.vigil.slo.spec.SloSpec;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.function.LongSupplier;
import java.util.stream.Stream;

import static dev.vigil.slo.Specs.READ;
import static dev.vigil.slo.Specs.group;
import static dev.vigil.slo.Specs.millis;
import static dev.vigil.slo.Specs.percentile;
import static dev.vigil.slo.Specs.result;
import static org.assertj.core.api.Assertions.assertThat;

class SloEnginePercentileTest {
    private static final String[] PERCENTILES = {"50", "90", "95", "99", "99.9", "99.99", "100"};
    private static final int SAMPLES = 1_000_000;

    static Stream<Arguments> distributions() {
        return Stream.of(
                Arguments.of("uniform 0-2s", 3, (java.util.function.Function<SplittableRandom, LongSupplier>) r -> () -> r.nextLong(2_000_000)),
                Arguments.of("lognormal median 20ms", 3, (java.util.function.Function<SplittableRandom, LongSupplier>) r -> () -> (long) Math.exp(Math.log(20_000) + r.nextGaussian())),
                Arguments.of("bimodal cache 300us / origin 80ms", 3, (java.util.function.Function<SplittableRandom, LongSupplier>) r -> () -> r.nextInt(10) < 7
                        ? (long) Math.max(0, 300 + r.nextGaussian() * 50) : (long) Math.max(0, 80_000 + r.nextGaussian() * 15_000)),
                Arguments.of("lognormal at 2 digits", 2, (java.util.function.Function<SplittableRandom, LongSupplier>) r -> () -> (long) Math.exp(Math.log(5_000) + 1.5 * r.nextGaussian())));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("distributions")
    void percentilesAgreeWithExactSortedArrayWithinPrecision(String name, int digits,
                                                             java.util.function.Function<SplittableRandom, LongSupplier> distribution) {
        Objective[] objectives = Arrays.stream(PERCENTILES)
                .map(p -> percentile("p" + p, group(READ), p, millis(100, 200, 500))).toArray(Objective[]::new);
        SloSpec spec = Specs.spec(digits, java.util.Map.of(), java.util.List.of(), objectives);
        TestClock clock = TestClock.at("2026-03-10T12:00:00Z");
        SloEngine engine = SloEngine.create(spec, clock);
        LongSupplier next = distribution.apply(new SplittableRandom(name.hashCode()));
        long[] samples = new long[SAMPLES];
        long t = clock.millis();
        for (int i = 0; i < SAMPLES; i++) {
            samples[i] = next.getAsLong();
            engine.record(READ, "acme", 200, Failure.NONE, samples[i], CacheResult.NONE, t);
        }
        Arrays.sort(samples);
        clock.advance(java.time.Duration.ofSeconds(30));
        SloReport report = engine.evaluate(Window.LAST_1_MINUTE);

        double relativeError = Math.pow(10, -digits);
        for (String p : PERCENTILES) {
            ObjectiveResult r = result(report, "p" + p);
            // Exact rank ceil(p% × n), in decimal: binary floating point would put p99.9 of 10^6 one rank too high.
            int rank = new java.math.BigDecimal(p).multiply(java.math.BigDecimal.valueOf(SAMPLES))
                    .divide(java.math.BigDecimal.valueOf(100), 0, java.math.RoundingMode.CEILING).intValueExact();
            long exact = samples[Math.max(1, rank) - 1];
            long measured = Math.round(r.measuredValue() * 1000);
            assertThat(r.events()).isEqualTo(SAMPLES);
            // HdrHistogram reports the highest value equivalent to the exact one: never below, within one cell above.
            assertThat(measured).as("%s p%s", name, p).isBetween(exact, exact + (long) Math.floor(exact * relativeError));
        }
    }
}
