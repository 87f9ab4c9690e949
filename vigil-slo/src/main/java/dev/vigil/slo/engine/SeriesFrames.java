package dev.vigil.slo.engine;

import java.util.NavigableMap;

/**
 * Immutable data of one series in a snapshot.
 *
 * @param minutes epoch minute → sparse histogram of that minute (the recent minutes only)
 * @param hours   epoch hour → per-minute counters of that hour (the whole retention) and its histogram (recent
 *                days only; older hours have an empty histogram, moved into {@code days})
 * @param days    epoch day (UTC) → histogram of the hours rolled up from {@code hours}
 */
record SeriesFrames(SeriesKey key, NavigableMap<Long, byte[]> minutes, NavigableMap<Long, HourSlice> hours,
                    NavigableMap<Long, byte[]> days) {}
