package dev.vigil.slo.spec;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Planned maintenance: minutes inside it are excluded from availability and its budget.
 *
 * <p>Times are local to {@code zone} and resolved the way {@link ZonedDateTime#of} does it: a start in a
 * daylight-saving gap moves forward by the gap (02:30 on a spring-forward night starts at 03:30), a start in an
 * overlap takes the earlier offset. The duration is elapsed time, so a 2 h window that crosses a clock change
 * still excludes exactly 2 h. Intervals are half-open: {@code [start, start + duration)}.
 */
public sealed interface MaintenanceWindow {
    String reason();

    ZoneId zone();

    /** Whether {@code instant} falls inside an occurrence of this window. */
    default boolean covers(Instant instant) {
        return !occurrences(instant, instant.plusNanos(1)).isEmpty();
    }

    /**
     * Every occurrence that overlaps {@code [from, to)}, in start order, not clipped to the interval
     * (occurrences of one window never overlap each other unless its duration exceeds its repeat period).
     */
    List<Occurrence> occurrences(Instant from, Instant to);

    /** Time inside {@code [from, to)} covered by this window (overlapping occurrences counted once). */
    default Duration overlap(Instant from, Instant to) {
        return Occurrence.unionWithin(occurrences(from, to), from, to);
    }

    /** One concrete occurrence, {@code [start, end)}. */
    record Occurrence(Instant start, Instant end) {
        public Occurrence {
            if (start == null || end == null || end.isBefore(start)) throw new IllegalArgumentException("an occurrence needs start <= end");
        }

        public Duration length() { return Duration.between(start, end); }

        /** Length of the union of {@code occurrences} clipped to {@code [from, to)}. */
        public static Duration unionWithin(List<Occurrence> occurrences, Instant from, Instant to) {
            List<Occurrence> sorted = new ArrayList<>(occurrences);
            sorted.sort((a, b) -> a.start.compareTo(b.start));
            Duration total = Duration.ZERO;
            Instant coveredUntil = from;
            for (Occurrence o : sorted) {
                Instant s = o.start.isAfter(coveredUntil) ? o.start : coveredUntil;
                Instant e = o.end.isBefore(to) ? o.end : to;
                if (e.isAfter(s)) {
                    total = total.plus(Duration.between(s, e));
                    coveredUntil = e;
                }
            }
            return total;
        }
    }

    /** One-off, e.g. a database upgrade on a given night. */
    record OneOff(LocalDateTime start, Duration duration, ZoneId zone, String reason) implements MaintenanceWindow {
        public OneOff {
            if (start == null || duration == null || zone == null || reason == null) throw new IllegalArgumentException("start, duration, zone and reason are required");
            if (duration.isNegative() || duration.isZero()) throw new IllegalArgumentException("a maintenance window lasts longer than 0: " + duration);
        }

        public Instant startInstant() { return ZonedDateTime.of(start, zone).toInstant(); }

        public Instant endInstant() { return startInstant().plus(duration); }

        @Override public List<Occurrence> occurrences(Instant from, Instant to) {
            Instant s = startInstant(), e = endInstant();
            return s.isBefore(to) && e.isAfter(from) ? List.of(new Occurrence(s, e)) : List.of();
        }
    }

    /**
     * Recurring at a local time on some days of the week (every day when {@code days} is all seven), starting
     * before {@code until} (local, exclusive) when given.
     */
    record Recurring(Set<DayOfWeek> days, LocalTime start, Duration duration, ZoneId zone, String reason,
                     Optional<LocalDateTime> until) implements MaintenanceWindow {
        public Recurring {
            if (days == null || days.isEmpty()) throw new IllegalArgumentException("a recurring window needs at least one day");
            if (start == null || duration == null || zone == null || reason == null || until == null) {
                throw new IllegalArgumentException("start, duration, zone, reason and until are required");
            }
            if (duration.isNegative() || duration.isZero()) throw new IllegalArgumentException("a maintenance window lasts longer than 0: " + duration);
            days = java.util.Collections.unmodifiableSet(EnumSet.copyOf(days));
        }

        @Override public List<Occurrence> occurrences(Instant from, Instant to) {
            if (!from.isBefore(to)) return List.of();
            // An occurrence that started up to `duration` before `from` may still be running.
            LocalDate first = from.atZone(zone).toLocalDate().minusDays(duration.toDays() + 1);
            LocalDate last = to.atZone(zone).toLocalDate();
            List<Occurrence> out = new ArrayList<>();
            for (LocalDate d = first; !d.isAfter(last); d = d.plusDays(1)) {
                if (!days.contains(d.getDayOfWeek())) continue;
                LocalDateTime local = d.atTime(start);
                if (until.isPresent() && !local.isBefore(until.get())) break;
                Instant s = ZonedDateTime.of(local, zone).toInstant();
                Instant e = s.plus(duration);
                if (s.isBefore(to) && e.isAfter(from)) out.add(new Occurrence(s, e));
            }
            return out;
        }
    }
}
