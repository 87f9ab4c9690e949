package dev.vigil.slo.engine;

import org.HdrHistogram.Histogram;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Collection;
import java.util.Collections;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.Inflater;
import java.util.zip.InflaterInputStream;

/**
 * An immutable capture of every series: what snapshots hold, merge and serialise, and what evaluation
 * reads. Internal to vigil-slo; the API is {@link dev.vigil.slo.EngineSnapshot}.
 *
 * <p>Resolution: counters (and so every ratio, budget and burn rate) have minute resolution over the whole
 * retention. Histograms have minute resolution from the start of the hour six hours before the capture's
 * hour, hour resolution from the start of the UTC day three days before the capture's day, and day
 * resolution before that; the part of a window older than each horizon is widened to whole hours or days.
 */
public final class Frames {
    private static final int MAGIC = 0x56534C4F;  // "VSLO"
    private static final int VERSION = 1;

    final Layout layout;
    final long capturedMinute;
    final Map<SeriesKey, SeriesFrames> series;

    Frames(Layout layout, long capturedMinute, Map<SeriesKey, SeriesFrames> series) {
        this.layout = layout;
        this.capturedMinute = capturedMinute;
        this.series = Collections.unmodifiableMap(new TreeMap<>(series));
    }

    public Layout layout() { return layout; }

    /** Every series in this capture. */
    public java.util.Set<SeriesKey> seriesKeys() { return series.keySet(); }

    /** The epoch minute that was open when this was captured (the latest, for a merge). */
    public long capturedMinute() { return capturedMinute; }

    /** First epoch minute whose histogram is kept per minute. */
    public long minuteHistogramsFrom() {
        return (Math.floorDiv(capturedMinute, 60) - Store.MINUTE_HISTOGRAM_HOURS) * 60;
    }

    /** First epoch minute whose histogram is kept per hour, when {@code openMinute} is open. */
    static long hourHistogramsFrom(long openMinute) {
        return (Math.floorDiv(openMinute, 1440) - Store.HOUR_HISTOGRAM_DAYS) * 1440;
    }

    /** Moves the histograms of hours before {@code hourHistogramsFromHour} into their UTC day's histogram. */
    static void rollUpDays(NavigableMap<Long, HourSlice> hours, NavigableMap<Long, byte[]> days, long hourHistogramsFromHour, Layout layout) {
        // Newest first: older hours were rolled up by earlier calls, so stop at the first empty histogram.
        for (Map.Entry<Long, HourSlice> e : hours.headMap(hourHistogramsFromHour, false).descendingMap().entrySet()) {
            HourSlice h = e.getValue();
            if (h.hist().length == 0) break;
            days.merge(Math.floorDiv(e.getKey(), 24), h.hist(), (p, q) -> addHist(layout, p, q));
            e.setValue(new HourSlice(EMPTY, h.minutes()));
        }
    }

    private static final byte[] EMPTY = new byte[0];

    // ---------------------------------------------------------------- queries

    /**
     * The latency histogram of {@code keys} over epoch minutes [fromMinute, toMinute), in microseconds, read
     * from day, hour and minute histograms by age (see the class comment).
     */
    public Histogram histogram(Collection<SeriesKey> keys, long fromMinute, long toMinute) {
        LongPages sum = new LongPages(layout.index);
        long hoursFrom = Math.max(fromMinute, Math.min(toMinute, hourHistogramsFrom(capturedMinute)));
        long minutesFrom = Math.max(hoursFrom, Math.min(toMinute, minuteHistogramsFrom()));
        for (SeriesKey k : keys) {
            SeriesFrames f = series.get(k);
            if (f == null) continue;
            if (fromMinute < hoursFrom) {
                for (byte[] d : f.days().subMap(Math.floorDiv(fromMinute, 1440), true, Math.floorDiv(hoursFrom - 1, 1440), true).values()) {
                    sum.addEncoded(d);
                }
            }
            if (hoursFrom < minutesFrom) {
                for (HourSlice h : f.hours().subMap(Math.floorDiv(hoursFrom, 60), true, Math.floorDiv(minutesFrom - 1, 60), true).values()) {
                    sum.addEncoded(h.hist());
                }
            }
            if (minutesFrom < toMinute) {
                for (byte[] m : f.minutes().subMap(minutesFrom, toMinute).values()) sum.addEncoded(m);
            }
        }
        Histogram h = layout.index.newHistogram();
        sum.forEach((cell, count) -> h.recordValueWithCount(layout.index.valueAt(cell), count));
        return h;
    }

    /** Receives the summed counter cells of one minute with traffic (see {@link Layout}). */
    @FunctionalInterface
    public interface MinuteVisitor {
        /** @param counters summed cells; owned by the caller of the visitor, valid only during the call */
        void visit(long epochMinute, long[] counters);
    }

    /** Visits, in ascending order, every minute in [fromMinute, toMinute) with traffic in any of {@code keys}. */
    public void forEachMinute(Collection<SeriesKey> keys, long fromMinute, long toMinute, MinuteVisitor visitor) {
        if (fromMinute >= toMinute) return;
        long fromHour = Math.floorDiv(fromMinute, 60);
        long toHour = Math.floorDiv(toMinute - 1, 60);
        TreeSet<Long> hours = new TreeSet<>();
        for (SeriesKey k : keys) {
            SeriesFrames f = series.get(k);
            if (f != null) hours.addAll(f.hours().subMap(fromHour, true, toHour, true).keySet());
        }
        int cells = layout.cells();
        long[][] rows = new long[60][];
        for (long hour : hours) {
            long present = 0;
            for (SeriesKey k : keys) {
                SeriesFrames f = series.get(k);
                if (f == null) continue;
                HourSlice slice = f.hours().get(hour);
                if (slice != null) present |= MinuteBlocks.addInto(slice.minutes(), rows, cells);
            }
            for (int m = 0; m < 60; m++) {
                if ((present & (1L << m)) == 0) continue;
                long minute = hour * 60 + m;
                if (minute >= fromMinute && minute < toMinute) visitor.visit(minute, rows[m]);
                java.util.Arrays.fill(rows[m], 0);
            }
        }
    }

    /** Counter cells summed over [fromMinute, toMinute): whole hours from their cached totals, the edges minute by minute. */
    public long[] totals(Collection<SeriesKey> keys, long fromMinute, long toMinute) {
        long[] sum = new long[layout.cells()];
        MinuteVisitor add = (minute, c) -> {
            for (int i = 0; i < c.length; i++) sum[i] += c[i];
        };
        long firstWholeHour = Math.ceilDiv(fromMinute, 60);
        long endWholeHour = Math.floorDiv(toMinute, 60);
        if (firstWholeHour >= endWholeHour) {
            forEachMinute(keys, fromMinute, toMinute, add);
            return sum;
        }
        forEachMinute(keys, fromMinute, firstWholeHour * 60, add);
        forEachMinute(keys, endWholeHour * 60, toMinute, add);
        for (SeriesKey k : keys) {
            SeriesFrames f = series.get(k);
            if (f == null) continue;
            for (HourSlice h : f.hours().subMap(firstWholeHour, endWholeHour).values()) {
                long[] t = h.totals(sum.length);
                for (int i = 0; i < sum.length; i++) sum[i] += t[i];
            }
        }
        return sum;
    }

    // ---------------------------------------------------------------- merge

    /**
     * The capture of one engine that saw both captures' traffic. Exact: histogram cells and counters add.
     *
     * @throws IllegalArgumentException when the captures come from SLO files with different precision or
     *                                  latency thresholds
     */
    public static Frames merge(Frames a, Frames b) {
        if (!a.layout.compatibleWith(b.layout)) {
            throw new IllegalArgumentException("cannot merge snapshots of different SLO layouts: " + a.layout + " vs " + b.layout);
        }
        long captured = Math.max(a.capturedMinute, b.capturedMinute);
        TreeMap<SeriesKey, SeriesFrames> merged = new TreeMap<>(a.series);
        b.series.forEach((key, fb) -> merged.merge(key, fb, (x, y) -> mergeSeries(a.layout, x, y)));
        // The earlier capture may not have rolled up hours the later one has: roll them up now, so that
        // every histogram is in the place the query looks for it.
        merged.replaceAll((key, f) -> {
            TreeMap<Long, HourSlice> hours = new TreeMap<>(f.hours());
            TreeMap<Long, byte[]> days = new TreeMap<>(f.days());
            rollUpDays(hours, days, hourHistogramsFrom(captured) / 60, a.layout);
            return new SeriesFrames(key, f.minutes(), Collections.unmodifiableNavigableMap(hours), Collections.unmodifiableNavigableMap(days));
        });
        return new Frames(a.layout, captured, merged);
    }

    private static SeriesFrames mergeSeries(Layout layout, SeriesFrames x, SeriesFrames y) {
        TreeMap<Long, byte[]> minutes = new TreeMap<>(x.minutes());
        y.minutes().forEach((m, hist) -> minutes.merge(m, hist, (p, q) -> addHist(layout, p, q)));
        TreeMap<Long, HourSlice> hours = new TreeMap<>(x.hours());
        y.hours().forEach((h, slice) -> hours.merge(h, slice, (p, q) -> new HourSlice(
                addHist(layout, p.hist(), q.hist()), MinuteBlocks.merge(p.minutes(), q.minutes(), layout.cells()))));
        TreeMap<Long, byte[]> days = new TreeMap<>(x.days());
        y.days().forEach((d, hist) -> days.merge(d, hist, (p, q) -> addHist(layout, p, q)));
        return new SeriesFrames(x.key(), Collections.unmodifiableNavigableMap(minutes), Collections.unmodifiableNavigableMap(hours),
                Collections.unmodifiableNavigableMap(days));
    }

    static byte[] addHist(Layout layout, byte[] p, byte[] q) {
        if (p.length == 0) return q;
        if (q.length == 0) return p;
        LongPages sum = new LongPages(layout.index);
        sum.addEncoded(p);
        sum.addEncoded(q);
        return sum.encode();
    }

    // ---------------------------------------------------------------- bytes

    /**
     * Versioned binary form, deflate-compressed: magic {@code VSLO}, version, precision, thresholds, captured
     * minute, then per series its keys, minute histograms, hour slices and day histograms (sparse varint encodings).
     */
    public byte[] toBytes() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(new DeflaterOutputStream(bytes, new Deflater(Deflater.BEST_SPEED), true))) {
            out.writeInt(MAGIC);
            out.writeInt(VERSION);
            out.writeInt(layout.precisionDigits());
            long[] thresholds = layout.thresholdsMicros();
            out.writeInt(thresholds.length);
            for (long t : thresholds) out.writeLong(t);
            out.writeLong(capturedMinute);
            out.writeInt(series.size());
            for (SeriesFrames f : series.values()) {
                out.writeUTF(f.key().group());
                out.writeUTF(f.key().attribution());
                out.writeInt(f.minutes().size());
                for (Map.Entry<Long, byte[]> e : f.minutes().entrySet()) {
                    out.writeLong(e.getKey());
                    writeBytes(out, e.getValue());
                }
                out.writeInt(f.hours().size());
                for (Map.Entry<Long, HourSlice> e : f.hours().entrySet()) {
                    out.writeLong(e.getKey());
                    writeBytes(out, e.getValue().hist());
                    writeBytes(out, e.getValue().minutes());
                }
                out.writeInt(f.days().size());
                for (Map.Entry<Long, byte[]> e : f.days().entrySet()) {
                    out.writeLong(e.getKey());
                    writeBytes(out, e.getValue());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);  // a ByteArrayOutputStream does not fail
        }
        return bytes.toByteArray();
    }

    private static void writeBytes(DataOutputStream out, byte[] b) throws IOException {
        out.writeInt(b.length);
        out.write(b);
    }

    /** @throws IllegalArgumentException when {@code bytes} is not a snapshot of a version this code reads */
    public static Frames fromBytes(byte[] bytes) {
        try (DataInputStream in = new DataInputStream(new InflaterInputStream(new ByteArrayInputStream(bytes), new Inflater()))) {
            if (in.readInt() != MAGIC) throw new IllegalArgumentException("not a Vigil engine snapshot (bad magic number)");
            int version = in.readInt();
            if (version != VERSION) throw new IllegalArgumentException("engine snapshot version " + version + " is not supported (this build reads " + VERSION + ")");
            int digits = in.readInt();
            int n = in.readInt();
            if (n < 0 || n > 10_000) throw new IllegalArgumentException("corrupt engine snapshot: " + n + " thresholds");
            long[] thresholds = new long[n];
            for (int i = 0; i < n; i++) thresholds[i] = in.readLong();
            Layout layout = new Layout(digits, thresholds);
            long captured = in.readLong();
            int seriesCount = in.readInt();
            TreeMap<SeriesKey, SeriesFrames> series = new TreeMap<>();
            for (int s = 0; s < seriesCount; s++) {
                SeriesKey key = new SeriesKey(in.readUTF(), in.readUTF());
                TreeMap<Long, byte[]> minutes = new TreeMap<>();
                int mc = in.readInt();
                for (int i = 0; i < mc; i++) minutes.put(in.readLong(), readBytes(in));
                TreeMap<Long, HourSlice> hours = new TreeMap<>();
                int hc = in.readInt();
                for (int i = 0; i < hc; i++) hours.put(in.readLong(), new HourSlice(readBytes(in), readBytes(in)));
                TreeMap<Long, byte[]> days = new TreeMap<>();
                int dc = in.readInt();
                for (int i = 0; i < dc; i++) days.put(in.readLong(), readBytes(in));
                series.put(key, new SeriesFrames(key, Collections.unmodifiableNavigableMap(minutes), Collections.unmodifiableNavigableMap(hours),
                        Collections.unmodifiableNavigableMap(days)));
            }
            if (in.read() != -1) throw new IllegalArgumentException("corrupt engine snapshot: trailing bytes");
            for (SeriesFrames f : series.values()) validate(layout, f);
            return new Frames(layout, captured, series);
        } catch (IOException e) {
            Throwable cause = e.getCause() instanceof DataFormatException ? e.getCause() : e;
            throw new IllegalArgumentException("corrupt or truncated engine snapshot: " + cause.getMessage(), e);
        }
    }

    /** Decodes every encoding once, so that a damaged snapshot fails here and not in the middle of an evaluation. */
    private static void validate(Layout layout, SeriesFrames f) {
        try {
            LongPages.CellVisitor inRange = (cell, count) -> {
                if (cell >= layout.index.length || count < 0) throw new IllegalArgumentException("histogram cell " + cell + " out of range");
            };
            for (byte[] m : f.minutes().values()) LongPages.forEachEncoded(m, inRange);
            for (byte[] d : f.days().values()) LongPages.forEachEncoded(d, inRange);
            long[][] rows = new long[60][];
            for (HourSlice h : f.hours().values()) {
                LongPages.forEachEncoded(h.hist(), inRange);
                MinuteBlocks.addInto(h.minutes(), rows, layout.cells());
            }
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("corrupt engine snapshot: series " + f.key() + ": " + e.getMessage(), e);
        }
    }

    private static byte[] readBytes(DataInputStream in) throws IOException {
        int len = in.readInt();
        if (len < 0 || len > (1 << 28)) throw new IOException("bad length " + len);
        return in.readNBytes(len);
    }
}
