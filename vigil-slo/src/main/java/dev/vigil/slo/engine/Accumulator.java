package dev.vigil.slo.engine;

import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Where writers count while a minute is open: histogram cells in pages allocated on first touch (an
 * octave's upper half per page, 8 KB at 3 digits), plus one counter per counter cell. One record is two
 * uncontended atomic increments. Cells are {@code long}s: a caller that passes frozen timestamps and never
 * evaluates is never harvested, and an {@code int} cell would wrap after 2^31 equal latencies.
 *
 * <p>Steady state allocates nothing: pages stay allocated (and are zeroed on drain) once touched.
 */
final class Accumulator {
    private final int shift;
    private final int mask;
    private final AtomicReferenceArray<AtomicLongArray> pages;
    private final AtomicLongArray counters;

    Accumulator(HdrIndex index, int counterCells) {
        this.shift = index.pageShift();
        this.mask = (1 << shift) - 1;
        this.pages = new AtomicReferenceArray<>((index.length + mask) >>> shift);
        this.counters = new AtomicLongArray(counterCells);
    }

    /** @param histCell histogram cell, or −1 when the request carries no latency */
    void record(int histCell, int counterCell) {
        if (histCell >= 0) {
            AtomicLongArray page = pages.get(histCell >>> shift);
            if (page == null) page = allocate(histCell >>> shift);
            page.getAndIncrement(histCell & mask);
        }
        counters.getAndIncrement(counterCell);
    }

    private AtomicLongArray allocate(int p) {
        AtomicLongArray fresh = new AtomicLongArray(mask + 1);
        AtomicLongArray witness = pages.compareAndExchange(p, null, fresh);
        return witness == null ? fresh : witness;
    }

    /**
     * Moves every count into {@code hist} and {@code counterTotals} and zeroes this accumulator.
     * Only called after a phase flip, when no writer is inside this accumulator.
     *
     * @return whether anything was recorded
     */
    boolean drainInto(LongPages hist, long[] counterTotals) {
        boolean any = false;
        for (int c = 0; c < counterTotals.length; c++) {
            long v = counters.get(c);
            if (v != 0) {
                counterTotals[c] += v;
                counters.set(c, 0);
                any = true;
            }
        }
        if (!any) return false;  // every request increments a counter cell, so no histogram counts either
        for (int p = 0; p < pages.length(); p++) {
            AtomicLongArray page = pages.get(p);
            if (page == null) continue;
            for (int i = 0; i <= mask; i++) {
                long v = page.get(i);
                if (v != 0) {
                    hist.add((p << shift) | i, v);
                    page.set(i, 0);
                }
            }
        }
        return true;
    }
}
