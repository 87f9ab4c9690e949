package dev.vigil.load.engine;

import dev.vigil.slo.Failure;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

import java.util.concurrent.atomic.LongAdder;

/**
 * What one step has measured so far. Written by every event loop at once, read once a second by the collector.
 * Memory is constant however long the run: two HdrHistogram {@link Recorder}s (3 significant digits, auto-resizing)
 * and counters — no per-request storage.
 */
final class StepMetrics {
    final String name;
    final String method;
    final int index;
    /** From the intended send time to the last response byte, microseconds. */
    final Recorder latency = new Recorder(3);
    /** From the actual send to the last response byte, microseconds. */
    final Recorder service = new Recorder(3);
    final LongAdder count = new LongAdder();
    final LongAdder status4xx = new LongAdder();
    final LongAdder status5xx = new LongAdder();
    final LongAdder timeouts = new LongAdder();
    final LongAdder refused = new LongAdder();
    final LongAdder resets = new LongAdder();
    final LongAdder unexpectedStatus = new LongAdder();
    final LongAdder captureFailed = new LongAdder();
    final LongAdder late = new LongAdder();
    /** The SLO route group of the step's first request; null without an SLO file. */
    volatile String routeGroup;

    // Collector-thread state: the run so far, built from interval snapshots.
    final Histogram latencyTotal = new Histogram(3);
    final Histogram serviceTotal = new Histogram(3);
    Histogram latencyInterval;
    Histogram serviceInterval;

    StepMetrics(int index, String name, String method) {
        this.index = index;
        this.name = name;
        this.method = method;
    }

    /**
     * Records one finished request. {@code latencyMicros} is recorded when a response arrived or the request timed
     * out (the wait a user had); a refused or reset connection only counts as an error.
     *
     * @param serviceMicros -1 when the request was never sent
     */
    void record(int status, Failure failure, boolean unexpected, long latencyMicros, long serviceMicros, boolean wasLate) {
        count.increment();
        if (failure == Failure.NONE || failure == Failure.TIMEOUT) {
            latency.recordValue(Math.max(0, latencyMicros));
            if (serviceMicros >= 0) service.recordValue(serviceMicros);
        }
        if (status >= 500) status5xx.increment();
        else if (status >= 400) status4xx.increment();
        switch (failure) {
            case TIMEOUT -> timeouts.increment();
            case CONNECT -> refused.increment();
            case RESET -> resets.increment();
            case NONE -> {
                if (unexpected) unexpectedStatus.increment();
            }
        }
        if (wasLate) late.increment();
    }

    long errors() {
        return timeouts.sum() + refused.sum() + resets.sum() + unexpectedStatus.sum() + captureFailed.sum();
    }
}
