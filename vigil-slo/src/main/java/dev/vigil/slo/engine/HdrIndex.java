package dev.vigil.slo.engine;

import org.HdrHistogram.Histogram;

/**
 * HdrHistogram's value-to-bucket mapping, reproduced so the hot path can count into a plain
 * {@code int} array without a {@link Histogram} per accumulator (an {@code AtomicHistogram} of the same
 * range costs twice the memory and an extra contended total-count update per value).
 *
 * <p>The arithmetic is that of {@code AbstractHistogram} with a lowest discernible value of 1 µs, so a
 * cell index computed here holds exactly the values HdrHistogram would put in the same cell;
 * {@link #valueAt(int)} gives a value that HdrHistogram maps back to that cell, which makes the
 * conversion to a {@link Histogram} bit-exact (tested against HdrHistogram itself).
 */
final class HdrIndex {
    /** Latencies above this are clamped to it: one hour, in microseconds. */
    static final long HIGHEST_TRACKABLE_MICROS = 3_600_000_000L;

    final int digits;
    final int subBucketHalfCountMagnitude;
    final int subBucketHalfCount;
    final long subBucketMask;
    final int leadingZeroCountBase;
    /** Number of cells for the range 0..{@link #HIGHEST_TRACKABLE_MICROS}. */
    final int length;

    HdrIndex(int digits) {
        if (digits < 1 || digits > 5) throw new IllegalArgumentException("precision is 1 to 5 significant digits: " + digits);
        this.digits = digits;
        long largestWithSingleUnitResolution = 2 * (long) Math.pow(10, digits);
        int subBucketCountMagnitude = (int) Math.ceil(Math.log(largestWithSingleUnitResolution) / Math.log(2));
        subBucketHalfCountMagnitude = Math.max(subBucketCountMagnitude, 1) - 1;
        int subBucketCount = 1 << (subBucketHalfCountMagnitude + 1);
        subBucketHalfCount = subBucketCount / 2;
        subBucketMask = subBucketCount - 1;
        leadingZeroCountBase = 64 - subBucketHalfCountMagnitude - 1;
        long smallestUntrackable = subBucketCount;
        int buckets = 1;
        while (smallestUntrackable <= HIGHEST_TRACKABLE_MICROS) {
            smallestUntrackable <<= 1;
            buckets++;
        }
        length = (buckets + 1) << subBucketHalfCountMagnitude;
    }

    /** The cell of {@code micros}, which must be in 0..{@link #HIGHEST_TRACKABLE_MICROS}. */
    int indexOf(long micros) {
        int bucketIndex = leadingZeroCountBase - Long.numberOfLeadingZeros(micros | subBucketMask);
        int subBucketIndex = (int) (micros >>> bucketIndex);
        return ((bucketIndex + 1) << subBucketHalfCountMagnitude) + (subBucketIndex - subBucketHalfCount);
    }

    /** The lowest value of cell {@code index}. */
    long valueAt(int index) {
        int bucketIndex = (index >> subBucketHalfCountMagnitude) - 1;
        int subBucketIndex = (index & (subBucketHalfCount - 1)) + subBucketHalfCount;
        if (bucketIndex < 0) {
            subBucketIndex -= subBucketHalfCount;
            bucketIndex = 0;
        }
        return ((long) subBucketIndex) << bucketIndex;
    }

    /** An empty HdrHistogram with the same cells. */
    Histogram newHistogram() {
        return new Histogram(1, HIGHEST_TRACKABLE_MICROS, digits);
    }

    /** Page size for lazily allocated count arrays: one half-bucket, so a page is one octave's upper half. */
    int pageShift() { return subBucketHalfCountMagnitude; }
}
