package dev.vigil.slo.config;

import dev.vigil.slo.spec.Ratio;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.math.BigDecimal;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class QuantitiesTest {

    @ParameterizedTest
    @CsvSource({
            "150ms, 150000000",
            "2s, 2000000000",
            "1.5s, 1500000000",
            "0.5ms, 500000",
            "250us, 250000",
            "250µs, 250000",
            "7ns, 7",
            "1m30s, 90000000000",
            "1h 30m, 5400000000000",
            "5min, 300000000000",
            "1h, 3600000000000",
            "7d, 604800000000000",
            "1d2h3m4s5ms, 93784005000000",
            "' 100 ms ', 100000000",
            "0, 0",
            "0.0, 0",
    })
    void parsesDurationsWithUnitsAndCompounds(String text, long nanos) {
        assertThat(Quantities.parseDuration(text)).isEqualTo(Duration.ofNanos(nanos));
    }

    @Test
    void rejectsNegativeDurations() {
        assertThatThrownBy(() -> Quantities.parseDuration("-5s"))
                .hasMessageStartingWith("negative durations are not allowed: '-5s'");
    }

    @Test
    void rejectsDurationWithoutUnitAndSuggestsOne() {
        assertThatThrownBy(() -> Quantities.parseDuration("100"))
                .hasMessage("'100' has no unit; expected " + Quantities.DURATION_HELP + " (e.g. 100ms or 100s)");
    }

    @ParameterizedTest
    @ValueSource(strings = {"100 msec", "2 seconds", "1mo", "fast", "30s1m", "1s1s", "1.5", "ms", "1 h x"})
    void rejectsMalformedDurations(String text) {
        assertThatThrownBy(() -> Quantities.parseDuration(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'");
    }

    @Test
    void rejectsOutOfOrderCompoundDurations() {
        assertThatThrownBy(() -> Quantities.parseDuration("30s1m")).hasMessageContaining("larger units first");
    }

    @Test
    void rejectsSubNanosecondDurations() {
        assertThatThrownBy(() -> Quantities.parseDuration("0.5ns")).hasMessageContaining("finer than one nanosecond");
    }

    @Test
    void parsesPercentagesExactly() {
        Ratio r = Quantities.parsePercent("99.9%");
        assertThat(r.fraction()).isEqualByComparingTo(new BigDecimal("0.999"));
        assertThat(r.complement().fraction()).isEqualByComparingTo(new BigDecimal("0.001"));
        assertThat(r.complement().toString()).isEqualTo("0.1%");
        assertThat(Quantities.parsePercent("99.99 %").toString()).isEqualTo("99.99%");
        assertThat(Quantities.parsePercent("100%")).isEqualTo(Ratio.ONE);
        assertThat(Quantities.parsePercent("0%").fraction().signum()).isZero();
        assertThat(Quantities.parsePercent("99.999%").fraction()).isEqualByComparingTo("0.99999");
    }

    @Test
    void rejectsPercentagesOver100() {
        assertThatThrownBy(() -> Quantities.parsePercent("100.1%"))
                .hasMessage("percentages over 100% are not allowed: '100.1%'; expected " + Quantities.PERCENT_HELP);
    }

    @Test
    void rejectsNegativePercentages() {
        assertThatThrownBy(() -> Quantities.parsePercent("-1%")).hasMessageStartingWith("negative percentages are not allowed");
    }

    @Test
    void rejectsPercentWithoutSign() {
        assertThatThrownBy(() -> Quantities.parsePercent("99.9"))
                .hasMessageContaining("'99.9' has no % sign").hasMessageContaining("write 99.9%");
        assertThatThrownBy(() -> Quantities.parsePercent("lots")).hasMessageContaining("'lots' is not a percentage");
    }

    @ParameterizedTest
    @CsvSource({
            "200 rps, 200",
            "10k rps, 10000",
            "10K rps, 10000",
            "2.5M rps, 2500000",
            "600 rpm, 10",
            "1.2k rpm, 20",
            "3600 rph, 1",
            "100/s, 100",
            "120/min, 2",
            "50 req/s, 50",
            "0 rps, 0",
    })
    void parsesRates(String text, double perSecond) {
        assertThat(Quantities.parseRate(text).perSecond()).isEqualTo(perSecond);
    }

    @Test
    void rejectsRatesWithoutUnit() {
        assertThatThrownBy(() -> Quantities.parseRate("10k")).hasMessage("'10k' has no unit; expected " + Quantities.RATE_HELP);
        assertThatThrownBy(() -> Quantities.parseRate("-5 rps")).hasMessageStartingWith("negative rates are not allowed");
        assertThatThrownBy(() -> Quantities.parseRate("5 rpd")).hasMessageStartingWith("'5 rpd' is not a rate");
    }

    @ParameterizedTest
    @CsvSource({
            "512B, 512",
            "64KB, 64000",
            "6MB, 6000000",
            "6 mb, 6000000",
            "1GB, 1000000000",
            "512KiB, 524288",
            "1MiB, 1048576",
            "1.5KiB, 1536",
            "2GiB, 2147483648",
            "0, 0",
    })
    void parsesByteSizes(String text, long bytes) {
        assertThat(Quantities.parseBytes(text)).isEqualTo(bytes);
    }

    @Test
    void rejectsMalformedByteSizes() {
        assertThatThrownBy(() -> Quantities.parseBytes("6")).hasMessage("'6' has no unit; expected " + Quantities.BYTES_HELP);
        assertThatThrownBy(() -> Quantities.parseBytes("6 MiBs")).hasMessageStartingWith("'MiBs' is not a size unit");
        assertThatThrownBy(() -> Quantities.parseBytes("1.5B")).hasMessageContaining("not a whole number of bytes");
        assertThatThrownBy(() -> Quantities.parseBytes("-1KB")).hasMessageStartingWith("negative sizes are not allowed");
        assertThatThrownBy(() -> Quantities.parseBytes("99999999TiB")).hasMessageContaining("too large");
    }
}
