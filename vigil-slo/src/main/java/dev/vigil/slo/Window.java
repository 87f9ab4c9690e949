package dev.vigil.slo;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;

/**
 * A stretch of time an objective is measured over, ending at the evaluation instant unless explicit.
 *
 * <p>Resolution: the engine counts in whole epoch minutes (UTC). "Last N minutes" is the open minute and
 * the N−1 closed minutes before it, so it covers between N−1 and N minutes of wall time; an explicit
 * interval is widened to the minutes it touches. Request counts, ratios, budgets and burn rates are
 * minute-exact for every window the engine retains (≥ 32 days). Latency percentiles are minute-exact
 * back to the start of the hour six hours before now, hour-exact back to the start of the UTC day three
 * days before today, and day-exact before that: the part of a window older than 6 h is widened to whole
 * hours (windows up to 3 days gain at most 59 minutes at their trailing edge), the part older than
 * 3 days to whole UTC days.
 */
public sealed interface Window {
    Last LAST_1_MINUTE = new Last(Duration.ofMinutes(1));
    Last LAST_5_MINUTES = new Last(Duration.ofMinutes(5));
    Last LAST_30_MINUTES = new Last(Duration.ofMinutes(30));
    Last LAST_1_HOUR = new Last(Duration.ofHours(1));
    Last LAST_2_HOURS = new Last(Duration.ofHours(2));
    Last LAST_6_HOURS = new Last(Duration.ofHours(6));
    Last LAST_1_DAY = new Last(Duration.ofDays(1));
    Last LAST_3_DAYS = new Last(Duration.ofDays(3));
    Last LAST_28_DAYS = new Last(Duration.ofDays(28));
    Last LAST_30_DAYS = new Last(Duration.ofDays(30));

    /** Short human label, e.g. {@code last 5m}, {@code calendar month (Europe/Berlin)}. */
    String label();

    static Last last(Duration length) { return new Last(length); }

    static CalendarMonth calendarMonth(ZoneId zone) { return new CalendarMonth(zone); }

    static Between between(Instant from, Instant to) { return new Between(from, to); }

    /** The trailing {@code length}, a whole number of minutes from 1 minute to 366 days. */
    record Last(Duration length) implements Window {
        public Last {
            if (length == null || length.toMinutes() < 1 || length.toDays() > 366
                    || !length.equals(Duration.ofMinutes(length.toMinutes()))) {
                throw new IllegalArgumentException("a window is a whole number of minutes from 1m to 366d: " + length);
            }
        }

        public long minutes() { return length.toMinutes(); }

        @Override public String label() {
            long m = length.toMinutes();
            if (m % 1440 == 0) return "last " + m / 1440 + "d";
            if (m % 60 == 0) return "last " + m / 60 + "h";
            return "last " + m + "m";
        }
    }

    /** The calendar month so far, in {@code zone}; its budget period is the whole month's actual length. */
    record CalendarMonth(ZoneId zone) implements Window {
        public CalendarMonth {
            if (zone == null) throw new IllegalArgumentException("a calendar month needs a time zone");
        }

        @Override public String label() { return "calendar month (" + zone.getId() + ")"; }
    }

    /** The explicit interval [from, to), e.g. one load-test run. */
    record Between(Instant from, Instant to) implements Window {
        public Between {
            if (from == null || to == null || !from.isBefore(to)) throw new IllegalArgumentException("need from < to: " + from + ", " + to);
        }

        @Override public String label() { return from + " .. " + to; }
    }
}
