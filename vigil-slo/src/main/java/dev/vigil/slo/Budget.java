package dev.vigil.slo;

import dev.vigil.slo.spec.BudgetingMethod;
import dev.vigil.slo.spec.Ratio;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * An objective's error budget over its period, at the evaluation instant.
 *
 * <p>Units follow the budgeting method: requests ({@code EVENTS}) or minutes with traffic
 * ({@code TIMESLICES}). With events the budget grows with traffic: {@code total} is the fraction of the
 * requests seen so far in the period. With time slices it is the fraction of all minutes in the whole
 * period (maintenance excluded), as windows-based SLOs are usually stated.
 *
 * @param periodStart      start of the period (the month's first instant, or now − N days)
 * @param periodEnd        end of the period (the month's last instant, or now)
 * @param fraction         budget as a share of eligible units, exact: 100% − 99.9% = 0.1%
 * @param method           events or time slices
 * @param eligible         units counted so far in the period (requests, or minutes with traffic)
 * @param bad              units that were bad (failed requests, or bad minutes)
 * @param total            bad units the budget allows ({@code fraction × eligible}, or {@code fraction × period minutes})
 * @param consumed         {@code bad ÷ total}; 1.0 means exactly spent, above 1 overspent (+∞ with a zero budget)
 * @param remaining        {@code 1 − consumed}, negative when overspent
 * @param totalTime        availability only: allowed downtime over the whole period ({@code fraction × period length}),
 *                         e.g. 43 min 12 s for 99.9% over 30 days
 * @param consumedTime     availability only: measured downtime so far; bad minutes with time slices, or the bad share of
 *                         requests times the time elapsed in the period with events
 * @param remainingTime    availability only: {@code totalTime − consumedTime}, negative when overspent
 */
public record Budget(Instant periodStart, Instant periodEnd, Ratio fraction, BudgetingMethod method, long eligible, long bad,
                     double total, double consumed, double remaining, Optional<Duration> totalTime,
                     Optional<Duration> consumedTime, Optional<Duration> remainingTime) {}
