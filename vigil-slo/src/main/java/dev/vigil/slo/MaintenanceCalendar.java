package dev.vigil.slo;

import dev.vigil.slo.spec.MaintenanceWindow;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Which epoch minutes fall in planned maintenance, over a bounded range. A minute is in maintenance when
 * it overlaps a maintenance window at all: a request in it may have met the maintenance.
 */
final class MaintenanceCalendar {
    static final MaintenanceCalendar NONE = new MaintenanceCalendar(new long[0], new long[0]);

    private final long[] starts;
    private final long[] ends;

    private MaintenanceCalendar(long[] starts, long[] ends) {
        this.starts = starts;
        this.ends = ends;
    }

    /** The maintenance minutes overlapping [fromMinute, toMinute). */
    static MaintenanceCalendar of(List<MaintenanceWindow> windows, long fromMinute, long toMinute) {
        if (windows.isEmpty() || fromMinute >= toMinute) return NONE;
        List<long[]> ranges = new ArrayList<>();
        for (MaintenanceWindow w : windows) {
            switch (w) {
                case MaintenanceWindow.OneOff o -> add(ranges, o.start().atZone(zone(o.zone())).toInstant(), o.duration(), fromMinute, toMinute);
                case MaintenanceWindow.Recurring r -> {
                    ZoneId zone = zone(r.zone());
                    LocalDate first = Instant.ofEpochSecond(fromMinute * 60).atZone(zone).toLocalDate()
                            .minusDays(r.duration().toDays() + 1);
                    LocalDate last = Instant.ofEpochSecond(toMinute * 60).atZone(zone).toLocalDate();
                    for (LocalDate d = first; !d.isAfter(last); d = d.plusDays(1)) {
                        if (!r.days().contains(d.getDayOfWeek())) continue;
                        LocalDateTime start = d.atTime(r.start());
                        if (r.until().isPresent() && !start.isBefore(r.until().get())) break;  // until is exclusive
                        add(ranges, start.atZone(zone).toInstant(), r.duration(), fromMinute, toMinute);
                    }
                }
            }
        }
        ranges.sort((a, b) -> Long.compare(a[0], b[0]));
        long[] s = new long[ranges.size()];
        long[] e = new long[ranges.size()];
        int n = 0;
        for (long[] r : ranges) {
            if (n > 0 && r[0] <= e[n - 1]) {
                e[n - 1] = Math.max(e[n - 1], r[1]);
            } else {
                s[n] = r[0];
                e[n] = r[1];
                n++;
            }
        }
        return new MaintenanceCalendar(Arrays.copyOf(s, n), Arrays.copyOf(e, n));
    }

    private static ZoneId zone(ZoneId zone) { return zone == null ? ZoneOffset.UTC : zone; }

    private static void add(List<long[]> ranges, Instant start, java.time.Duration duration, long fromMinute, long toMinute) {
        long startMinute = Math.floorDiv(start.toEpochMilli(), 60_000);
        long endMinute = Math.ceilDiv(start.plus(duration).toEpochMilli(), 60_000);
        long s = Math.max(startMinute, fromMinute);
        long e = Math.min(endMinute, toMinute);
        if (s < e) ranges.add(new long[] {s, e});
    }

    boolean contains(long minute) {
        int i = Arrays.binarySearch(starts, minute);
        if (i >= 0) return true;
        int before = -i - 2;
        return before >= 0 && minute < ends[before];
    }

    /** Maintenance minutes in [fromMinute, toMinute). */
    long minutesIn(long fromMinute, long toMinute) {
        long total = 0;
        for (int i = 0; i < starts.length; i++) {
            long s = Math.max(starts[i], fromMinute);
            long e = Math.min(ends[i], toMinute);
            if (s < e) total += e - s;
        }
        return total;
    }
}
