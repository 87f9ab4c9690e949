package dev.vigil.slo.engine;

import dev.vigil.slo.CacheResult;
import dev.vigil.slo.Failure;
import dev.vigil.slo.spec.BudgetPeriod;
import dev.vigil.slo.spec.Objective;
import dev.vigil.slo.spec.SloSpec;

import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Records requests into per-minute, per-hour series and takes snapshots. Internal to vigil-slo; the
 * API is {@link dev.vigil.slo.SloEngine}.
 *
 * <p>Minutes are epoch minutes (UTC), hours epoch hours. The open minute is the clock's current minute;
 * it closes when a request timestamped in a later minute arrives, or when a snapshot is taken, whichever
 * comes first (there is no background thread). A request timestamped in an already closed minute, or in
 * the future, is counted in the open minute: late data is never dropped, at the price of one minute's
 * attribution. Closed minutes keep their histogram for the current hour plus the six before it
 * ({@link #MINUTE_HISTOGRAM_HOURS}); closed hours keep their histogram for the current UTC day plus the
 * three before it ({@link #HOUR_HISTOGRAM_DAYS}), then it is added into a UTC day histogram; per-minute
 * counters are kept for the whole retention (the longest budget period plus a day, at least 32 days).
 */
public final class Store {
    /** Full hours before the current one whose per-minute histograms are kept. */
    public static final int MINUTE_HISTOGRAM_HOURS = 6;
    /** Full days (UTC) before the current one whose per-hour histograms are kept; older ones are per day. */
    public static final int HOUR_HISTOGRAM_DAYS = 3;
    /** Shortest retention of hours, in days: a 31-day month plus a day of slack. */
    static final int MIN_RETENTION_DAYS = 32;

    private final Layout layout;
    private final Topology topology;
    private final InstantSource clock;
    private final Map<String, Group> groups = new HashMap<>();
    private final Group fallback;
    private final List<Series> allSeries = new ArrayList<>();
    /** Guarded by {@link #lock}: a rebind to a spec with another budget period changes it. */
    private long retentionHours;
    /** Guards roll-over and snapshots; writers only ever try it, so they never wait. */
    private final ReentrantLock lock = new ReentrantLock();

    /** Guarded by {@link #lock}. */
    private long openMinute;
    /** A request at or after this instant (epoch ms) checks whether the open minute must close. */
    private volatile long rollCheckAtMillis;

    /** A route group's series, looked up by tenant without allocating. */
    private static final class Group {
        final Map<String, Series> byTenant;
        final Series rest;
        final boolean anyOverride;

        Group(Map<String, Series> byTenant, Series rest) {
            this.byTenant = byTenant;
            this.rest = rest;
            this.anyOverride = !byTenant.isEmpty();
        }

        Series seriesFor(String tenant) {
            if (!anyOverride || tenant == null) return rest;
            Series s = byTenant.get(tenant);
            return s == null ? rest : s;
        }
    }

    public Store(SloSpec spec, InstantSource clock) {
        this(spec, clock, defaultStripes());
    }

    Store(SloSpec spec, InstantSource clock, int stripes) {
        this.layout = Layout.of(spec);
        this.topology = new Topology(spec);
        this.clock = clock;
        this.retentionHours = 24L * retentionDays(spec);
        Map<String, String> attributions = topology.tenantAttributions();
        for (String g : topology.groups()) {
            Map<String, Series> byAttribution = new LinkedHashMap<>();
            for (String a : topology.attributions()) {
                Series s = new Series(new SeriesKey(g, a), layout, stripes);
                byAttribution.put(a, s);
                allSeries.add(s);
            }
            Map<String, Series> byTenant = new HashMap<>();
            attributions.forEach((tenant, a) -> byTenant.put(tenant, byAttribution.get(a)));
            groups.put(g, new Group(byTenant, byAttribution.get(SeriesKey.REST)));
        }
        fallback = groups.get(topology.fallbackGroup());
        openMinute = Math.floorDiv(clock.millis(), 60_000);
        rollCheckAtMillis = (openMinute + 1) * 60_000;
    }

    static int retentionDays(SloSpec spec) {
        int days = MIN_RETENTION_DAYS;
        for (Objective o : spec.objectives()) {
            if (o.errorBudget().map(b -> b.period()).orElse(null) instanceof BudgetPeriod.Rolling r) {
                days = Math.max(days, r.days() + 1);
            }
        }
        return days;
    }

    /**
     * Stripes per series: twice the processors, rounded up to a power of two, at most 8. Threads pick a
     * stripe by id; twice as many stripes as cores keeps two busy threads apart even when their ids are
     * not consecutive. An unused stripe costs about 2 KB.
     */
    static int defaultStripes() {
        int want = Math.min(8, 2 * Math.max(1, Runtime.getRuntime().availableProcessors()));
        return Integer.highestOneBit(want * 2 - 1);
    }

    /**
     * Keeps hours for what {@code spec}'s budget periods need from the next roll-over on, for an engine that
     * rebinds to {@code spec} (which must have this store's {@link RecordingShape}). A longer retention
     * cannot bring back hours already dropped: they are simply missing from the longer period.
     */
    public void retainFor(SloSpec spec) {
        lock.lock();
        try {
            retentionHours = 24L * retentionDays(spec);
        } finally {
            lock.unlock();
        }
    }

    public Layout layout() { return layout; }

    public Topology topology() { return topology; }

    /** Hot path: thread-safe, never blocks, allocation-free (after a series' first requests). */
    public void record(String routeGroup, String tenant, int status, Failure failure, long latencyMicros,
                       CacheResult cache, long epochMillis) {
        Group g = groups.get(routeGroup);
        if (g == null) g = fallback;
        Series s = g.seriesFor(tenant);
        if (epochMillis >= rollCheckAtMillis) maybeRoll(epochMillis);
        int statusClass = Layout.statusClass(status, failure);
        long latency = latencyMicros <= 0 ? 0 : Math.min(latencyMicros, HdrIndex.HIGHEST_TRACKABLE_MICROS);
        int cell = layout.cell(statusClass, layout.level(latency), Layout.cacheKind(cache));
        // A refused connection has no exchange and so no latency worth a percentile.
        int histCell = statusClass == Layout.CONNECT ? -1 : layout.index.indexOf(latency);
        s.record(histCell, cell);
    }

    /**
     * The first writer to see a request from a later minute closes the open one (≈ 50 µs per busy series).
     * Writers that find the lock taken record on: their request counts in whichever minute is open when
     * it lands, which is what the roll-over would have done with it anyway.
     */
    private void maybeRoll(long eventMillis) {
        if (!lock.tryLock()) return;
        try {
            long clockMinute = Math.floorDiv(clock.millis(), 60_000);
            if (clockMinute > openMinute) {
                rollTo(clockMinute);
            } else if (eventMillis >= rollCheckAtMillis) {
                // Timestamp ahead of our clock: count it in the open minute; re-check at most once a second.
                rollCheckAtMillis = eventMillis + 1_000;
            }
        } finally {
            lock.unlock();
        }
    }

    /** Guarded by {@link #lock}. */
    private void rollTo(long minute) {
        long keepMinutesFrom = (Math.floorDiv(minute, 60) - MINUTE_HISTOGRAM_HOURS) * 60;
        long keepHoursFrom = Math.floorDiv(minute, 60) - retentionHours;
        long hourHistogramsFrom = Frames.hourHistogramsFrom(minute) / 60;
        for (Series s : allSeries) {
            s.harvest();
            s.closeMinute(openMinute);
            s.advanceTo(minute, keepMinutesFrom, hourHistogramsFrom, keepHoursFrom);
        }
        openMinute = minute;
        rollCheckAtMillis = (minute + 1) * 60_000;
    }

    /** Closes minutes the clock has left, then captures everything, the open minute included. */
    public Frames snapshot() {
        lock.lock();
        try {
            long clockMinute = Math.floorDiv(clock.millis(), 60_000);
            if (clockMinute > openMinute) rollTo(clockMinute);
            Map<SeriesKey, SeriesFrames> frames = new LinkedHashMap<>();
            for (Series s : allSeries) {
                s.harvest();
                frames.put(s.key, s.frames(openMinute));
            }
            return new Frames(layout, openMinute, frames);
        } finally {
            lock.unlock();
        }
    }
}
