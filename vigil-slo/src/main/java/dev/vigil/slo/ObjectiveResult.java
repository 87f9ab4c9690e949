package dev.vigil.slo;

import dev.vigil.slo.spec.Objective;

import java.util.List;
import java.util.Optional;

/**
 * How one objective fared over one window.
 *
 * @param objective     the objective judged
 * @param window        the window {@code measured} covers
 * @param measured      human text, e.g. {@code 187 ms}, {@code 99.95%} (an error rate: {@code 0.05%}),
 *                      {@code 1250 rps sustained, 1800 rps peak minute}, {@code no traffic}; time slices add
 *                      {@code (9 of 10 minutes good)}, a percentile judged per minute
 *                      {@code ; 99.2% of 60 minutes within 100 ms}
 * @param measuredValue the same as a number: latency in milliseconds, ratios as fractions (0.9995), throughput as
 *                      sustained requests per second; NaN without traffic
 * @param tier          the best tier met; an objective without traffic meets TARGET (nothing failed), see {@code events};
 *                      a percentile judged per minute meets the best tier whose threshold its per-minute
 *                      percentile met in at least {@code goodMinutes} of the minutes with traffic
 * @param budget        for budgeted objectives and percentiles judged in good minutes, the budget over their period
 * @param burnRates     for the same objectives, the four alerting pairs (two PAGE, two TICKET)
 * @param alert         the most urgent firing pair's severity
 * @param events        requests in the window
 */
public record ObjectiveResult(Objective objective, Window window, String measured, double measuredValue, Tier tier,
                              Optional<Budget> budget, List<BurnRate> burnRates, AlertState alert, long events) {
    public ObjectiveResult {
        burnRates = List.copyOf(burnRates);
    }
}
