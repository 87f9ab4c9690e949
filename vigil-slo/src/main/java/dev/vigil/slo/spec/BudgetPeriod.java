package dev.vigil.slo.spec;

import java.time.Duration;
import java.time.ZoneId;

/** The compliance period an error budget is spent over. */
public sealed interface BudgetPeriod {
    /** The calendar month in a time zone, as most contracts state availability. */
    record CalendarMonth(ZoneId zone) implements BudgetPeriod {}

    /** A rolling window of whole days ending now. */
    record Rolling(int days) implements BudgetPeriod {
        public Rolling {
            if (days < 1 || days > 366) throw new IllegalArgumentException("a rolling period is 1 to 366 days: " + days);
        }
        public Duration length() { return Duration.ofDays(days); }
    }
}
