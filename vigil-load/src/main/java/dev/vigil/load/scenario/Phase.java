package dev.vigil.load.scenario;

import java.time.Duration;
import java.util.Objects;

/** A stretch of a run with one load shape. All phases of a scenario use the same model. */
public sealed interface Phase permits Phase.Open, Phase.Closed {
    String name();

    Duration duration();

    /** The same phase lasting {@code newDuration} (a ramp keeps its end rates). */
    Phase withDuration(Duration newDuration);

    /**
     * Open model: flows start at a scheduled arrival rate whatever the system does, ramping linearly from
     * {@code arrivalRate} to {@code rampTo} flows per second over the phase.
     *
     * @param arrivalRate flows started per second at the phase's start
     * @param rampTo      flows started per second at the phase's end; equal to {@code arrivalRate} for a flat phase
     */
    record Open(String name, Duration duration, double arrivalRate, double rampTo) implements Phase {
        public Open {
            Objects.requireNonNull(name, "name");
            requirePositive(duration);
            if (!(arrivalRate >= 0) || !(rampTo >= 0) || arrivalRate + rampTo == 0 || Double.isInfinite(arrivalRate)
                    || Double.isInfinite(rampTo)) {
                throw new IllegalArgumentException("arrival rates must be finite, >= 0 and not both 0: "
                        + arrivalRate + " -> " + rampTo);
            }
        }

        @Override public Phase withDuration(Duration newDuration) {
            return new Open(name, newDuration, arrivalRate, rampTo);
        }
    }

    /**
     * Closed model: {@code users} virtual users each run flows back to back, pausing {@code thinkTime}
     * after every request; the request rate is whatever the system allows.
     */
    record Closed(String name, Duration duration, int users, Duration thinkTime) implements Phase {
        public Closed {
            Objects.requireNonNull(name, "name");
            requirePositive(duration);
            if (users < 1) throw new IllegalArgumentException("users must be >= 1: " + users);
            if (thinkTime == null || thinkTime.isNegative()) throw new IllegalArgumentException("thinkTime must be >= 0");
        }

        @Override public Phase withDuration(Duration newDuration) {
            return new Closed(name, newDuration, users, thinkTime);
        }
    }

    private static void requirePositive(Duration d) {
        if (d == null || d.isNegative() || d.isZero()) throw new IllegalArgumentException("duration must be > 0: " + d);
    }
}
