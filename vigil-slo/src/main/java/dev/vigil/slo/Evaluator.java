package dev.vigil.slo;

import dev.vigil.slo.engine.Frames;
import dev.vigil.slo.engine.Layout;
import dev.vigil.slo.engine.SeriesKey;
import dev.vigil.slo.engine.Topology;
import dev.vigil.slo.sla.HumanDuration;
import dev.vigil.slo.sla.MaintenanceCalendar;
import dev.vigil.slo.spec.BudgetPeriod;
import dev.vigil.slo.spec.Budgeting;
import dev.vigil.slo.spec.BudgetingMethod;
import dev.vigil.slo.spec.ErrorDefinition;
import dev.vigil.slo.spec.Objective;
import dev.vigil.slo.spec.Ratio;
import dev.vigil.slo.spec.SloSpec;
import org.HdrHistogram.Histogram;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Judges a capture against a spec at one instant. Stateless apart from its inputs; one per evaluation.
 *
 * <p>Ratios are decided exactly: a measured ratio is rounded to 20 decimals towards the worse side before
 * {@link dev.vigil.slo.spec.Tiers#classify} compares it with the file's decimal thresholds, and burn-rate
 * thresholds compare integer counts with {@link BigDecimal} products.
 */
final class Evaluator {
    private static final MathContext MC = MathContext.DECIMAL64;

    /** Multi-window, multi-burn-rate pairs of the SRE Workbook (ch. 5, "Alerting on SLOs"). */
    private record Pair(AlertState severity, BigDecimal budgetSpent, Window.Last longWindow, Window.Last shortWindow) {}

    private static final List<Pair> PAIRS = List.of(
            new Pair(AlertState.PAGE, new BigDecimal("0.02"), Window.LAST_1_HOUR, Window.LAST_5_MINUTES),
            new Pair(AlertState.PAGE, new BigDecimal("0.05"), Window.LAST_6_HOURS, Window.LAST_30_MINUTES),
            new Pair(AlertState.TICKET, new BigDecimal("0.10"), Window.LAST_1_DAY, Window.LAST_2_HOURS),
            new Pair(AlertState.TICKET, new BigDecimal("0.10"), Window.LAST_3_DAYS, Window.LAST_6_HOURS));

    /** The minutes a window covers, and the wall-clock interval rates are divided by. */
    record Span(long fromMinute, long toMinute, long fromMillis, long endMillis, Instant periodStart, Instant periodEnd,
                long periodMinutes) {
        double seconds() { return Math.max(1, endMillis - fromMillis) / 1000.0; }
    }

    /** Eligible units (requests or minutes), bad units, and requests seen. */
    private record Sli(long eligible, long bad, long requests) {}

    private final SloSpec spec;
    private final Frames frames;
    private final Layout layout;
    private final Topology topology;
    private final Instant now;
    private final long nowMillis;
    private final long nowMinute;
    private final MaintenanceCalendar maintenance;

    Evaluator(SloSpec spec, Frames frames, Instant now) {
        this.spec = spec;
        this.frames = frames;
        this.layout = frames.layout();
        this.topology = new Topology(spec);
        this.now = now;
        this.nowMillis = now.toEpochMilli();
        this.nowMinute = Math.floorDiv(nowMillis, 60_000);
        this.maintenance = MaintenanceCalendar.of(spec.maintenance());
    }

    SloReport evaluateStandard() {
        List<ObjectiveResult> results = new ArrayList<>();
        for (Objective o : spec.objectives()) results.add(evaluate(o, standardWindow(o)));
        return new SloReport(now, results);
    }

    SloReport evaluate(Window window) {
        List<ObjectiveResult> results = new ArrayList<>();
        for (Objective o : spec.objectives()) results.add(evaluate(o, window));
        return new SloReport(now, results);
    }

    static Window standardWindow(Objective o) {
        return o.errorBudget().map(b -> periodWindow(b.period())).orElse(SloEngine.STANDARD_WINDOW);
    }

    static Window periodWindow(BudgetPeriod period) {
        return switch (period) {
            case BudgetPeriod.Rolling r -> Window.last(Duration.ofDays(r.days()));
            case BudgetPeriod.CalendarMonth m -> Window.calendarMonth(m.zone());
        };
    }

    Span span(Window window) {
        return switch (window) {
            case Window.Last l -> {
                long to = nowMinute + 1;
                long from = to - l.minutes();
                yield new Span(from, to, from * 60_000, nowMillis, now.minus(l.length()), now, l.minutes());
            }
            case Window.CalendarMonth m -> {
                LocalDate first = now.atZone(m.zone()).toLocalDate().withDayOfMonth(1);
                ZonedDateTime start = first.atStartOfDay(m.zone());
                ZonedDateTime next = first.plusMonths(1).atStartOfDay(m.zone());
                long startMillis = start.toInstant().toEpochMilli();
                yield new Span(Math.floorDiv(startMillis, 60_000), nowMinute + 1, startMillis, nowMillis,
                        start.toInstant(), next.toInstant(), Duration.between(start, next).toMinutes());
            }
            case Window.Between b -> {
                long fromMillis = b.from().toEpochMilli();
                long toMillis = b.to().toEpochMilli();
                long from = Math.floorDiv(fromMillis, 60_000);
                long to = Math.ceilDiv(toMillis, 60_000);
                yield new Span(from, to, fromMillis, Math.max(fromMillis, Math.min(toMillis, nowMillis)), b.from(), b.to(), to - from);
            }
        };
    }

    ObjectiveResult evaluate(Objective o, Window window) {
        List<SeriesKey> keys = topology.seriesFor(o, frames.seriesKeys());
        Span span = span(window);
        return switch (o) {
            case Objective.LatencyPercentile p -> percentile(p, keys, window, span);
            case Objective.Throughput t -> throughput(t, keys, window, span);
            case Objective.CacheHitRatio c -> cacheHitRatio(c, keys, window, span);
            case Objective.Budgeted b -> budgeted(b, keys, window, span);
        };
    }

    // ------------------------------------------------------------------ latency percentile

    private ObjectiveResult percentile(Objective.LatencyPercentile p, List<SeriesKey> keys, Window window, Span span) {
        Histogram h = frames.histogram(keys, span.fromMinute(), span.toMinute());
        long n = h.getTotalCount();
        // Judged in good minutes, the percentile spends a budget of minutes: 1 − goodMinutes of its period's.
        Optional<Spending> spending = p.budgeting()
                .map(b -> spending(p, BigDecimal.ONE.subtract(p.goodMinutes().orElseThrow().fraction()), b, keys));
        if (n == 0) return withSpending(p, window, "no traffic", Double.NaN, Tier.TARGET, spending, 0);
        long micros = h.getValueAtPercentile(p.percentile().doubleValue());
        Duration measured = Duration.ofNanos(micros * 1000);
        Tier tier = p.tiers().classify(measured);
        String text = HumanDuration.latencyMicros(micros);
        if (p.goodMinutes().isPresent()) {
            Ratio need = p.goodMinutes().get();
            int[] levels = {layout.levelOf(p.tiers().target()), layout.levelOf(p.tiers().acceptable()), layout.levelOf(p.tiers().critical())};
            long[] good = new long[3];
            long[] minutes = new long[1];
            frames.forEachMinute(keys, span.fromMinute(), span.toMinute(), (minute, c) -> {
                long withLatency = requests(c) - classCount(c, Layout.CONNECT);
                if (withLatency == 0) return;
                minutes[0]++;
                long rank = rank(p, withLatency);
                for (int i = 0; i < 3; i++) if (atOrUnder(c, levels[i], true) >= rank) good[i]++;
            });
            Tier[] tiers = {Tier.TARGET, Tier.ACCEPTABLE, Tier.CRITICAL};
            tier = Tier.BREACH;
            for (int i = 0; i < 3; i++) {
                if (BigDecimal.valueOf(good[i]).compareTo(need.fraction().multiply(BigDecimal.valueOf(minutes[0]))) >= 0) {
                    tier = tiers[i];
                    break;
                }
            }
            text += "; " + percent(good[0], Math.max(1, minutes[0]), RoundingMode.DOWN) + " of " + minutes[0]
                    + " minutes within " + HumanDuration.latency(p.tiers().target());
        }
        return withSpending(p, window, text, micros / 1000.0, tier, spending, n);
    }

    private static ObjectiveResult withSpending(Objective o, Window window, String measured, double value, Tier tier,
                                                Optional<Spending> spending, long events) {
        return new ObjectiveResult(o, window, measured, value, tier, spending.map(Spending::budget),
                spending.map(Spending::burns).orElse(List.of()), spending.map(Spending::alert).orElse(AlertState.NONE), events);
    }

    // ------------------------------------------------------------------ throughput, cache

    private ObjectiveResult throughput(Objective.Throughput t, List<SeriesKey> keys, Window window, Span span) {
        long[] total = new long[1];
        double[] peak = new double[1];
        frames.forEachMinute(keys, span.fromMinute(), span.toMinute(), (minute, c) -> {
            long count = requests(c);
            total[0] += count;
            // A minute's rate divides by the part of it inside the window (at least a second), so a
            // 30-second run or the open minute is not diluted to a full minute.
            long start = Math.max(minute * 60_000, span.fromMillis());
            long end = Math.min((minute + 1) * 60_000, span.endMillis());
            double seconds = Math.max(1_000, end - start) / 1000.0;
            peak[0] = Math.max(peak[0], count / seconds);
        });
        // The rates a system must carry are proven by a run (an explicit interval); over a trailing window
        // of live traffic they are only reported: a quiet night is not a failure to carry load.
        boolean judged = window instanceof Window.Between;
        if (total[0] == 0) {
            boolean nothingRequired = t.sustained().perSecond() == 0 && t.peak().map(r -> r.perSecond() == 0).orElse(true);
            return new ObjectiveResult(t, window, judged ? "no traffic" : "no traffic (live: reported, not judged)", Double.NaN,
                    nothingRequired || !judged ? Tier.TARGET : Tier.BREACH, Optional.empty(), List.of(), AlertState.NONE, 0);
        }
        double sustained = total[0] / span.seconds();
        boolean meets = sustained >= t.sustained().perSecond() && t.peak().map(r -> peak[0] >= r.perSecond()).orElse(true);
        String text = rate(sustained) + " sustained, " + rate(peak[0]) + " peak minute"
                + (judged ? "" : " (live: reported, not judged)");
        return new ObjectiveResult(t, window, text, sustained, meets || !judged ? Tier.TARGET : Tier.BREACH, Optional.empty(), List.of(),
                AlertState.NONE, total[0]);
    }

    private ObjectiveResult cacheHitRatio(Objective.CacheHitRatio c, List<SeriesKey> keys, Window window, Span span) {
        long[] totals = frames.totals(keys, span.fromMinute(), span.toMinute());
        long hits = cacheCount(totals, Layout.HIT);
        long lookups = hits + cacheCount(totals, Layout.MISS);
        if (lookups == 0) return noTraffic(c, window);
        Tier tier = c.tiers().classify(ratio(hits, lookups, RoundingMode.FLOOR));
        return new ObjectiveResult(c, window, percent(hits, lookups, RoundingMode.DOWN), hits / (double) lookups, tier,
                Optional.empty(), List.of(), AlertState.NONE, requests(totals));
    }

    // ------------------------------------------------------------------ budgeted objectives

    /** An objective's budget over its period, its burn-rate pairs and the alert they raise. */
    private record Spending(Budget budget, List<BurnRate> burns, AlertState alert, Sli inPeriod) {}

    /**
     * The budget {@code o} spends ({@code b} of its units over {@code budgeting}'s period) and the four burn-rate
     * pairs; the same arithmetic for every budgeted kind, only {@link #sli} differs.
     */
    private Spending spending(Objective o, BigDecimal b, Budgeting budgeting, List<SeriesKey> keys) {
        Span period = span(periodWindow(budgeting.period()));
        Sli inPeriod = sli(o, keys, period.fromMinute(), period.toMinute());
        List<BurnRate> burns = new ArrayList<>();
        AlertState alert = AlertState.NONE;
        for (Pair pair : PAIRS) {
            BigDecimal threshold = pair.budgetSpent().multiply(BigDecimal.valueOf(period.periodMinutes()))
                    .divide(BigDecimal.valueOf(pair.longWindow().minutes()), MC).stripTrailingZeros();
            Sli longSli = sli(o, keys, nowMinute + 1 - pair.longWindow().minutes(), nowMinute + 1);
            Sli shortSli = sli(o, keys, nowMinute + 1 - pair.shortWindow().minutes(), nowMinute + 1);
            boolean firing = burnsFaster(longSli, threshold, b) && burnsFaster(shortSli, threshold, b);
            burns.add(new BurnRate(pair.severity(), pair.longWindow(), pair.shortWindow(), pair.budgetSpent(), threshold,
                    burnRate(longSli, b), burnRate(shortSli, b), firing));
            if (firing && pair.severity().compareTo(alert) > 0) alert = pair.severity();
        }
        return new Spending(budget(o, budgeting, b, inPeriod, period), burns, alert, inPeriod);
    }

    private ObjectiveResult budgeted(Objective.Budgeted o, List<SeriesKey> keys, Window window, Span span) {
        BigDecimal b = BigDecimal.ONE.subtract(o.goodRatioTarget().fraction());
        Spending spending = spending(o, b, o.budgeting(), keys);
        Sli measured = window.equals(periodWindow(o.budgeting().period())) ? spending.inPeriod()
                : sli(o, keys, span.fromMinute(), span.toMinute());
        Budget budget = spending.budget();
        List<BurnRate> burns = spending.burns();
        AlertState alert = spending.alert();

        if (measured.eligible() == 0) {
            return new ObjectiveResult(o, window, "no traffic", Double.NaN, Tier.TARGET, Optional.of(budget), burns, alert, 0);
        }
        long good = measured.eligible() - measured.bad();
        String text;
        double value;
        Tier tier;
        switch (o) {
            case Objective.ErrorRate e -> {
                tier = e.tiers().classify(ratio(measured.bad(), measured.eligible(), RoundingMode.CEILING));
                value = measured.bad() / (double) measured.eligible();
                text = percent(measured.bad(), measured.eligible(), RoundingMode.UP);
            }
            case Objective.LatencyRatio r -> {
                tier = r.tiers().classify(ratio(good, measured.eligible(), RoundingMode.FLOOR));
                value = good / (double) measured.eligible();
                text = percent(good, measured.eligible(), RoundingMode.DOWN);
            }
            case Objective.Availability a -> {
                tier = a.tiers().classify(ratio(good, measured.eligible(), RoundingMode.FLOOR));
                value = good / (double) measured.eligible();
                text = percent(good, measured.eligible(), RoundingMode.DOWN);
            }
        }
        if (o.budgeting().method() == BudgetingMethod.TIMESLICES) text += " (" + good + " of " + measured.eligible() + " minutes good)";
        return new ObjectiveResult(o, window, text, value, tier, Optional.of(budget), burns, alert, measured.requests());
    }

    private Budget budget(Objective o, Budgeting budgeting, BigDecimal b, Sli s, Span period) {
        boolean availability = o instanceof Objective.Availability;
        long periodFrom = Math.floorDiv(period.periodStart().toEpochMilli(), 60_000);
        MaintenanceCalendar.Minutes excluded = availability
                ? maintenance.minutes(periodFrom, periodFrom + period.periodMinutes())
                : MaintenanceCalendar.Minutes.NONE;
        long periodMinutes = period.periodMinutes() - excluded.count(periodFrom, periodFrom + period.periodMinutes());
        BigDecimal allowed = budgeting.method() == BudgetingMethod.EVENTS
                ? b.multiply(BigDecimal.valueOf(s.eligible()))
                : b.multiply(BigDecimal.valueOf(periodMinutes));
        double total = allowed.doubleValue();
        double consumed = s.bad() == 0 ? 0 : allowed.signum() == 0 ? Double.POSITIVE_INFINITY
                : BigDecimal.valueOf(s.bad()).divide(allowed, MC).doubleValue();
        Optional<Duration> totalTime = Optional.empty(), consumedTime = Optional.empty(), remainingTime = Optional.empty();
        if (availability) {
            Duration allowedTime = Duration.ofMillis(b.multiply(BigDecimal.valueOf(periodMinutes * 60_000)).setScale(0, RoundingMode.HALF_EVEN).longValueExact());
            Duration used;
            if (budgeting.method() == BudgetingMethod.TIMESLICES) {
                used = Duration.ofMinutes(s.bad());
            } else {
                long elapsedMillis = Math.max(0, nowMillis - period.periodStart().toEpochMilli())
                        - excluded.count(periodFrom, nowMinute + 1) * 60_000;
                used = s.eligible() == 0 ? Duration.ZERO : Duration.ofMillis(BigDecimal.valueOf(s.bad()).multiply(BigDecimal.valueOf(Math.max(0, elapsedMillis)))
                        .divide(BigDecimal.valueOf(s.eligible()), 0, RoundingMode.HALF_EVEN).longValueExact());
            }
            totalTime = Optional.of(allowedTime);
            consumedTime = Optional.of(used);
            remainingTime = Optional.of(allowedTime.minus(used));
        }
        return new Budget(period.periodStart(), period.periodEnd(), new Ratio(b), budgeting.method(), s.eligible(), s.bad(),
                total, consumed, 1 - consumed, totalTime, consumedTime, remainingTime);
    }

    private static double burnRate(Sli s, BigDecimal b) {
        if (s.eligible() == 0 || s.bad() == 0) return 0;
        if (b.signum() == 0) return Double.POSITIVE_INFINITY;
        return BigDecimal.valueOf(s.bad()).divide(b.multiply(BigDecimal.valueOf(s.eligible())), MC).doubleValue();
    }

    /** bad ÷ eligible > threshold × b, decided on integers and decimals. */
    private static boolean burnsFaster(Sli s, BigDecimal threshold, BigDecimal b) {
        if (s.eligible() == 0) return false;
        return BigDecimal.valueOf(s.bad()).compareTo(threshold.multiply(b).multiply(BigDecimal.valueOf(s.eligible()))) > 0;
    }

    /**
     * A percentile judged in minutes: minutes with a latency, and those whose pNN is over the target threshold.
     * A minute's pNN is at or under t exactly when ceil(NN% × n) of its n latencies are at or under t.
     */
    private Sli percentileSli(Objective.LatencyPercentile p, List<SeriesKey> keys, long fromMinute, long toMinute) {
        int level = layout.levelOf(p.tiers().target());
        long[] acc = new long[3];
        frames.forEachMinute(keys, fromMinute, toMinute, (minute, c) -> {
            long events = requests(c);
            long withLatency = events - classCount(c, Layout.CONNECT);
            if (withLatency == 0) return;
            acc[0]++;
            acc[2] += events;
            if (atOrUnder(c, level, true) < rank(p, withLatency)) acc[1]++;
        });
        return new Sli(acc[0], acc[1], acc[2]);
    }

    private static long rank(Objective.LatencyPercentile p, long n) {
        return Math.max(1, p.percentile().multiply(BigDecimal.valueOf(n)).divide(BigDecimal.valueOf(100), 0, RoundingMode.CEILING).longValueExact());
    }

    /** Walks the minutes of [fromMinute, toMinute) once, counting in the objective's units. */
    private Sli sli(Objective objective, List<SeriesKey> keys, long fromMinute, long toMinute) {
        if (objective instanceof Objective.LatencyPercentile p) return percentileSli(p, keys, fromMinute, toMinute);
        Objective.Budgeted o = (Objective.Budgeted) objective;
        MaintenanceCalendar.Minutes excluded = o instanceof Objective.Availability
                ? maintenance.minutes(fromMinute, toMinute) : MaintenanceCalendar.Minutes.NONE;
        boolean slices = o.budgeting().method() == BudgetingMethod.TIMESLICES;
        int level = o instanceof Objective.LatencyRatio r ? layout.levelOf(r.threshold()) : -1;
        if (!slices && excluded.count(fromMinute, toMinute) == 0) {
            // Events add up: no need to look at single minutes.
            long[] c = frames.totals(keys, fromMinute, toMinute);
            long events = requests(c);
            return new Sli(events, badEvents(o, c, events, level), events);
        }
        long[] acc = new long[3];
        frames.forEachMinute(keys, fromMinute, toMinute, (minute, c) -> {
            if (excluded.contains(minute)) return;
            long events = requests(c);
            if (events == 0) return;
            long bad = badEvents(o, c, events, level);
            acc[2] += events;
            if (!slices) {
                acc[0] += events;
                acc[1] += bad;
                return;
            }
            acc[0]++;
            BigDecimal badShare = BigDecimal.valueOf(bad);
            BigDecimal eventsBd = BigDecimal.valueOf(events);
            boolean badMinute = switch (o) {
                case Objective.LatencyRatio r -> BigDecimal.valueOf(events - bad).compareTo(r.tiers().target().fraction().multiply(eventsBd)) < 0;
                case Objective.ErrorRate e -> badShare.compareTo(e.tiers().target().fraction().multiply(eventsBd)) > 0;
                case Objective.Availability a -> badShare.compareTo(a.badMinuteErrorRate().fraction().multiply(eventsBd)) > 0;
            };
            if (badMinute) acc[1]++;
        });
        return new Sli(acc[0], acc[1], acc[2]);
    }

    // ------------------------------------------------------------------ counter cells

    private long badEvents(Objective.Budgeted o, long[] c, long events, int level) {
        return switch (o) {
            case Objective.LatencyRatio r -> events - atOrUnder(c, level, false);
            case Objective.ErrorRate e -> errors(c, e.errors());
            case Objective.Availability a -> errors(c, a.errors());
        };
    }

    private long requests(long[] c) {
        long sum = 0;
        for (long v : c) sum += v;
        return sum;
    }

    private long classCount(long[] c, int statusClass) {
        long sum = 0;
        for (int level = 0; level < layout.levels(); level++) {
            for (int k = 0; k < Layout.CACHE_KINDS; k++) sum += c[layout.cell(statusClass, level, k)];
        }
        return sum;
    }

    private long errors(long[] c, ErrorDefinition errors) {
        long sum = 0;
        for (int sc = 0; sc < Layout.STATUS_CLASSES; sc++) {
            if (errors.isError(Layout.representativeStatus(sc))) sum += classCount(c, sc);
        }
        return sum;
    }

    /**
     * Requests at or under the threshold of {@code maxLevel}: with {@code anyOutcome}, every request that carries
     * a latency (what percentiles see); otherwise only requests that got a response (what "completed within" means).
     */
    private long atOrUnder(long[] c, int maxLevel, boolean anyOutcome) {
        long sum = 0;
        for (int sc = 0; sc < Layout.STATUS_CLASSES; sc++) {
            if (sc == Layout.CONNECT) continue;
            if (!anyOutcome && (sc == Layout.TIMEOUT || sc == Layout.RESET)) continue;
            for (int level = 0; level <= maxLevel; level++) {
                for (int k = 0; k < Layout.CACHE_KINDS; k++) sum += c[layout.cell(sc, level, k)];
            }
        }
        return sum;
    }

    private long cacheCount(long[] c, int kind) {
        long sum = 0;
        for (int sc = 0; sc < Layout.STATUS_CLASSES; sc++) {
            for (int level = 0; level < layout.levels(); level++) sum += c[layout.cell(sc, level, kind)];
        }
        return sum;
    }

    /** num ÷ den rounded to 20 decimals in {@code mode}: exact for classification against thresholds with ≤ 20 decimals. */
    private static Ratio ratio(long num, long den, RoundingMode mode) {
        return new Ratio(BigDecimal.valueOf(num).divide(BigDecimal.valueOf(den), 20, mode));
    }

    /** {@code num/den} as a percentage with at most 4 decimals, rounded in {@code mode} so it never flatters. */
    private static String percent(long num, long den, RoundingMode mode) {
        BigDecimal p = BigDecimal.valueOf(num).movePointRight(2).divide(BigDecimal.valueOf(den), 4, mode).stripTrailingZeros();
        if (p.scale() < 0) p = p.setScale(0, RoundingMode.UNNECESSARY);
        return p.toPlainString() + "%";
    }

    /** A measured rate, with two decimals below 10 rps so a short run's rate stays readable. */
    private static String rate(double perSecond) {
        if (perSecond >= 100) return String.format(Locale.ROOT, "%.0f rps", perSecond);
        if (perSecond >= 10) return String.format(Locale.ROOT, "%.1f rps", perSecond);
        return String.format(Locale.ROOT, "%.2f rps", perSecond);
    }

    private static ObjectiveResult noTraffic(Objective o, Window window) {
        return new ObjectiveResult(o, window, "no traffic", Double.NaN, Tier.TARGET, Optional.empty(), List.of(), AlertState.NONE, 0);
    }
}
