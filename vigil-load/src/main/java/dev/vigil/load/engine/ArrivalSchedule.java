package dev.vigil.load.engine;

import dev.vigil.load.scenario.Phase;

import java.util.List;

/**
 * When each arrival of an open-model run is due: arrival {@code k} (0-based) is intended at the time {@code t} where
 * the number of arrivals so far, {@code A(t) = ∫ rate}, reaches {@code k}. Rates ramp linearly within a phase, so
 * {@code A} is piecewise quadratic and inverted in closed form — no drift however long the run, no state.
 *
 * <p>This is the "intended time" that latency is measured from (wrk2's coordinated-omission correction): a
 * request that is sent late because the system or the connection pool was busy still counts from here.
 */
final class ArrivalSchedule {
    private final double[] startSeconds;   // phase start, seconds since the run's start
    private final double[] durationSeconds;
    private final double[] rate0;          // arrivals per second at phase start
    private final double[] rate1;          // at phase end
    private final double[] arrivalsBefore; // A(start of phase)
    private final long totalArrivals;

    ArrivalSchedule(List<Phase.Open> phases) {
        int n = phases.size();
        startSeconds = new double[n];
        durationSeconds = new double[n];
        rate0 = new double[n];
        rate1 = new double[n];
        arrivalsBefore = new double[n];
        double t = 0;
        double a = 0;
        for (int i = 0; i < n; i++) {
            Phase.Open p = phases.get(i);
            startSeconds[i] = t;
            durationSeconds[i] = p.duration().toNanos() / 1e9;
            rate0[i] = p.arrivalRate();
            rate1[i] = p.rampTo();
            arrivalsBefore[i] = a;
            t += durationSeconds[i];
            a += (rate0[i] + rate1[i]) / 2 * durationSeconds[i];
        }
        // A(end) arrivals happen in [0, end): k = 0 .. ceil(A(end)) - 1, and none exactly at the end.
        long total = (long) Math.ceil(a - 1e-9);
        totalArrivals = Math.max(total, 0);
    }

    /** How many arrivals the whole schedule holds. */
    long totalArrivals() { return totalArrivals; }

    /** Intended time of arrival {@code k}, nanoseconds since the run's start, or -1 when {@code k} is past the end. */
    long intendedNanos(long k) {
        if (k < 0 || k >= totalArrivals) return -1;
        int i = arrivalsBefore.length - 1;
        while (i > 0 && arrivalsBefore[i] > k) i--;
        // skip zero-arrival phases (rate 0 -> 0 is rejected, but a phase can end exactly at k)
        double n = k - arrivalsBefore[i];
        double r0 = rate0[i];
        double slope = (rate1[i] - r0) / durationSeconds[i]; // arrivals per second per second
        double tau;
        if (slope == 0) {
            tau = n / r0;
        } else {
            // solve r0·τ + slope·τ²/2 = n; this form stays exact as slope -> 0 and for ramps down
            double disc = r0 * r0 + 2 * slope * n;
            tau = 2 * n / (r0 + Math.sqrt(Math.max(disc, 0)));
        }
        tau = Math.min(tau, durationSeconds[i]);
        return (long) ((startSeconds[i] + tau) * 1e9);
    }

    /** Arrivals scheduled in [fromSeconds, toSeconds): the target rate over that interval times its length. */
    double arrivalsBetween(double fromSeconds, double toSeconds) {
        return cumulative(toSeconds) - cumulative(fromSeconds);
    }

    private double cumulative(double t) {
        if (t <= 0) return 0;
        for (int i = startSeconds.length - 1; i >= 0; i--) {
            if (t >= startSeconds[i]) {
                double tau = Math.min(t - startSeconds[i], durationSeconds[i]);
                double slope = (rate1[i] - rate0[i]) / durationSeconds[i];
                return arrivalsBefore[i] + rate0[i] * tau + slope * tau * tau / 2;
            }
        }
        return 0;
    }
}
