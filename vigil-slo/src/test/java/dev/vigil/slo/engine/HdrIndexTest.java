package dev.vigil.slo.engine;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

class HdrIndexTest {

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4, 5})
    void mapsEveryValueToTheCellHdrHistogramUses(int digits) {
        HdrIndex index = new HdrIndex(digits);
        Histogram reference = index.newHistogram();
        SplittableRandom random = new SplittableRandom(digits);
        for (int i = 0; i < 200_000; i++) {
            long v = i < 5000 ? i : Math.min(HdrIndex.HIGHEST_TRACKABLE_MICROS, (long) Math.exp(random.nextDouble() * Math.log(HdrIndex.HIGHEST_TRACKABLE_MICROS)));
            int cell = index.indexOf(v);
            assertThat(index.valueAt(cell)).as("value %d", v).isEqualTo(reference.lowestEquivalentValue(v));
            assertThat(cell).isLessThan(index.length);
        }
        int last = index.indexOf(HdrIndex.HIGHEST_TRACKABLE_MICROS);
        assertThat(last).isLessThan(index.length);
        assertThat(index.valueAt(index.length - 1)).isGreaterThanOrEqualTo(reference.lowestEquivalentValue(HdrIndex.HIGHEST_TRACKABLE_MICROS));
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 3})
    void convertedCountsAreTheHistogramHdrHistogramWouldHaveRecorded(int digits) {
        HdrIndex index = new HdrIndex(digits);
        Histogram direct = index.newHistogram();
        LongPages pages = new LongPages(index);
        SplittableRandom random = new SplittableRandom(42);
        for (int i = 0; i < 100_000; i++) {
            long v = (long) Math.exp(random.nextGaussian() * 1.5 + 10);
            v = Math.min(v, HdrIndex.HIGHEST_TRACKABLE_MICROS);
            direct.recordValue(v);
            pages.add(index.indexOf(v), 1);
        }
        LongPages decoded = new LongPages(index);
        decoded.addEncoded(pages.encode());
        Histogram converted = index.newHistogram();
        decoded.forEach((cell, count) -> converted.recordValueWithCount(index.valueAt(cell), count));
        assertThat(converted).isEqualTo(direct);
        for (double p : new double[] {0, 50, 90, 99, 99.9, 100}) {
            assertThat(converted.getValueAtPercentile(p)).isEqualTo(direct.getValueAtPercentile(p));
        }
    }
}
