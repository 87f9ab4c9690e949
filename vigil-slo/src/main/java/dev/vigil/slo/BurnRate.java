package dev.vigil.slo;

import java.math.BigDecimal;

/**
 * One long/short window pair of multi-window, multi-burn-rate alerting (Google SRE Workbook, ch. 5).
 * A burn rate is how fast the budget is spent relative to spending it exactly over the period:
 * (bad ÷ eligible in the window) ÷ budget fraction. The pair fires when both windows burn faster
 * than {@code threshold}.
 *
 * @param severity        what this pair asks for when it fires
 * @param longWindow      e.g. last 1h
 * @param shortWindow     the confirmation window that stops the alert quickly once the burn ends, e.g. last 5m
 * @param budgetSpent     the fraction of the period's budget this pair alerts on (0.02 = 2%)
 * @param threshold       derived: {@code budgetSpent × period length ÷ long window} (14.4 for 2% of 30 days in 1 h)
 * @param longBurn        measured burn rate over the long window
 * @param shortBurn       measured burn rate over the short window
 * @param firing          both burn rates above the threshold
 */
public record BurnRate(AlertState severity, Window.Last longWindow, Window.Last shortWindow, BigDecimal budgetSpent,
                       BigDecimal threshold, double longBurn, double shortBurn, boolean firing) {}
