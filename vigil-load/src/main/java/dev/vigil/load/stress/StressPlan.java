package dev.vigil.load.stress;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * How a stress run steps its arrival rate up: from {@code startRps}, each step either multiplies the rate by
 * {@code factor} or adds {@code increment}, holding it for {@code stepDuration}, until {@code maxRps}.
 *
 * @param factor    > 1 for geometric steps, or 0 when {@code increment} is used
 * @param increment > 0 for arithmetic steps, or 0 when {@code factor} is used
 */
public record StressPlan(double startRps, double factor, double increment, Duration stepDuration, double maxRps) {
    public StressPlan {
        if (!(startRps > 0)) throw new IllegalArgumentException("--stress-start must be > 0 requests/s, got " + startRps);
        if ((factor > 0) == (increment > 0)) {
            throw new IllegalArgumentException("give exactly one of --stress-factor (> 1) and --stress-increment (> 0)");
        }
        if (factor > 0 && !(factor > 1)) throw new IllegalArgumentException("--stress-factor must be > 1, got " + factor);
        if (stepDuration == null || stepDuration.toMillis() < 1000 || stepDuration.toNanos() % 1_000_000_000L != 0) {
            throw new IllegalArgumentException("--stress-step-duration must be whole seconds, at least 1s, got " + stepDuration);
        }
        if (!(maxRps >= startRps)) throw new IllegalArgumentException("--stress-max must be >= --stress-start");
    }

    /** Geometric steps: start, start·factor, start·factor², ... up to max. */
    public static StressPlan geometric(double startRps, double factor, Duration stepDuration, double maxRps) {
        return new StressPlan(startRps, factor, 0, stepDuration, maxRps);
    }

    /** Arithmetic steps: start, start+increment, ... up to max. */
    public static StressPlan linear(double startRps, double increment, Duration stepDuration, double maxRps) {
        return new StressPlan(startRps, 0, increment, stepDuration, maxRps);
    }

    /** The rates tried, in order; the last is {@code maxRps} when the steps do not land on it exactly. */
    public List<Double> rates() {
        List<Double> out = new ArrayList<>();
        double r = startRps;
        while (r < maxRps * (1 - 1e-9) && out.size() < 10_000) {
            out.add(r);
            r = factor > 0 ? r * factor : r + increment;
        }
        out.add(maxRps);
        return out;
    }
}
