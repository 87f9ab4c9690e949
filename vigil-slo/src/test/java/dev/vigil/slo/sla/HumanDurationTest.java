package dev.vigil.slo.sla;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class HumanDurationTest {

    @ParameterizedTest
    @CsvSource({
            "2629800, 43 min 50 s",          // 0.1% of an average month
            "3155760, 52 min 36 s",          // 0.01% of an average year
            "31557600, 8 h 45 min 58 s",
            "315576000, 3 d 15 h 40 min",
            "26298, 26.3 s",
            "59970, 1 min",
            "60000, 1 min",
            "3600000, 1 h",
            "86399700, 1 d",
            "864, 864 ms",
            "0, 0 s",
    })
    void formatsBudgets(long millis, String expected) {
        assertThat(HumanDuration.budget(Duration.ofMillis(millis))).isEqualTo(expected);
    }

    @Test
    void formatsNegativeBudgetsAsOverspent() {
        assertThat(HumanDuration.budget(Duration.ofMinutes(-5))).isEqualTo("-5 min");
    }

    @ParameterizedTest
    @CsvSource({
            "100000000, 100 ms",
            "1500000000, 1.5 s",
            "250000, 250 µs",
            "187400000, 187 ms",
            "1234567, 1.23 ms",
            "999600, 1 ms",
            "999, 999 ns",
            "2000000000, 2 s",
            "120000000000, 2 min",
            "90000000000, 1 min 30 s",
            "0, 0 ms",
    })
    void formatsLatencies(long nanos, String expected) {
        assertThat(HumanDuration.latency(Duration.ofNanos(nanos))).isEqualTo(expected);
    }

    @Test
    void formatsMicrosecondsFromTheEngine() {
        assertThat(HumanDuration.latencyMicros(187_000)).isEqualTo("187 ms");
        assertThat(HumanDuration.latencyMicros(850)).isEqualTo("850 µs");
    }
}
