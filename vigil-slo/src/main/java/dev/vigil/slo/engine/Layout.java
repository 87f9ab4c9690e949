package dev.vigil.slo.engine;

import dev.vigil.slo.CacheResult;
import dev.vigil.slo.Failure;
import dev.vigil.slo.spec.Objective;
import dev.vigil.slo.spec.SloSpec;

import java.util.Arrays;
import java.util.TreeSet;

/**
 * What one request is counted as. Internal to vigil-slo: not part of Vigil's API.
 *
 * <p>Besides the latency histogram, every request increments exactly one <em>counter cell</em>
 * addressed by (status class, latency level, cache kind). The latency level is the number of the
 * spec's latency thresholds the request exceeded, so "requests at or under threshold {@code i}" is the
 * sum of levels {@code 0..i}: exact (not rounded to histogram cells) and additive across tenants,
 * instances and minutes. Thresholds are those of latency-ratio objectives and, for latency-percentile
 * objectives judged per minute, the three tier thresholds.
 *
 * <p>Two layouts are compatible (their snapshots merge) when precision and thresholds are equal.
 */
public final class Layout {
    /** Status classes: 1xx-3xx, 4xx other than 429, 429, 5xx, and the three transport failures. */
    public static final int OK = 0, CLIENT_ERROR = 1, RATE_LIMITED = 2, SERVER_ERROR = 3,
            TIMEOUT = 4, CONNECT = 5, RESET = 6, STATUS_CLASSES = 7;
    /** A representative status per class, for {@link dev.vigil.slo.spec.ErrorDefinition#isError(int)}. */
    private static final int[] REPRESENTATIVE_STATUS = {200, 400, 429, 500, 0, 0, 0};
    /** Cache kinds: not a cache lookup, a lookup served from the cache, a lookup that missed. */
    public static final int NOT_LOOKUP = 0, HIT = 1, MISS = 2, CACHE_KINDS = 3;

    final HdrIndex index;
    private final long[] thresholdsMicros;
    private final int levels;
    private final int cells;

    Layout(int precisionDigits, long[] thresholdsMicros) {
        this.index = new HdrIndex(precisionDigits);
        this.thresholdsMicros = thresholdsMicros.clone();
        for (int i = 1; i < thresholdsMicros.length; i++) {
            if (thresholdsMicros[i] <= thresholdsMicros[i - 1]) throw new IllegalArgumentException("thresholds must ascend");
        }
        this.levels = thresholdsMicros.length + 1;
        this.cells = STATUS_CLASSES * levels * CACHE_KINDS;
    }

    /** The layout a spec needs. */
    public static Layout of(SloSpec spec) {
        TreeSet<Long> thresholds = new TreeSet<>();
        for (Objective o : spec.objectives()) {
            if (o instanceof Objective.LatencyRatio r) {
                thresholds.add(micros(r.threshold()));
            } else if (o instanceof Objective.LatencyPercentile p && p.goodMinutes().isPresent()) {
                thresholds.add(micros(p.tiers().target()));
                thresholds.add(micros(p.tiers().acceptable()));
                thresholds.add(micros(p.tiers().critical()));
            }
        }
        return new Layout(spec.precisionDigits(), thresholds.stream().mapToLong(Long::longValue).toArray());
    }

    static long micros(java.time.Duration d) {
        long us = d.toNanos() / 1000;
        return Math.min(Math.max(us, 0), HdrIndex.HIGHEST_TRACKABLE_MICROS);
    }

    public int precisionDigits() { return index.digits; }

    /** Number of counter cells: {@code STATUS_CLASSES × levels × CACHE_KINDS}. */
    public int cells() { return cells; }

    public int levels() { return levels; }

    /** The level whose requests are all at or under {@code threshold}: levels 0..that are "fast enough". */
    public int levelOf(java.time.Duration threshold) {
        int i = Arrays.binarySearch(thresholdsMicros, micros(threshold));
        if (i < 0) throw new IllegalArgumentException("threshold " + threshold + " is not tracked by this snapshot;"
                + " it was taken with a different SLO file");
        return i;
    }

    public int cell(int statusClass, int level, int cacheKind) {
        return (statusClass * levels + level) * CACHE_KINDS + cacheKind;
    }

    public static int representativeStatus(int statusClass) { return REPRESENTATIVE_STATUS[statusClass]; }

    static int statusClass(int status, Failure failure) {
        switch (failure) {
            case TIMEOUT: return TIMEOUT;
            case CONNECT: return CONNECT;
            case RESET: return RESET;
            default: break;
        }
        if (status <= 0) return RESET;  // no response and no reason given: the exchange broke off
        if (status >= 500) return SERVER_ERROR;
        if (status == 429) return RATE_LIMITED;
        if (status >= 400) return CLIENT_ERROR;
        return OK;
    }

    static int cacheKind(CacheResult cache) {
        if (cache.servedFromCache()) return HIT;
        return cache.isLookup() ? MISS : NOT_LOOKUP;
    }

    /** Number of thresholds strictly below {@code latencyMicros}; a short linear scan (a spec has a handful). */
    int level(long latencyMicros) {
        long[] t = thresholdsMicros;
        int level = 0;
        while (level < t.length && latencyMicros > t[level]) level++;
        return level;
    }

    boolean compatibleWith(Layout other) {
        return index.digits == other.index.digits && Arrays.equals(thresholdsMicros, other.thresholdsMicros);
    }

    long[] thresholdsMicros() { return thresholdsMicros.clone(); }

    @Override public String toString() {
        return "Layout[digits=" + index.digits + ", thresholdsMicros=" + Arrays.toString(thresholdsMicros) + "]";
    }
}
