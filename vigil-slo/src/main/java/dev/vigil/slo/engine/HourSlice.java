package dev.vigil.slo.engine;

/**
 * One closed (or, in a snapshot, the open) hour of one series. Immutable; shared by every snapshot
 * taken while the hour is retained.
 */
final class HourSlice {
    private final byte[] hist;
    private final byte[] minutes;
    /** Sum of {@link #minutes}, decoded on first use; racing threads compute the same array. */
    private volatile long[] totals;

    /**
     * @param hist    sparse histogram encoding ({@link LongPages#encode()}) of every request in the hour; empty
     *                once rolled up into a day histogram
     * @param minutes per-minute counter cells: for each minute with traffic, ascending,
     *                {@code minuteOfHour, cellCount, (cellDelta, count)×cellCount} as varints
     */
    HourSlice(byte[] hist, byte[] minutes) {
        this.hist = hist;
        this.minutes = minutes;
    }

    byte[] hist() { return hist; }

    byte[] minutes() { return minutes; }

    /** The hour's counter cells summed over its minutes. Callers must not modify the array. */
    long[] totals(int cells) {
        long[] t = totals;
        if (t == null) {
            long[][] rows = new long[60][];
            MinuteBlocks.addInto(minutes, rows, cells);
            t = new long[cells];
            for (long[] row : rows) {
                if (row == null) continue;
                for (int i = 0; i < cells; i++) t[i] += row[i];
            }
            totals = t;
        }
        return t;
    }
}
