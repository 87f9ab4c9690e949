package dev.vigil.slo.engine;

import java.io.ByteArrayOutputStream;

/** Encoding of an hour's per-minute counter cells (see {@link HourSlice#minutes()}). */
final class MinuteBlocks {
    private MinuteBlocks() {}

    static void append(ByteArrayOutputStream out, int minuteOfHour, long[] counters) {
        int nonZero = 0;
        for (long c : counters) if (c != 0) nonZero++;
        if (nonZero == 0) return;
        Varint.write(out, minuteOfHour);
        Varint.write(out, nonZero);
        int previous = -1;
        for (int cell = 0; cell < counters.length; cell++) {
            if (counters[cell] == 0) continue;
            Varint.write(out, cell - previous - 1);
            Varint.write(out, counters[cell]);
            previous = cell;
        }
    }

    /**
     * Adds a block into {@code perMinute[minuteOfHour][cell]}, allocating rows on first use.
     *
     * @return a bit set (bit = minute of hour) of the minutes present in the block
     */
    static long addInto(byte[] block, long[][] perMinute, int cells) {
        Varint.Reader in = new Varint.Reader(block);
        long present = 0;
        while (in.hasMore()) {
            int minute = in.nextInt();
            if (minute < 0 || minute >= 60) throw new IllegalArgumentException("minute of hour out of range: " + minute);
            int n = in.nextInt();
            long[] row = perMinute[minute];
            if (row == null) row = perMinute[minute] = new long[cells];
            int cell = -1;
            for (int i = 0; i < n; i++) {
                cell += 1 + in.nextInt();
                if (cell >= cells) throw new IllegalArgumentException("counter cell out of range: " + cell);
                row[cell] += in.next();
            }
            present |= 1L << minute;
        }
        return present;
    }

    /** Sum of two blocks, minute by minute. */
    static byte[] merge(byte[] a, byte[] b, int cells) {
        long[][] rows = new long[60][];
        addInto(a, rows, cells);
        addInto(b, rows, cells);
        ByteArrayOutputStream out = new ByteArrayOutputStream(a.length + b.length);
        for (int m = 0; m < 60; m++) if (rows[m] != null) append(out, m, rows[m]);
        return out.toByteArray();
    }
}
