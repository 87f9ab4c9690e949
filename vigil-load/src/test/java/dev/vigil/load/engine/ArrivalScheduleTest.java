package dev.vigil.load.engine;

import dev.vigil.load.scenario.Phase;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class ArrivalScheduleTest {
    @Test
    void spacesAConstantRateEvenly() {
        ArrivalSchedule s = new ArrivalSchedule(List.of(new Phase.Open("p", Duration.ofSeconds(2), 200, 200)));
        assertThat(s.totalArrivals()).isEqualTo(400);
        assertThat(s.intendedNanos(0)).isZero();
        assertThat(s.intendedNanos(1)).isEqualTo(5_000_000);
        assertThat(s.intendedNanos(399)).isEqualTo(1_995_000_000);
        assertThat(s.intendedNanos(400)).isEqualTo(-1);
    }

    @Test
    void rampsLinearlySoEachSecondCarriesItsAverageRate() {
        // 0 -> 100/s over 10 s: 500 arrivals; second i carries 10·i + 5
        ArrivalSchedule s = new ArrivalSchedule(List.of(new Phase.Open("ramp", Duration.ofSeconds(10), 0, 100)));
        assertThat(s.totalArrivals()).isEqualTo(500);
        int[] perSecond = new int[10];
        for (long k = 0; k < s.totalArrivals(); k++) perSecond[(int) (s.intendedNanos(k) / 1_000_000_000L)]++;
        for (int i = 0; i < 10; i++) {
            assertThat((double) perSecond[i]).isCloseTo(10 * i + 5, within(1.0));
            assertThat(s.arrivalsBetween(i, i + 1)).isCloseTo(10 * i + 5, within(1e-9));
        }
    }

    @Test
    void chainsPhasesAndRampsDown() {
        ArrivalSchedule s = new ArrivalSchedule(List.of(
                new Phase.Open("flat", Duration.ofSeconds(1), 100, 100),
                new Phase.Open("down", Duration.ofSeconds(2), 100, 0)));
        assertThat(s.totalArrivals()).isEqualTo(200);
        assertThat(s.intendedNanos(100)).isEqualTo(1_000_000_000L);
        long last = s.intendedNanos(199);
        assertThat(last).isBetween(2_700_000_000L, 3_000_000_000L);
        for (long k = 1; k < 200; k++) assertThat(s.intendedNanos(k)).isGreaterThan(s.intendedNanos(k - 1));
    }
}
