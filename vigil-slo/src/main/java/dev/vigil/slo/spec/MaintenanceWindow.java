package dev.vigil.slo.spec;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.Optional;
import java.util.Set;

/** Planned maintenance: minutes inside it are excluded from availability and its budget. */
public sealed interface MaintenanceWindow {
    String reason();

    /** One-off, e.g. a database upgrade on a given night. */
    record OneOff(LocalDateTime start, Duration duration, ZoneId zone, String reason) implements MaintenanceWindow {}

    /** Recurring at a local time on some days of the week (every day when {@code days} is all seven). */
    record Recurring(Set<DayOfWeek> days, LocalTime start, Duration duration, ZoneId zone, String reason,
                     Optional<LocalDateTime> until) implements MaintenanceWindow {}
}
