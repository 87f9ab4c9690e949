package dev.vigil.slo.sla;

import dev.vigil.slo.spec.MaintenanceWindow;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * All planned maintenance of an SLO file together: whether an instant is inside any window, and how much of an
 * interval is covered (overlapping windows counted once). Immutable and thread-safe.
 *
 * <p>The one place that turns {@link MaintenanceWindow}s into time: the SLA arithmetic reads it in instants, the
 * engine in whole epoch minutes through {@link #minutes}. Occurrences come from
 * {@link MaintenanceWindow#occurrences}, so time zones and summer-time rules are resolved in one way everywhere.
 */
public final class MaintenanceCalendar {
    private static final MaintenanceCalendar EMPTY = new MaintenanceCalendar(List.of());

    private final List<MaintenanceWindow> windows;

    private MaintenanceCalendar(List<MaintenanceWindow> windows) {
        this.windows = List.copyOf(windows);
    }

    public static MaintenanceCalendar of(List<MaintenanceWindow> windows) {
        return windows.isEmpty() ? EMPTY : new MaintenanceCalendar(windows);
    }

    public List<MaintenanceWindow> windows() { return windows; }

    /** Whether {@code instant} is inside any window. */
    public boolean covers(Instant instant) {
        for (MaintenanceWindow w : windows) if (w.covers(instant)) return true;
        return false;
    }

    /** Every occurrence of every window overlapping {@code [from, to)}, sorted by start. */
    public List<MaintenanceWindow.Occurrence> occurrences(Instant from, Instant to) {
        List<MaintenanceWindow.Occurrence> all = new ArrayList<>();
        for (MaintenanceWindow w : windows) all.addAll(w.occurrences(from, to));
        all.sort((a, b) -> a.start().compareTo(b.start()));
        return all;
    }

    /** Time inside {@code [from, to)} covered by maintenance, overlaps counted once. */
    public Duration excluded(Instant from, Instant to) {
        if (windows.isEmpty() || !from.isBefore(to)) return Duration.ZERO;
        return MaintenanceWindow.Occurrence.unionWithin(occurrences(from, to), from, to);
    }

    /**
     * The epoch minutes (UTC, {@code epochMillis / 60_000}) in {@code [fromMinute, toMinute)} that overlap
     * maintenance at all: a request in such a minute may have met the maintenance, so the whole minute is excluded.
     * Built once per range, then each lookup is a binary search without allocation.
     */
    public Minutes minutes(long fromMinute, long toMinute) {
        if (windows.isEmpty() || fromMinute >= toMinute) return Minutes.NONE;
        List<MaintenanceWindow.Occurrence> all = occurrences(Instant.ofEpochSecond(fromMinute * 60), Instant.ofEpochSecond(toMinute * 60));
        long[] s = new long[all.size()];
        long[] e = new long[all.size()];
        int n = 0;
        // occurrences() is sorted by start, so merging overlapping or touching ranges is one pass.
        for (MaintenanceWindow.Occurrence o : all) {
            long start = Math.max(fromMinute, Math.floorDiv(o.start().toEpochMilli(), 60_000));
            long end = Math.min(toMinute, Math.ceilDiv(o.end().toEpochMilli(), 60_000));
            if (start >= end) continue;
            if (n > 0 && start <= e[n - 1]) {
                e[n - 1] = Math.max(e[n - 1], end);
            } else {
                s[n] = start;
                e[n] = end;
                n++;
            }
        }
        return new Minutes(Arrays.copyOf(s, n), Arrays.copyOf(e, n));
    }

    /** Maintenance as disjoint, sorted ranges of epoch minutes {@code [start, end)}. Immutable. */
    public static final class Minutes {
        /** No maintenance at all. */
        public static final Minutes NONE = new Minutes(new long[0], new long[0]);

        private final long[] starts;
        private final long[] ends;

        private Minutes(long[] starts, long[] ends) {
            this.starts = starts;
            this.ends = ends;
        }

        /** Whether epoch minute {@code minute} is (partly) in maintenance. */
        public boolean contains(long minute) {
            int i = Arrays.binarySearch(starts, minute);
            if (i >= 0) return true;
            int before = -i - 2;
            return before >= 0 && minute < ends[before];
        }

        /** How many minutes of {@code [fromMinute, toMinute)} are in maintenance. */
        public long count(long fromMinute, long toMinute) {
            long total = 0;
            for (int i = 0; i < starts.length; i++) {
                long s = Math.max(starts[i], fromMinute);
                long e = Math.min(ends[i], toMinute);
                if (s < e) total += e - s;
            }
            return total;
        }
    }
}
