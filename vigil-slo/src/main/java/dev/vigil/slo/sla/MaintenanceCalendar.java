package dev.vigil.slo.sla;

import dev.vigil.slo.spec.MaintenanceWindow;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * All planned maintenance of an SLO file together: whether an instant is inside any window, and how much of an
 * interval is covered (overlapping windows counted once). Immutable and thread-safe.
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
}
