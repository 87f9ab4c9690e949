package dev.vigil.load.sample;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Arrays;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class ServiceTimeTest {

    @Test
    void parsesEveryTextForm() {
        assertThat(ServiceTime.parse("5ms")).isEqualTo(new ServiceTime.Fixed(Duration.ofMillis(5)));
        assertThat(ServiceTime.parse("fixed:250us")).isEqualTo(new ServiceTime.Fixed(Duration.ofNanos(250_000)));
        assertThat(ServiceTime.parse("uniform:min=2ms,max=1.5s"))
                .isEqualTo(new ServiceTime.Uniform(Duration.ofMillis(2), Duration.ofMillis(1500)));
        assertThat(ServiceTime.parse(" lognormal:median=5ms, p99=40ms "))
                .isEqualTo(new ServiceTime.LogNormal(Duration.ofMillis(5), Duration.ofMillis(40)));
        assertThat(ServiceTime.parse("lognormal:median=5ms,p99=40ms")).hasToString("lognormal:median=5ms,p99=40ms");
    }

    @Test
    void rejectsBadTextSayingWhatIsAllowed() {
        assertThatThrownBy(() -> ServiceTime.parse("5")).hasMessageContaining("needs a unit: us, ms or s");
        assertThatThrownBy(() -> ServiceTime.parse("gauss:mean=5ms")).hasMessageContaining("unknown latency distribution 'gauss'")
                .hasMessageContaining("lognormal:median=5ms,p99=40ms");
        assertThatThrownBy(() -> ServiceTime.parse("lognormal:median=5ms")).hasMessageContaining("missing p99=<duration>");
        assertThatThrownBy(() -> ServiceTime.parse("lognormal:median=5ms,p95=9ms")).hasMessageContaining("expected median=<duration> and p99=<duration>");
        assertThatThrownBy(() -> ServiceTime.parse("lognormal:median=50ms,p99=40ms")).hasMessageContaining("0 < median < p99");
        assertThatThrownBy(() -> ServiceTime.parse("uniform:min=9ms,max=2ms")).hasMessageContaining("must not be below min");
        assertThatThrownBy(() -> ServiceTime.parse("-3ms")).hasMessageContaining("between 0 and 1h");
    }

    @Test
    void fixedAndUniformStayInTheirBounds() {
        var random = new SplittableRandom(1);
        assertThat(ServiceTime.parse("7ms").sampleMicros(random)).isEqualTo(7_000);
        ServiceTime uniform = ServiceTime.parse("uniform:min=2ms,max=4ms");
        long[] samples = new long[20_000];
        for (int i = 0; i < samples.length; i++) {
            samples[i] = uniform.sampleMicros(random);
        }
        assertThat(Arrays.stream(samples).min().orElseThrow()).isBetween(2_000L, 2_010L);
        assertThat(Arrays.stream(samples).max().orElseThrow()).isBetween(3_990L, 4_000L);
        assertThat(Arrays.stream(samples).average().orElseThrow()).isCloseTo(3_000, within(20.0));
    }

    @Test
    void logNormalHitsTheConfiguredMedianAndP99() {
        ServiceTime t = ServiceTime.parse("lognormal:median=5ms,p99=40ms");
        var random = new SplittableRandom(42);
        long[] samples = new long[200_000];
        for (int i = 0; i < samples.length; i++) {
            samples[i] = t.sampleMicros(random);
        }
        Arrays.sort(samples);
        assertThat(samples[samples.length / 2]).isBetween(4_900L, 5_100L);
        assertThat(samples[(int) (samples.length * 0.99)]).isBetween(38_000L, 42_000L);
        assertThat(samples[samples.length - 1]).isLessThanOrEqualTo(400_000L); // capped at 10 x p99
    }
}
