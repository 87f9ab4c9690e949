package dev.vigil.slo.spec;

import org.junit.jupiter.api.Test;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MaintenanceWindowTest {
    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

    private static Instant at(String iso) { return Instant.parse(iso); }

    @Test
    void oneOffCoversItsHalfOpenInterval() {
        var w = new MaintenanceWindow.OneOff(LocalDateTime.of(2026, 12, 6, 2, 0), Duration.ofHours(2), BERLIN, "upgrade");
        // 02:00 CET = 01:00Z
        assertThat(w.covers(at("2026-12-06T00:59:59Z"))).isFalse();
        assertThat(w.covers(at("2026-12-06T01:00:00Z"))).isTrue();
        assertThat(w.covers(at("2026-12-06T02:59:59.999Z"))).isTrue();
        assertThat(w.covers(at("2026-12-06T03:00:00Z"))).isFalse();
        assertThat(w.overlap(at("2026-12-06T00:00:00Z"), at("2026-12-06T02:00:00Z"))).isEqualTo(Duration.ofHours(1));
        assertThat(w.overlap(at("2026-12-01T00:00:00Z"), at("2027-01-01T00:00:00Z"))).isEqualTo(Duration.ofHours(2));
        assertThat(w.overlap(at("2026-12-07T00:00:00Z"), at("2026-12-08T00:00:00Z"))).isZero();
    }

    @Test
    void recurringWindowExcludesElapsedTimeAcrossTheSpringForwardNight() {
        // Every day 01:30 for 2 h in Berlin. On 2026-03-29 clocks jump 02:00 -> 03:00 CEST.
        var w = new MaintenanceWindow.Recurring(EnumSet.allOf(DayOfWeek.class), LocalTime.of(1, 30), Duration.ofHours(2),
                BERLIN, "nightly", Optional.empty());
        List<MaintenanceWindow.Occurrence> occ = w.occurrences(at("2026-03-29T00:00:00Z"), at("2026-03-29T12:00:00Z"));
        assertThat(occ).hasSize(1);
        // 01:30 CET = 00:30Z; two elapsed hours end at 02:30Z = 04:30 CEST local.
        assertThat(occ.getFirst().start()).isEqualTo(at("2026-03-29T00:30:00Z"));
        assertThat(occ.getFirst().end()).isEqualTo(at("2026-03-29T02:30:00Z"));
    }

    @Test
    void recurringStartInsideTheDstGapMovesForward() {
        var w = new MaintenanceWindow.Recurring(EnumSet.of(DayOfWeek.SUNDAY), LocalTime.of(2, 30), Duration.ofMinutes(30),
                BERLIN, "gap", Optional.empty());
        // 2026-03-29 is a Sunday; 02:30 does not exist, java.time moves it to 03:30 CEST = 01:30Z.
        assertThat(w.covers(at("2026-03-29T01:29:59Z"))).isFalse();
        assertThat(w.covers(at("2026-03-29T01:30:00Z"))).isTrue();
        assertThat(w.covers(at("2026-03-29T02:00:00Z"))).isFalse();
    }

    @Test
    void recurringStartInTheFallBackOverlapTakesTheEarlierOffset() {
        var w = new MaintenanceWindow.Recurring(EnumSet.of(DayOfWeek.SUNDAY), LocalTime.of(2, 30), Duration.ofMinutes(30),
                BERLIN, "overlap", Optional.empty());
        // 2026-10-25 (Sunday): 02:30 happens twice; the first is CEST (+02:00) = 00:30Z.
        assertThat(w.covers(at("2026-10-25T00:30:00Z"))).isTrue();
        assertThat(w.covers(at("2026-10-25T01:30:00Z"))).isFalse();
        assertThat(w.overlap(at("2026-10-24T00:00:00Z"), at("2026-10-26T00:00:00Z"))).isEqualTo(Duration.ofMinutes(30));
    }

    @Test
    void weeklyWindowSumsOverAMonthAndStopsAtUntil() {
        var w = new MaintenanceWindow.Recurring(EnumSet.of(DayOfWeek.SUNDAY), LocalTime.of(3, 0), Duration.ofMinutes(30),
                ZoneId.of("UTC"), "patching", Optional.of(LocalDateTime.of(2026, 11, 20, 0, 0)));
        // November 2026 Sundays: 1, 8, 15, (22, 29 after until).
        assertThat(w.overlap(at("2026-11-01T00:00:00Z"), at("2026-12-01T00:00:00Z"))).isEqualTo(Duration.ofMinutes(90));
        assertThat(w.covers(at("2026-11-22T03:10:00Z"))).isFalse();
        assertThat(w.covers(at("2026-11-15T03:10:00Z"))).isTrue();
    }

    @Test
    void windowRunningAcrossMidnightIsFoundFromTheNextDay() {
        var w = new MaintenanceWindow.Recurring(EnumSet.of(DayOfWeek.SATURDAY), LocalTime.of(23, 0), Duration.ofHours(3),
                ZoneId.of("UTC"), "late", Optional.empty());
        // Saturday 2026-11-28 23:00 -> Sunday 02:00.
        assertThat(w.covers(at("2026-11-29T01:59:00Z"))).isTrue();
        assertThat(w.overlap(at("2026-11-29T00:00:00Z"), at("2026-11-29T12:00:00Z"))).isEqualTo(Duration.ofHours(2));
    }

    @Test
    void overlappingOccurrencesAreCountedOnce() {
        var w = new MaintenanceWindow.Recurring(EnumSet.allOf(DayOfWeek.class), LocalTime.of(0, 0), Duration.ofHours(36),
                ZoneId.of("UTC"), "long", Optional.empty());
        assertThat(w.overlap(at("2026-11-01T00:00:00Z"), at("2026-11-03T00:00:00Z"))).isEqualTo(Duration.ofDays(2));
    }

    @Test
    void rejectsEmptyWindows() {
        assertThatThrownBy(() -> new MaintenanceWindow.OneOff(LocalDateTime.now(), Duration.ZERO, BERLIN, "x"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new MaintenanceWindow.Recurring(EnumSet.noneOf(DayOfWeek.class), LocalTime.NOON,
                Duration.ofHours(1), BERLIN, "x", Optional.empty())).isInstanceOf(IllegalArgumentException.class);
    }
}
