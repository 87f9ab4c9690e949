package dev.vigil.gateway.policy.ratelimit;

import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One limit inside a plan, a route override or the global ceiling. A request is admitted only when
 * every limit that applies to it admits it; a refused request consumes nothing.
 */
public sealed interface Limit permits Limit.Rate, Limit.Quota {

    /** Largest count accepted: Redis evaluates limits in Lua doubles, exact up to 2^53. */
    long MAX_COUNT = 1L << 53;

    /** Policy name as shown in the {@code RateLimit} header fields; letters, digits, {@code . _ -}. */
    String name();

    /** The allowance advertised as {@code q}. */
    long count();

    /** The window advertised as {@code w}, in whole seconds (at least 1). */
    long windowSeconds();

    /**
     * A sustained rate with a burst, enforced with GCRA (the generic cell rate algorithm).
     *
     * <p>Why GCRA rather than a token bucket: both admit the same traffic, but GCRA keeps ONE number
     * per key (the theoretical arrival time) instead of tokens plus a refill timestamp, so the Redis
     * script reads and writes one key per limit and needs no fractional-token bookkeeping.
     *
     * @param count requests per {@code per}, the sustained rate
     * @param per   the period of the sustained rate, whole seconds (100 per 1s, 6000 per 1m)
     * @param burst requests admitted back to back when the key is idle (at least 1)
     */
    record Rate(String name, long count, Duration per, long burst) implements Limit {
        public Rate {
            checkName(name);
            Objects.requireNonNull(per, "per");
            checkCount(name, count);
            checkCount(name, burst);
            // Whole seconds: the RateLimit-Policy field can only advertise q per w whole seconds.
            if (per.toSeconds() < 1 || per.toNanosPart() != 0) {
                throw new IllegalArgumentException("limit '" + name + "': period must be a whole number of seconds (e.g. 1s, 1m), got " + per);
            }
            long interval = per.toNanos() / count;
            if (interval < 1) {
                throw new IllegalArgumentException("limit '" + name + "': rate above 1e9 per second is not supported");
            }
            try {
                Math.multiplyExact(interval, burst);
            } catch (ArithmeticException e) {
                throw new IllegalArgumentException("limit '" + name + "': burst " + burst + " is too large for the rate", e);
            }
        }

        /** GCRA emission interval T: nanoseconds between two requests at the sustained rate. */
        public long emissionIntervalNanos() { return per.toNanos() / count; }

        /** GCRA tolerance tau = burst × T, in nanoseconds. */
        public long toleranceNanos() { return emissionIntervalNanos() * burst; }

        @Override public long windowSeconds() { return per.toSeconds(); }
    }

    /**
     * A quota per fixed window aligned to the Unix epoch (per minute, hour, day = UTC midnight):
     * the counter restarts at each window boundary, as billing quotas do.
     *
     * @param count  requests admitted per window
     * @param window the window length, whole seconds, at least 1 s
     */
    record Quota(String name, long count, Duration window) implements Limit {
        public Quota {
            checkName(name);
            Objects.requireNonNull(window, "window");
            checkCount(name, count);
            if (window.toSeconds() < 1 || window.toNanosPart() != 0 || window.toMillisPart() != 0) {
                throw new IllegalArgumentException("limit '" + name + "': quota window must be a whole number of seconds, got " + window);
            }
        }

        public long windowNanos() { return window.toNanos(); }

        @Override public long windowSeconds() { return window.toSeconds(); }
    }

    private static void checkName(String name) {
        if (name == null || !LimitNames.NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("limit name must be 1-64 letters, digits, '.', '_' or '-', got '" + name + "'");
        }
    }

    private static void checkCount(String name, long count) {
        if (count < 1 || count > MAX_COUNT) {
            throw new IllegalArgumentException("limit '" + name + "': counts must be between 1 and 2^53, got " + count);
        }
    }
}

final class LimitNames {
    static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    private LimitNames() {}
}
