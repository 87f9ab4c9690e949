package dev.vigil.slo.engine;

import org.HdrHistogram.WriterReaderPhaser;

import java.io.ByteArrayOutputStream;
import java.util.Collections;
import java.util.TreeMap;

/**
 * The live data of one series. Writers touch only {@link #record}; everything else runs under the
 * store's lock.
 *
 * <p>Design note: the open minute is counted into striped {@link Accumulator}s, each stripe guarded by a
 * {@link WriterReaderPhaser} (HdrHistogram's {@code Recorder} pattern, Gil Tene): writers enter and leave
 * a critical section with one atomic increment each and never block; the reader swaps the active and
 * inactive accumulator, flips the phase (waiting only for writers already inside), and then owns the
 * inactive one exclusively. No count is ever lost at a roll-over, and every request lands wholly in one
 * interval (its latency cell and its counter cell together). Stripes, picked by thread id, keep two
 * threads recording the same series off each other's cache lines.
 */
final class Series {
    final SeriesKey key;
    private final Stripe[] stripes;
    private final int stripeMask;
    private final Layout layout;

    // Everything below is guarded by the store's lock.
    private final LongPages minuteHist;
    private final long[] minuteCounters;
    private boolean minuteAny;
    private long openHour = Long.MIN_VALUE;
    private final LongPages hourHist;
    private final ByteArrayOutputStream hourMinutes = new ByteArrayOutputStream();
    private final TreeMap<Long, byte[]> minuteHists = new TreeMap<>();
    private final TreeMap<Long, HourSlice> hours = new TreeMap<>();
    private final TreeMap<Long, byte[]> days = new TreeMap<>();

    private static final class Stripe {
        final WriterReaderPhaser phaser = new WriterReaderPhaser();
        volatile Accumulator active;
        Accumulator inactive;

        Stripe(Layout layout) {
            active = new Accumulator(layout.index, layout.cells());
            inactive = new Accumulator(layout.index, layout.cells());
        }
    }

    Series(SeriesKey key, Layout layout, int stripeCount) {
        if (Integer.bitCount(stripeCount) != 1) throw new IllegalArgumentException("stripes must be a power of two");
        this.key = key;
        this.layout = layout;
        this.stripes = new Stripe[stripeCount];
        for (int i = 0; i < stripeCount; i++) stripes[i] = new Stripe(layout);
        this.stripeMask = stripeCount - 1;
        this.minuteHist = new LongPages(layout.index);
        this.minuteCounters = new long[layout.cells()];
        this.hourHist = new LongPages(layout.index);
    }

    void record(int histCell, int counterCell) {
        Stripe s = stripes[(int) Thread.currentThread().threadId() & stripeMask];
        long phase = s.phaser.writerCriticalSectionEnter();
        try {
            s.active.record(histCell, counterCell);
        } finally {
            s.phaser.writerCriticalSectionExit(phase);
        }
    }

    /** Moves everything writers counted so far into the open minute. */
    void harvest() {
        for (Stripe s : stripes) {
            s.phaser.readerLock();
            try {
                Accumulator drained = s.active;
                s.active = s.inactive;
                s.inactive = drained;
                s.phaser.flipPhase();
                minuteAny |= drained.drainInto(minuteHist, minuteCounters);
            } finally {
                s.phaser.readerUnlock();
            }
        }
    }

    /** Freezes the open minute as {@code minute} (call {@link #harvest()} first). */
    void closeMinute(long minute) {
        if (!minuteAny) return;
        long hour = Math.floorDiv(minute, 60);
        if (hour != openHour) {
            closeHour();
            openHour = hour;
        }
        minuteHists.put(minute, minuteHist.encode());
        hourHist.addAll(minuteHist);
        MinuteBlocks.append(hourMinutes, Math.floorMod(minute, 60), minuteCounters);
        minuteHist.clear();
        java.util.Arrays.fill(minuteCounters, 0);
        minuteAny = false;
    }

    /**
     * Closes the open hour unless {@code nextMinute} is still in it, moves hour histograms before
     * {@code hourHistogramsFrom} into day histograms, and forgets data older than the retention.
     */
    void advanceTo(long nextMinute, long keepMinutesFrom, long hourHistogramsFrom, long keepHoursFrom) {
        if (openHour != Long.MIN_VALUE && Math.floorDiv(nextMinute, 60) != openHour) closeHour();
        minuteHists.headMap(keepMinutesFrom).clear();
        Frames.rollUpDays(hours, days, hourHistogramsFrom, layout);
        hours.headMap(keepHoursFrom).clear();
        days.headMap(Math.floorDiv(keepHoursFrom, 24)).clear();
    }

    private void closeHour() {
        if (openHour == Long.MIN_VALUE) return;
        if (!hourHist.isEmpty() || hourMinutes.size() > 0) {
            hours.put(openHour, new HourSlice(hourHist.encode(), hourMinutes.toByteArray()));
        }
        hourHist.clear();
        hourMinutes.reset();
        openHour = Long.MIN_VALUE;
    }

    /** Immutable copy including the open minute and hour, as if both closed now. */
    SeriesFrames frames(long openMinute) {
        TreeMap<Long, byte[]> minutes = new TreeMap<>(minuteHists);
        TreeMap<Long, HourSlice> hourCopy = new TreeMap<>(hours);
        long hour = Math.floorDiv(openMinute, 60);
        boolean hourOpen = openHour != Long.MIN_VALUE;
        if (minuteAny || hourOpen) {
            LongPages hist = new LongPages(layout.index);
            ByteArrayOutputStream blocks = new ByteArrayOutputStream();
            if (hourOpen) {
                hist.addAll(hourHist);
                blocks.writeBytes(hourMinutes.toByteArray());
            }
            if (minuteAny) {
                minutes.put(openMinute, minuteHist.encode());
                hist.addAll(minuteHist);
                MinuteBlocks.append(blocks, Math.floorMod(openMinute, 60), minuteCounters);
            }
            hourCopy.put(hourOpen ? openHour : hour, new HourSlice(hist.encode(), blocks.toByteArray()));
        }
        return new SeriesFrames(key, Collections.unmodifiableNavigableMap(minutes), Collections.unmodifiableNavigableMap(hourCopy),
                Collections.unmodifiableNavigableMap(new TreeMap<>(days)));
    }
}
