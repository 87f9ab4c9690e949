package dev.vigil.load;

/** Defaults every part of the load lab agrees on. */
public final class LoadDefaults {
    /**
     * A request sent this many milliseconds or more after its intended time counts as late. Below it is
     * scheduler jitter, which still counts in the latency (measured from the intended time) but is not news.
     */
    public static final long LATE_THRESHOLD_MILLIS = 1;

    private LoadDefaults() {}
}
