package dev.vigil.slo.sla;

import dev.vigil.slo.spec.MaintenanceWindow;
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

/** The engine's view of maintenance: whole epoch minutes, a minute partly inside counting as maintenance. */
class MaintenanceMinutesTest {
    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

    private static long minute(String instant) { return Instant.parse(instant).getEpochSecond() / 60; }

    @Test
    void aRecurringWindowThatCrossesMidnightCoversTheNextDaysFirstMinutes() {
        MaintenanceWindow sundayNight = new MaintenanceWindow.Recurring(EnumSet.of(DayOfWeek.SUNDAY), LocalTime.parse("23:30"),
                Duration.ofHours(1), BERLIN, "backups", Optional.of(LocalDateTime.parse("2026-01-20T00:00")));
        MaintenanceCalendar.Minutes calendar = MaintenanceCalendar.of(List.of(sundayNight)).minutes(minute("2026-01-01T00:00:00Z"), minute("2026-02-01T00:00:00Z"));
        // Sunday 2026-01-11 23:30 Berlin = 22:30Z, until Monday 00:30 Berlin = 23:30Z.
        assertThat(calendar.contains(minute("2026-01-11T22:29:00Z"))).isFalse();
        assertThat(calendar.contains(minute("2026-01-11T22:30:00Z"))).isTrue();
        assertThat(calendar.contains(minute("2026-01-11T23:29:00Z"))).isTrue();
        assertThat(calendar.contains(minute("2026-01-11T23:30:00Z"))).isFalse();
        // Sundays in range: 4th, 11th and 18th; the 25th is after 'until'.
        assertThat(calendar.count(minute("2026-01-01T00:00:00Z"), minute("2026-02-01T00:00:00Z"))).isEqualTo(3 * 60);
        assertThat(calendar.contains(minute("2026-01-25T22:45:00Z"))).isFalse();
    }

    @Test
    void aWindowStartingBeforeTheRangeStillCoversItsStart() {
        MaintenanceWindow upgrade = new MaintenanceWindow.OneOff(LocalDateTime.parse("2026-03-10T01:50"), Duration.ofMinutes(30), BERLIN, "db");
        MaintenanceCalendar.Minutes calendar = MaintenanceCalendar.of(List.of(upgrade)).minutes(minute("2026-03-10T01:00:00Z"), minute("2026-03-10T02:00:00Z"));
        // 01:50 Berlin = 00:50Z until 01:20Z; the range starts at 01:00Z.
        assertThat(calendar.count(minute("2026-03-10T01:00:00Z"), minute("2026-03-10T02:00:00Z"))).isEqualTo(20);
        assertThat(calendar.contains(minute("2026-03-10T01:19:00Z"))).isTrue();
        assertThat(calendar.contains(minute("2026-03-10T01:20:00Z"))).isFalse();
    }

    @Test
    void aMinutePartlyInsideAWindowCountsAsMaintenance() {
        MaintenanceWindow odd = new MaintenanceWindow.OneOff(LocalDateTime.parse("2026-03-10T10:00:30"), Duration.ofSeconds(45), ZoneId.of("UTC"), "blip");
        MaintenanceCalendar.Minutes calendar = MaintenanceCalendar.of(List.of(odd)).minutes(minute("2026-03-10T09:00:00Z"), minute("2026-03-10T11:00:00Z"));
        assertThat(calendar.contains(minute("2026-03-10T10:00:00Z"))).isTrue();
        assertThat(calendar.contains(minute("2026-03-10T10:01:00Z"))).isTrue();
        assertThat(calendar.contains(minute("2026-03-10T10:02:00Z"))).isFalse();
    }

    @Test
    void recurringWindowsFollowLocalTimeAcrossTheSummerTimeChange() {
        MaintenanceWindow daily = new MaintenanceWindow.Recurring(EnumSet.allOf(DayOfWeek.class), LocalTime.parse("04:00"),
                Duration.ofMinutes(10), BERLIN, "deploy", Optional.empty());
        MaintenanceCalendar.Minutes calendar = MaintenanceCalendar.of(List.of(daily)).minutes(minute("2026-03-28T00:00:00Z"), minute("2026-03-30T00:00:00Z"));
        assertThat(calendar.contains(minute("2026-03-28T03:00:00Z"))).isTrue();   // 04:00 CET
        assertThat(calendar.contains(minute("2026-03-29T02:00:00Z"))).isTrue();   // 04:00 CEST
        assertThat(calendar.contains(minute("2026-03-29T03:00:00Z"))).isFalse();
    }
}
