package dev.vigil.load;

import org.HdrHistogram.Histogram;

/**
 * Receives the latency histogram of every one-second interval of a run, once per step tag and once for
 * {@code "total"} — what an HdrHistogram interval log ({@code .hlog}) is written from.
 *
 * <p>Values are latencies measured from each request's <em>intended</em> send time, in microseconds.
 * The histogram carries its interval in {@link Histogram#getStartTimeStamp()} and
 * {@link Histogram#getEndTimeStamp()} (epoch milliseconds) and its tag in {@link Histogram#getTag()}.
 * The sink owns the histogram after the call: the engine never touches it again.
 *
 * <p>Called from one reporting thread only, in time order; an implementation need not be thread-safe.
 * It must be quick (it runs on the thread that prints live progress).
 */
@FunctionalInterface
public interface IntervalSink {
    /** A sink that drops every interval. */
    IntervalSink NONE = (tag, interval) -> { };

    /**
     * @param tag      the step name, or {@code "total"} for all steps together
     * @param interval latency histogram of one interval, values in microseconds
     */
    void onInterval(String tag, Histogram interval);
}
