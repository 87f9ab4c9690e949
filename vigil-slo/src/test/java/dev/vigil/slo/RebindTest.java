package dev.vigil.slo;

import dev.vigil.slo.config.ConfigException;
import dev.vigil.slo.spec.SloFiles;
import dev.vigil.slo.spec.SloSpec;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static dev.vigil.slo.Specs.result;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Changing the SLO file under a running engine: edits read only when evaluating keep the measurements and judge
 * them at once; edits that change where a request is counted are refused with the reason.
 */
class RebindTest {
    /** A file with one of everything the recording path reads; {@code %s} placeholders are edited by the tests. */
    private static final String FILE = """
            service: checkout-api
            routes:
              checkout:
                match: POST /checkout
                availability: %s
                error-rate: { target: 0.5%%, acceptable: 1%%, critical: 2%% }
                latency:
                  p99: 300ms
                  under:
                    %s: 99%%
              default:
                latency: { p99: 1s }
            tenants:
              acme: enterprise
            overrides:
              - plan: enterprise
                availability: 99.99%%
            """;

    private static SloSpec spec(String availability, String underThreshold) throws ConfigException {
        return SloFiles.parse("slo.yaml", FILE.formatted(availability, underThreshold));
    }

    private static SloSpec parse(String yaml) throws ConfigException {
        return SloFiles.parse("slo.yaml", yaml);
    }

    /** 1000 checkout requests at 50 ms, the first {@code errors} of them 503, from a tenant without overrides. */
    private static void record1000(SloEngine engine, int errors, TestClock clock) {
        for (int i = 0; i < 1000; i++) {
            engine.record("checkout", "umbrella", i < errors ? 503 : 200, Failure.NONE, 50_000, CacheResult.NONE, clock.millis());
        }
    }

    @Test
    void looserTargetJudgesTheSameRequestsAtOnce() throws ConfigException {
        TestClock clock = TestClock.at("2026-12-07T10:00:00Z");
        SloEngine engine = SloEngine.create(spec("99.9%", "200ms"), clock);
        record1000(engine, 2, clock);
        clock.advance(Duration.ofSeconds(30));
        ObjectiveResult before = result(engine.evaluate(), "checkout:availability");
        assertThat(before.events()).isEqualTo(1000);
        assertThat(before.measuredValue()).isEqualTo(0.998);
        assertThat(before.tier()).isEqualTo(Tier.BREACH);  // 99.8% < 99.9%, the only tier

        Rebind rebind = engine.rebind(spec("99.5%", "200ms"));

        assertThat(rebind).isInstanceOf(Rebind.Kept.class);
        SloEngine rebound = ((Rebind.Kept) rebind).engine();
        ObjectiveResult after = result(rebound.evaluate(), "checkout:availability");
        assertThat(after.events()).isEqualTo(1000);
        assertThat(after.measuredValue()).isEqualTo(0.998);
        assertThat(after.tier()).isEqualTo(Tier.TARGET);
        assertThat(((dev.vigil.slo.spec.Objective.Availability) after.objective()).goodRatioTarget())
                .isEqualTo(dev.vigil.slo.spec.Ratio.ofPercent("99.5"));
        assertThat(rebound.spec().objectives()).contains(after.objective());
    }

    @Test
    void tighterTargetBreachesOnTheSameRequests() throws ConfigException {
        TestClock clock = TestClock.at("2026-12-07T10:00:00Z");
        SloEngine engine = SloEngine.create(spec("99.5%", "200ms"), clock);
        record1000(engine, 2, clock);
        assertThat(result(engine.evaluate(), "checkout:availability").tier()).isEqualTo(Tier.TARGET);

        SloEngine rebound = ((Rebind.Kept) engine.rebind(spec("99.9%", "200ms"))).engine();

        ObjectiveResult after = result(rebound.evaluate(), "checkout:availability");
        assertThat(after.events()).isEqualTo(1000);
        assertThat(after.tier()).isEqualTo(Tier.BREACH);
    }

    @Test
    void bothEnginesShareOneStoreAfterRebind() throws ConfigException {
        TestClock clock = TestClock.at("2026-12-07T10:00:00Z");
        SloEngine old = SloEngine.create(spec("99.9%", "200ms"), clock);
        record1000(old, 0, clock);
        SloEngine rebound = ((Rebind.Kept) old.rebind(spec("99.5%", "200ms"))).engine();
        // A request in flight during the reload finishes through the old engine: it must not be lost.
        record1000(old, 0, clock);
        record1000(rebound, 0, clock);
        clock.advance(Duration.ofMinutes(2));

        assertThat(result(rebound.evaluate(), "checkout:availability").events()).isEqualTo(3000);
        assertThat(result(old.evaluate(), "checkout:availability").events()).isEqualTo(3000);
    }

    @Test
    void tiersWindowsBudgetsErrorsMaintenanceAndCommentsRecordTheSameWay() throws ConfigException {
        SloSpec running = parse(FILE.formatted("99.9%", "200ms"));
        String tiers = FILE.formatted("{ target: 99.9%, acceptable: 99.5%, critical: 99% }", "200ms")
                .replace("p99: 300ms", "p99: { target: 250ms, acceptable: 400ms }");
        String window = "budget: { period: rolling 28d, method: timeslices }\n" + FILE.formatted("99.9%", "200ms");
        String errors = "errors: [5xx, 429]\ntime-zone: Europe/Berlin\n" + FILE.formatted("99.9%", "200ms")
                .replace("service: checkout-api", "service: checkout-api-v2");
        String maintenance = FILE.formatted("99.9%", "200ms") + """
                maintenance:
                  - reason: database patching
                    every: sunday
                    at: "03:00"
                    duration: 30m
                """;
        String comments = "# The checkout service promises, agreed with finance on 2026-11-01.\n\n"
                + FILE.formatted("99.9%   # raised in Q4", "200ms");
        String overrideObjectives = FILE.formatted("99.9%", "200ms").replace("availability: 99.99%",
                "availability: 99.95%\n    routes:\n      checkout:\n        error-rate: 0.1%");

        String moreObjectives = FILE.formatted("99.9%", "200ms").replace("latency: { p99: 1s }",
                "latency: { p99: 1s, p50: 100ms }\n    error-rate: 1%\n    throughput: 200 rps\n    cache-hit-ratio: 80%");

        for (String edited : new String[]{tiers, window, errors, maintenance, comments, overrideObjectives, moreObjectives}) {
            SloSpec next = parse(edited);
            assertThat(next).isNotEqualTo(running);
            assertThat(SloEngine.recordingDifference(running, next)).as(edited).isEmpty();
        }
    }

    @Test
    void planChangeOfATenantNoOverrideNamesRecordsTheSameWay() throws ConfigException {
        SloSpec running = parse(FILE.formatted("99.9%", "200ms").replace("  acme: enterprise", "  acme: enterprise\n  globex: free"));
        SloSpec next = parse(FILE.formatted("99.9%", "200ms").replace("  acme: enterprise", "  acme: enterprise\n  globex: pro"));

        assertThat(SloEngine.recordingDifference(running, next)).isEmpty();
    }

    @Test
    void longerBudgetPeriodIsKeptAndJudgedOverTheNewPeriod() throws ConfigException {
        TestClock clock = TestClock.at("2026-12-07T10:00:00Z");
        SloEngine engine = SloEngine.create(spec("99.9%", "200ms"), clock);
        record1000(engine, 2, clock);

        Rebind rebind = engine.rebind(parse("budget: { period: rolling 60d }\n" + FILE.formatted("99.9%", "200ms")));

        ObjectiveResult after = result(((Rebind.Kept) rebind).engine().evaluate(), "checkout:availability");
        assertThat(after.events()).isEqualTo(1000);
        assertThat(after.window()).isEqualTo(new Window.Last(Duration.ofDays(60)));
    }

    @Test
    void changedLatencyThresholdRecordsDifferently() throws ConfigException {
        TestClock clock = TestClock.at("2026-12-07T10:00:00Z");
        SloEngine engine = SloEngine.create(spec("99.9%", "200ms"), clock);

        Rebind rebind = engine.rebind(spec("99.9%", "250ms"));

        assertThat(rebind).isInstanceOf(Rebind.RecordsDifferently.class);
        assertThat(((Rebind.RecordsDifferently) rebind).reason()).isEqualTo(
                "route group 'checkout' has different latency thresholds (new 250ms for checkout:latency:under-250ms;"
                        + " no longer 200ms for checkout:latency:under-200ms)");
    }

    @Test
    void percentileJudgedInGoodMinutesCountsItsTiersPerRequest() throws ConfigException {
        SloSpec running = spec("99.9%", "200ms");
        SloSpec inMinutes = parse(FILE.formatted("99.9%", "200ms")
                .replace("p99: 300ms", "p99: { target: 300ms, good-minutes: 99% }"));
        SloSpec tighter = parse(FILE.formatted("99.9%", "200ms")
                .replace("p99: 300ms", "p99: { target: 250ms, good-minutes: 99% }"));

        assertThat(SloEngine.recordingDifference(running, inMinutes)).hasValueSatisfying(r ->
                assertThat(r).startsWith("route group 'checkout' has different latency thresholds (new 300ms for checkout:latency:p99"));
        assertThat(SloEngine.recordingDifference(inMinutes, tighter)).hasValueSatisfying(r -> assertThat(r)
                .contains("new 250ms for checkout:latency:p99").contains("no longer 300ms for checkout:latency:p99"));
    }

    @Test
    void changedRouteMatchRecordsDifferently() throws ConfigException {
        SloSpec running = spec("99.9%", "200ms");
        SloSpec next = parse(FILE.formatted("99.9%", "200ms").replace("match: POST /checkout", "match: POST /checkout/**"));

        assertThat(SloEngine.recordingDifference(running, next)).hasValue(
                "route group 'checkout' matches different routes (was [POST /checkout], now [POST /checkout/**])");
    }

    @Test
    void addedRouteGroupRecordsDifferently() throws ConfigException {
        SloSpec running = spec("99.9%", "200ms");
        SloSpec next = parse(FILE.formatted("99.9%", "200ms").replace("  default:",
                "  cart:\n    match: GET /cart\n  default:"));

        assertThat(SloEngine.recordingDifference(running, next)).hasValue("route group 'cart' is new");
    }

    @Test
    void addedTenantOverrideRecordsDifferently() throws ConfigException {
        SloSpec running = spec("99.9%", "200ms");
        SloSpec next = parse(FILE.formatted("99.9%", "200ms") + """
                  - tenant: initech
                    availability: 99%
                """);

        Rebind rebind = SloEngine.create(running, TestClock.at("2026-12-07T10:00:00Z")).rebind(next);

        assertThat(rebind).isEqualTo(new Rebind.RecordsDifferently(
                "tenant 'initech' override is new: its requests need series of their own"));
    }

    @Test
    void tenantMovedIntoAPlanWithOverridesRecordsDifferently() throws ConfigException {
        SloSpec running = parse(FILE.formatted("99.9%", "200ms").replace("  acme: enterprise", "  acme: enterprise\n  globex: free"));
        SloSpec next = parse(FILE.formatted("99.9%", "200ms").replace("  acme: enterprise", "  acme: enterprise\n  globex: enterprise"));

        assertThat(SloEngine.recordingDifference(running, next)).hasValue(
                "tenant 'globex' is now counted under plan 'enterprise''s series (was everyone else's series)");
    }

    @Test
    void changedPrecisionRecordsDifferently() throws ConfigException {
        SloSpec running = spec("99.9%", "200ms");
        SloSpec next = parse("precision: 4\n" + FILE.formatted("99.9%", "200ms"));

        assertThat(SloEngine.recordingDifference(running, next)).hasValue(
                "latency precision changed from 3 to 4 significant digits");
    }

    @Test
    void reorderedRouteGroupsRecordDifferently() throws ConfigException {
        String cart = "  cart:\n    match: GET /cart\n";
        String base = FILE.formatted("99.9%", "200ms");
        SloSpec cartFirst = parse(base.replace("  checkout:\n", cart + "  checkout:\n"));
        SloSpec cartSecond = parse(base.replace("  default:\n", cart + "  default:\n"));

        assertThat(SloEngine.recordingDifference(cartFirst, cartSecond)).hasValue(
                "route groups are in a different order (a request belongs to the first group that matches)");
    }

    @Test
    void removedPlanOverrideRecordsDifferently() throws ConfigException {
        String base = FILE.formatted("99.9%", "200ms");
        SloSpec next = parse(base.substring(0, base.indexOf("overrides:")));

        assertThat(SloEngine.recordingDifference(spec("99.9%", "200ms"), next)).hasValue(
                "plan 'enterprise' override is gone: its series would have no objective");
    }
}
