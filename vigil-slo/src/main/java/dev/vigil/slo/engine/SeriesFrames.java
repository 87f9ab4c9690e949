package dev.vigil.slo.engine;

import java.util.NavigableMap;

/**
 * Immutable data of one series in a snapshot.
 *
 * @param minutes epoch minute → sparse histogram of that minute (the recent minutes only)
 * @param hours   epoch hour → histogram and per-minute counters of that hour (the whole retention)
 */
record SeriesFrames(SeriesKey key, NavigableMap<Long, byte[]> minutes, NavigableMap<Long, HourSlice> hours) {}
