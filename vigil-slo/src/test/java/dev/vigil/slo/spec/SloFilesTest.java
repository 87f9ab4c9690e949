package dev.vigil.slo.spec;

import dev.vigil.slo.Tier;
import dev.vigil.slo.config.ConfigException;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertThrows;

class SloFilesTest {
    private static final Path EXAMPLE = Path.of("..", "examples", "slo.yaml");
    private static final Path GAMIFICATION = Path.of("..", "examples", "gamification-slo.yaml");

    private static SloSpec parse(String yaml) throws ConfigException {
        return SloFiles.parse("slo.yaml", yaml);
    }

    private static String error(String yaml) {
        return assertThrows(ConfigException.class, () -> parse(yaml)).getMessage();
    }

    private static Objective objective(SloSpec spec, String id) {
        return spec.objectives().stream().filter(o -> o.id().equals(id)).findFirst().orElseThrow(() -> new AssertionError("no " + id));
    }

    @Test
    void loadsTheCompleteExample() throws ConfigException {
        SloSpec spec = SloFiles.load(EXAMPLE);
        assertThat(spec.service()).isEqualTo("landing-pages-api");
        assertThat(spec.precisionDigits()).isEqualTo(3);
        assertThat(spec.routeGroups()).extracting(RouteGroup::name)
                .containsExactly("landing-page-read", "landing-page-write", "search", "static", "health", "default");
        assertThat(spec.routeGroups().getLast().isDefault()).isTrue();
        assertThat(spec.routeGroups().get(1).patterns()).extracting(RoutePattern::toString)
                .containsExactly("POST /landing-pages", "PUT /landing-pages/{id}", "PATCH /landing-pages/{id}", "DELETE /landing-pages/{id}");

        var p99 = (Objective.LatencyPercentile) objective(spec, "landing-page-read:latency:p99");
        assertThat(p99.percentile()).isEqualByComparingTo("99");
        assertThat(p99.tiers()).isEqualTo(new Tiers<>(Duration.ofMillis(100), Duration.ofMillis(200), Duration.ofMillis(500),
                Tiers.Direction.LOWER_IS_BETTER));
        assertThat(p99.tiers().classify(Duration.ofMillis(150))).isEqualTo(Tier.ACCEPTABLE);
        assertThat(p99.location().line()).isEqualTo(p99.location().line()).isPositive();

        var ratio = (Objective.LatencyRatio) objective(spec, "landing-page-read:latency:under-1000ms");
        assertThat(ratio.threshold()).isEqualTo(Duration.ofSeconds(1));
        assertThat(ratio.goodRatioTarget()).isEqualTo(Ratio.ofPercent("99"));

        var availability = (Objective.Availability) objective(spec, "*:availability");
        assertThat(availability.scope()).isEqualTo(Scope.allTraffic());
        assertThat(availability.budgeting()).isEqualTo(new Budgeting(new BudgetPeriod.CalendarMonth(ZoneId.of("Europe/Berlin")), BudgetingMethod.TIMESLICES));
        assertThat(availability.goodRatioTarget().complement().toString()).isEqualTo("0.1%");

        var writes = (Objective.ErrorRate) objective(spec, "landing-page-write:error-rate");
        assertThat(writes.errors()).isEqualTo(new ErrorDefinition(true, false, true));
        assertThat(writes.budgeting().period()).isEqualTo(new BudgetPeriod.Rolling(28));
        assertThat(writes.goodRatioTarget()).isEqualTo(Ratio.ofPercent("99.5"));

        var enterprise = (Objective.Availability) objective(spec, "*:availability@plan=enterprise");
        assertThat(enterprise.scope().tenant()).isEqualTo(new TenantSelector.Plan("enterprise"));
        assertThat(enterprise.budgeting().method()).as("inherited from the general objective").isEqualTo(BudgetingMethod.TIMESLICES);
        assertThat(objective(spec, "landing-page-read:latency:p99@tenant=initech").scope().tenant())
                .isEqualTo(new TenantSelector.Tenant("initech"));
        assertThat(spec.tenantPlans()).containsEntry("acme", "enterprise").containsEntry("initech", "free");
        assertThat(spec.maintenance()).hasSize(2);
    }

    @Test
    void loadsTheGamificationExample() throws ConfigException {
        SloSpec spec = SloFiles.load(GAMIFICATION);
        RouteMatcher m = RouteMatcher.of(spec);
        assertThat(m.groupFor("POST", "/missions")).isEqualTo("missions-write");
        assertThat(m.groupFor("GET", "/missions/42")).isEqualTo("missions-read");
        assertThat(m.groupFor("POST", "/users/7/points")).isEqualTo("points");
        assertThat(m.groupFor("GET", "/leaderboard?top=10")).isEqualTo("leaderboard");
        assertThat(m.groupFor("GET", "/users/7")).isEqualTo("users-read");
        assertThat(m.groupFor("GET", "/nope")).isEqualTo("default");
    }

    @Test
    void shorthandSetsTheTargetAndFillsMissingTiersFromTheStricterOne() throws ConfigException {
        SloSpec spec = parse("""
                service: s
                routes:
                  api:
                    match: GET /a
                    latency:
                      p99: 100ms
                      p90: { target: 50ms, critical: 80ms }
                      p99.9: 1s
                      p75: 30ms
                    error-rate: 0.1%
                    cache-hit-ratio: { target: 90%, acceptable: 80% }
                """);
        var p99 = (Objective.LatencyPercentile) objective(spec, "api:latency:p99");
        assertThat(p99.tiers()).isEqualTo(new Tiers<>(Duration.ofMillis(100), Duration.ofMillis(100), Duration.ofMillis(100), Tiers.Direction.LOWER_IS_BETTER));
        assertThat(p99.tiers().classify(Duration.ofMillis(101))).isEqualTo(Tier.BREACH);
        var p90 = (Objective.LatencyPercentile) objective(spec, "api:latency:p90");
        assertThat(p90.tiers().acceptable()).isEqualTo(Duration.ofMillis(50));
        assertThat(p90.tiers().critical()).isEqualTo(Duration.ofMillis(80));
        assertThat(((Objective.LatencyPercentile) objective(spec, "api:latency:p99.9")).percentile()).isEqualByComparingTo(new BigDecimal("99.9"));
        assertThat(((Objective.LatencyPercentile) objective(spec, "api:latency:p75")).percentile()).isEqualByComparingTo("75");
        var hit = (Objective.CacheHitRatio) objective(spec, "api:cache-hit-ratio");
        assertThat(hit.tiers().critical()).isEqualTo(Ratio.ofPercent("80"));
        var err = (Objective.ErrorRate) objective(spec, "api:error-rate");
        assertThat(err.tiers().target()).isEqualTo(Ratio.ofPercent("0.1"));
        assertThat(err.errors()).isEqualTo(ErrorDefinition.DEFAULT);
        assertThat(err.budgeting()).isEqualTo(new Budgeting(new BudgetPeriod.CalendarMonth(ZoneId.of("UTC")), BudgetingMethod.EVENTS));
    }

    @Test
    void createsAnImplicitDefaultGroupWhenNoneIsGiven() throws ConfigException {
        SloSpec spec = parse("service: s\nroutes:\n  api:\n    match: GET /a\n");
        assertThat(spec.routeGroups()).extracting(RouteGroup::name, RouteGroup::isDefault)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("api", false), org.assertj.core.groups.Tuple.tuple("default", true));
        SloSpec none = parse("service: s\navailability: 99.9%\n");
        assertThat(none.routeGroups()).extracting(RouteGroup::name).containsExactly("default");
    }

    @Test
    void aGroupMarkedDefaultIsTheFallbackAndGoesLast() throws ConfigException {
        SloSpec spec = parse("""
                service: s
                routes:
                  everything-else:
                    default: true
                    latency: { p99: 1s }
                  api:
                    match: GET /a
                """);
        assertThat(spec.routeGroups()).extracting(RouteGroup::name).containsExactly("api", "everything-else");
        assertThat(RouteMatcher.of(spec).groupFor("GET", "/zzz")).isEqualTo("everything-else");
    }

    @Test
    void readsBudgetingPeriodsMethodsAndErrorKinds() throws ConfigException {
        SloSpec spec = parse("""
                service: s
                time-zone: America/New_York
                budget: { period: rolling 30d, method: timeslices }
                errors: [5xx, 4xx, 429]
                availability: 99.99%
                routes:
                  api:
                    match: GET /a
                    error-rate: { target: 1%, period: calendar-month, method: events, errors: [5xx] }
                """);
        var a = (Objective.Availability) objective(spec, "*:availability");
        assertThat(a.budgeting()).isEqualTo(new Budgeting(new BudgetPeriod.Rolling(30), BudgetingMethod.TIMESLICES));
        assertThat(a.errors()).isEqualTo(new ErrorDefinition(true, true, true));
        assertThat(a.badMinuteErrorRate()).isEqualTo(Ratio.ofPercent("5"));
        var e = (Objective.ErrorRate) objective(spec, "api:error-rate");
        assertThat(e.budgeting()).isEqualTo(new Budgeting(new BudgetPeriod.CalendarMonth(ZoneId.of("America/New_York")), BudgetingMethod.EVENTS));
        assertThat(e.errors()).isEqualTo(ErrorDefinition.DEFAULT);
    }

    @Test
    void readsThroughput() throws ConfigException {
        SloSpec spec = parse("service: s\nthroughput: 500 rps\nroutes:\n  api:\n    match: GET /a\n    throughput: { sustained: 1k rps, peak: 3k rps }\n");
        var all = (Objective.Throughput) objective(spec, "*:throughput");
        assertThat(all.sustained().perSecond()).isEqualTo(500);
        assertThat(all.peak()).isEmpty();
        var api = (Objective.Throughput) objective(spec, "api:throughput");
        assertThat(api.peak()).contains(new Rate(3000));
    }

    @Test
    void readsOneOffAndRecurringMaintenance() throws ConfigException {
        SloSpec spec = parse("""
                service: s
                time-zone: Europe/Berlin
                maintenance:
                  - reason: upgrade
                    start: 2026-03-29 01:30
                    end: 2026-03-29 04:00
                  - every: [mon, thursday]
                    at: "02:00"
                    duration: 15m
                    until: 2027-01-01
                    time-zone: UTC
                  - every: weekdays
                    at: 23:30
                    duration: 1h
                """);
        var oneOff = (MaintenanceWindow.OneOff) spec.maintenance().get(0);
        assertThat(oneOff.start()).isEqualTo(LocalDateTime.of(2026, 3, 29, 1, 30));
        assertThat(oneOff.duration()).as("the clocks skip 02:00-03:00 that night").isEqualTo(Duration.ofMinutes(90));
        var rec = (MaintenanceWindow.Recurring) spec.maintenance().get(1);
        assertThat(rec.days()).containsExactly(DayOfWeek.MONDAY, DayOfWeek.THURSDAY);
        assertThat(rec.start()).isEqualTo(LocalTime.of(2, 0));
        assertThat(rec.zone()).isEqualTo(ZoneId.of("UTC"));
        assertThat(rec.until()).contains(LocalDateTime.of(2027, 1, 1, 0, 0));
        assertThat(rec.reason()).isEqualTo("planned maintenance");
        var weekdays = (MaintenanceWindow.Recurring) spec.maintenance().get(2);
        assertThat(weekdays.days()).hasSize(5).doesNotContain(DayOfWeek.SATURDAY, DayOfWeek.SUNDAY);
        assertThat(weekdays.start()).isEqualTo(LocalTime.of(23, 30));
    }

    @Test
    void resolvesAnchorsForSharedTiers() throws ConfigException {
        SloSpec spec = parse("""
                service: s
                routes:
                  a:
                    match: GET /a
                    latency: &fast
                      p99: { target: 100ms, acceptable: 200ms }
                  b:
                    match: GET /b
                    latency: *fast
                """);
        assertThat(((Objective.LatencyPercentile) objective(spec, "b:latency:p99")).tiers().acceptable()).isEqualTo(Duration.ofMillis(200));
    }

    // ------------------------------------------------------------------ errors, each with its exact location

    @Test
    void unknownPercentileKeySuggestsP999() {
        assertThat(error("""
                service: s
                routes:
                  api:
                    match: GET /a
                    latency:
                      p999: 300ms
                """)).isEqualTo("slo.yaml:6:7: unknown key 'p999' at routes.api.latency — did you mean 'p99.9'?");
    }

    @Test
    void unknownTopLevelKeySuggestsTheClosest() {
        assertThat(error("service: s\navailabilty: 99.9%\n"))
                .isEqualTo("slo.yaml:2:1: unknown key 'availabilty' at the top level — did you mean 'availability'?");
    }

    @Test
    void unknownTierKeySuggestsTheClosest() {
        assertThat(error("service: s\navailability: { target: 99.9%, acceptible: 99% }\n"))
                .isEqualTo("slo.yaml:2:32: unknown key 'acceptible' at availability — did you mean 'acceptable'?");
    }

    @Test
    void rejectsLatencyTiersOutOfOrder() {
        assertThat(error("""
                service: s
                routes:
                  api:
                    match: GET /a
                    latency:
                      p99: { target: 500ms, acceptable: 200ms, critical: 100ms }
                """)).isEqualTo("slo.yaml:6:41: routes.api.latency.p99.acceptable: tiers out of order: target 500ms is looser than "
                + "acceptable 200ms (lower is better here, so target <= acceptable <= critical)");
    }

    @Test
    void rejectsCriticalStricterThanTargetWhenAcceptableIsOmitted() {
        assertThat(error("service: s\nerror-rate: { target: 1%, critical: 0.5% }\n"))
                .isEqualTo("slo.yaml:2:37: error-rate.critical: tiers out of order: target 1% is looser than critical 0.5% "
                        + "(lower is better here, so target <= acceptable <= critical)");
    }

    @Test
    void rejectsAvailabilityTiersOutOfOrder() {
        assertThat(error("service: s\navailability: { target: 99%, acceptable: 99.9% }\n"))
                .isEqualTo("slo.yaml:2:42: availability.acceptable: tiers out of order: target 99% is looser than acceptable 99.9% "
                        + "(higher is better here, so target >= acceptable >= critical)");
    }

    @Test
    void rejectsPercentagesOver100() {
        assertThat(error("service: s\navailability: 100.01%\n"))
                .isEqualTo("slo.yaml:2:15: availability: percentages over 100% are not allowed: '100.01%'; expected a percentage from 0% to 100% like 99.9%");
    }

    @Test
    void rejectsNegativeDurations() {
        assertThat(error("service: s\nlatency:\n  p99: -100ms\n"))
                .startsWith("slo.yaml:3:8: latency.p99: negative durations are not allowed: '-100ms'");
    }

    @Test
    void rejectsZeroLatencyThresholds() {
        assertThat(error("service: s\nlatency:\n  p99: 0ms\n"))
                .isEqualTo("slo.yaml:3:8: latency.p99: a latency threshold must be more than 0");
    }

    @Test
    void rejectsDuplicateGroupNames() {
        assertThat(error("service: s\nroutes:\n  api:\n    match: GET /a\n  api:\n    match: GET /b\n"))
                .isEqualTo("slo.yaml:5:3: routes: duplicate key 'api' (first written at line 3)");
    }

    @Test
    void rejectsOverridesNamingUnknownGroups() {
        assertThat(error("""
                service: s
                routes:
                  checkout:
                    match: POST /checkout
                overrides:
                  - plan: gold
                    routes:
                      chekout:
                        error-rate: 0.1%
                """)).isEqualTo("slo.yaml:8:7: overrides[0].routes.chekout: unknown route group 'chekout' — did you mean 'checkout'?");
    }

    @Test
    void rejectsOverridesWithoutExactlyOneSelector() {
        assertThat(error("service: s\noverrides:\n  - availability: 99%\n"))
                .isEqualTo("slo.yaml:3:5: overrides[0]: an override names exactly one of 'tenant' or 'plan'");
        assertThat(error("service: s\noverrides:\n  - tenant: a\n    plan: b\n    availability: 99%\n"))
                .isEqualTo("slo.yaml:3:5: overrides[0]: an override names exactly one of 'tenant' or 'plan'");
    }

    @Test
    void rejectsTwoDefaultGroups() {
        assertThat(error("""
                service: s
                routes:
                  a:
                    default: true
                  b:
                    default: true
                """)).isEqualTo("slo.yaml:5:3: routes.b: only one route group can be the default; 'a' (line 3) already is");
    }

    @Test
    void rejectsMatchOnTheDefaultGroup() {
        assertThat(error("service: s\nroutes:\n  rest:\n    default: true\n    match: GET /a\n"))
                .isEqualTo("slo.yaml:5:5: routes.rest.match: the default group takes every request no other group matches; remove 'match'");
    }

    @Test
    void rejectsAGroupWithoutRoutes() {
        assertThat(error("service: s\nroutes:\n  api:\n    error-rate: 1%\n"))
                .isEqualTo("slo.yaml:4:5: routes.api: missing required key 'match' (e.g. match: [GET /items/{id}]), or set 'default: true'");
    }

    @Test
    void rejectsInvalidTimeZonesWithASuggestion() {
        assertThat(error("service: s\ntime-zone: Europe/Berln\n"))
                .isEqualTo("slo.yaml:2:12: time-zone: unknown time zone 'Europe/Berln' — did you mean 'Europe/Berlin'?");
        assertThat(error("service: s\ntime-zone: Mars/Olympus_Mons_Base\n"))
                .isEqualTo("slo.yaml:2:12: time-zone: unknown time zone 'Mars/Olympus_Mons_Base' — write an IANA time zone such as UTC, Europe/Berlin or America/New_York");
    }

    @Test
    void rejectsBadRoutePatterns() {
        String base = "service: s\nroutes:\n  api:\n    match:\n      - ";
        assertThat(error(base + "GET landing-pages\n"))
                .isEqualTo("slo.yaml:5:9: routes.api.match[0]: 'GET landing-pages': the path must start with '/', e.g. GET /landing-pages/{id}");
        assertThat(error(base + "GET /a/**/b\n"))
                .isEqualTo("slo.yaml:5:9: routes.api.match[0]: 'GET /a/**/b': '**' matches the rest of the path and may only be the last segment, e.g. /static/**");
        assertThat(error(base + "GET /a/{id\n"))
                .isEqualTo("slo.yaml:5:9: routes.api.match[0]: 'GET /a/{id': '{id' is not a parameter; a parameter is a whole segment like {id}");
        assertThat(error(base + "GET /a?x=1\n"))
                .isEqualTo("slo.yaml:5:9: routes.api.match[0]: 'GET /a?x=1': a route pattern has no query string; query strings are ignored when matching");
        assertThat(error(base + "G3T /a\n"))
                .isEqualTo("slo.yaml:5:9: routes.api.match[0]: 'G3T' is not an HTTP method; write e.g. GET, POST, GET|HEAD or * for any");
        assertThat(error(base + "GET /a/{id}/{id}\n"))
                .isEqualTo("slo.yaml:5:9: routes.api.match[0]: 'GET /a/{id}/{id}': parameter {id} appears twice");
        assertThat(error(base + "GET /a//b\n"))
                .isEqualTo("slo.yaml:5:9: routes.api.match[0]: 'GET /a//b': empty path segment ('//' or a trailing '/'); write /a/b");
    }

    @Test
    void rejectsARouteListedInTwoGroups() {
        assertThat(error("service: s\nroutes:\n  a:\n    match: GET /x/{id}\n  b:\n    match: GET /x/{id}\n"))
                .isEqualTo("slo.yaml:6:12: routes.b.match: route 'GET /x/{id}' is already matched at line 4 (routes.a.match); "
                        + "a request goes to the first group that matches");
    }

    @Test
    void rejectsUnknownErrorKindsAndBudgetSettings() {
        assertThat(error("service: s\nerrors: [5xx, 404]\n"))
                .isEqualTo("slo.yaml:2:15: errors[1]: '404' is not an error kind; allowed: 5xx, 4xx (other than 429), 429 "
                        + "(timeouts and connection failures always count)");
        assertThat(error("service: s\nbudget: { period: rolling 400d }\n"))
                .isEqualTo("slo.yaml:2:19: budget.period: a rolling period is 1 to 366 days, got rolling 400d; allowed: "
                        + "calendar-month or rolling <N>d with N from 1 to 366 (e.g. rolling 28d)");
        assertThat(error("service: s\nbudget: { period: quarterly }\n"))
                .isEqualTo("slo.yaml:2:19: budget.period: 'quarterly' is not a budget period; allowed: "
                        + "calendar-month or rolling <N>d with N from 1 to 366 (e.g. rolling 28d)");
        assertThat(error("service: s\nbudget: { method: event }\n"))
                .isEqualTo("slo.yaml:2:19: budget.method: 'event' is not allowed; allowed: events, timeslices — did you mean 'events'?");
    }

    @Test
    void rejectsPeakBelowSustained() {
        assertThat(error("service: s\nthroughput: { sustained: 2k rps, peak: 1k rps }\n"))
                .isEqualTo("slo.yaml:2:40: throughput.peak: peak 1k rps is below sustained 2k rps; peak must be at least the sustained rate");
    }

    @Test
    void rejectsBadMaintenanceWindows() {
        assertThat(error("service: s\nmaintenance:\n  - every: sundays\n    at: 03:00\n    duration: 1h\n"))
                .startsWith("slo.yaml:3:12: maintenance[0].every: 'sundays' is not a day; allowed: day, weekday, weekend, monday,")
                .endsWith("— did you mean 'sunday'?");
        assertThat(error("service: s\nmaintenance:\n  - every: sunday\n    at: 25:00\n    duration: 1h\n"))
                .isEqualTo("slo.yaml:4:9: maintenance[0].at: '25:00' is not a time of day; write HH:MM in 24-hour time, e.g. 03:00");
        assertThat(error("service: s\nmaintenance:\n  - start: 2026-12-06 02:00\n"))
                .isEqualTo("slo.yaml:3:5: maintenance[0]: a one-off window needs exactly one of 'end' or 'duration'");
        assertThat(error("service: s\nmaintenance:\n  - start: 2026-12-06 02:00\n    end: 2026-12-06 01:00\n"))
                .isEqualTo("slo.yaml:4:10: maintenance[0].end: 'end' 2026-12-06 01:00 is not after 'start' 2026-12-06 02:00");
        assertThat(error("service: s\nmaintenance:\n  - start: 6/12/2026\n    duration: 1h\n"))
                .isEqualTo("slo.yaml:3:12: maintenance[0].start: '6/12/2026' is not a local date and time; write YYYY-MM-DD HH:MM, e.g. 2026-12-06 02:00");
        assertThat(error("service: s\nmaintenance:\n  - at: 03:00\n"))
                .isEqualTo("slo.yaml:3:5: maintenance[0]: missing 'start' (one-off, e.g. start: 2026-12-06 02:00) or 'every' (recurring, e.g. every: sunday)");
    }

    @Test
    void rejectsEmptyAndNonMapFiles() {
        assertThat(error("# nothing yet\n")).isEqualTo("slo.yaml:1:1: the SLO file is empty; it needs at least 'service' and one objective (see docs/slo-file.md)");
        assertThat(error("- a\n- b\n")).isEqualTo("slo.yaml:1:1: an SLO file is a map with 'service', 'routes' and objectives; got a list");
        assertThat(error("availability: 99.9%\n")).isEqualTo("slo.yaml:1:1: missing required key 'service'");
    }

    @Test
    void rejectsAnUnsupportedVersion() {
        assertThat(error("version: 2\nservice: s\n")).isEqualTo("slo.yaml:1:10: version: unsupported version 2; this Vigil reads version 1");
    }

    @Test
    void collectsSeveralProblemsInOnePassInFileOrder() {
        ConfigException e = assertThrows(ConfigException.class, () -> parse("""
                service: s
                time-zone: Nowhere/City
                availability: 101%
                routes:
                  api:
                    match: GET /a
                    latency:
                      p999: 1s
                      p99: -1s
                    error-rate: { target: 2%, critical: 1% }
                maintenance:
                  - every: funday
                    at: "03:00"
                    duration: 1h
                """));
        assertThat(e.problems()).extracting(p -> p.location().line()).containsExactly(2, 3, 8, 9, 10, 12);
        assertThat(e.getMessage().lines().toList()).hasSize(6);
    }

    @Test
    void explicitOverrideSettingsWinOverInheritedOnes() throws ConfigException {
        SloSpec spec = parse("""
                service: s
                routes:
                  api:
                    match: GET /a
                    error-rate: { target: 1%, errors: [5xx, 429], period: rolling 7d }
                overrides:
                  - tenant: t1
                    routes:
                      api:
                        error-rate: { target: 0.1%, errors: [5xx] }
                """);
        var o = (Objective.ErrorRate) objective(spec, "api:error-rate@tenant=t1");
        assertThat(o.errors()).isEqualTo(ErrorDefinition.DEFAULT);
        assertThat(o.budgeting().period()).isEqualTo(new BudgetPeriod.Rolling(7));
        assertThat(spec.objectives()).extracting(Objective::id).containsExactly("api:error-rate", "api:error-rate@tenant=t1");
    }

    @Test
    void objectivesRememberWhereTheyWereWritten() throws ConfigException {
        SloSpec spec = parse("service: s\nroutes:\n  api:\n    match: GET /a\n    latency:\n      p99: 100ms\n");
        assertThat(objective(spec, "api:latency:p99").location())
                .isEqualTo(new SourceLocation("slo.yaml", 6, 7, "routes.api.latency.p99"));
        assertThat(spec.routeGroups().getFirst().location()).isEqualTo(new SourceLocation("slo.yaml", 3, 3, "routes.api"));
        assertThat(spec.source()).isEqualTo("slo.yaml");
    }

    @Test
    void acceptsAGroupWithoutObjectives() throws ConfigException {
        // A group may exist only to keep its traffic (health checks) out of the default group.
        SloSpec spec = parse("service: s\nroutes:\n  health:\n    match: '* /health'\n");
        assertThat(spec.objectives()).isEmpty();
        assertThat(spec.routeGroups().getFirst().patterns()).containsExactly(new RoutePattern("*", "/health"));
        assertThat(spec.maintenance()).isEmpty();
        assertThat(spec.tenantPlans()).isEmpty();
    }

    @Test
    void resolvesTheObjectivesOfATenantWithTenantOverridesWinningOverPlanOverrides() throws ConfigException {
        SloSpec spec = parse("""
                service: s
                availability: 99.9%
                routes:
                  api:
                    match: GET /a
                    latency: { p99: 100ms }
                    error-rate: 1%
                tenants: { acme: gold, initech: gold }
                overrides:
                  - plan: gold
                    availability: 99.95%
                    routes:
                      api:
                        latency: { p99: 80ms, p50: 10ms }
                  - tenant: acme
                    routes:
                      api:
                        latency: { p99: 50ms }
                """);
        assertThat(spec.objectivesFor("acme", null)).extracting(Objective::id).containsExactly(
                "*:availability@plan=gold", "api:latency:p99@tenant=acme", "api:error-rate", "api:latency:p50@plan=gold");
        assertThat(spec.objectivesFor("initech", null)).extracting(Objective::id).containsExactly(
                "*:availability@plan=gold", "api:latency:p99@plan=gold", "api:error-rate", "api:latency:p50@plan=gold");
        assertThat(spec.objectivesFor("someone", null)).extracting(Objective::id).containsExactly(
                "*:availability", "api:latency:p99", "api:error-rate");
        assertThat(spec.objectivesFor("someone", "gold")).extracting(Objective::id).contains("api:latency:p99@plan=gold");
        assertThat(spec.generalObjectives()).hasSize(3);
        assertThat(objective(spec, "api:latency:p99@tenant=acme").baseId()).isEqualTo("api:latency:p99");
        assertThat(spec.routeGroup("api")).isPresent();
        assertThat(spec.routeGroup("nope")).isEmpty();
        assertThat(spec.defaultGroup().name()).isEqualTo("default");
    }

    @Test
    void explainsHowToWriteLatencyWhenGivenASingleValue() {
        assertThat(error("service: s\nlatency: 100ms\n"))
                .isEqualTo("slo.yaml:2:10: latency: latency holds thresholds per percentile, e.g. latency: { p99: 100ms }");
    }

    @Test
    void readsUnquotedTimesOfDay() throws ConfigException {
        SloSpec spec = parse("service: s\nmaintenance:\n  - every: day\n    at: 03:00\n    duration: 1h\n");
        assertThat(((MaintenanceWindow.Recurring) spec.maintenance().getFirst()).start()).isEqualTo(LocalTime.of(3, 0));
    }

    @Test
    void aPercentileInGoodMinutesBudgetsMinutesOverTheFilesPeriodAndOverridesInheritIt() throws ConfigException {
        SloSpec spec = parse("""
                service: s
                budget: { period: rolling 28d, method: events }
                routes:
                  api:
                    match: GET /a
                    latency:
                      p99: { target: 100ms, good-minutes: 99% }
                      p50: 20ms
                tenants: { acme: gold }
                overrides:
                  - plan: gold
                    routes:
                      api:
                        latency:
                          p99: 50ms
                """);
        Objective.LatencyPercentile p99 = (Objective.LatencyPercentile) spec.objectives().stream()
                .filter(o -> o.id().equals("api:latency:p99")).findFirst().orElseThrow();
        assertThat(p99.budgeting()).contains(new Budgeting(new BudgetPeriod.Rolling(28), BudgetingMethod.TIMESLICES));
        Objective.LatencyPercentile p50 = (Objective.LatencyPercentile) spec.objectives().stream()
                .filter(o -> o.id().equals("api:latency:p50")).findFirst().orElseThrow();
        assertThat(p50.goodMinutes()).isEmpty();
        assertThat(p50.budgeting()).isEmpty();
        Objective.LatencyPercentile gold = (Objective.LatencyPercentile) spec.objectives().stream()
                .filter(o -> o.id().equals("api:latency:p99@plan=gold")).findFirst().orElseThrow();
        assertThat(gold.goodMinutes()).contains(Ratio.ofPercent("99"));
        assertThat(gold.budgeting()).isEqualTo(p99.budgeting());
    }

    @Test
    void aPercentileHasABudgetExactlyWhenItIsJudgedInMinutes() {
        Tiers<Duration> tiers = new Tiers<>(Duration.ofMillis(1), Duration.ofMillis(1), Duration.ofMillis(1), Tiers.Direction.LOWER_IS_BETTER);
        Scope scope = new Scope("api", TenantSelector.ALL);
        assertThatThrownBy(() -> new Objective.LatencyPercentile("x", scope, SourceLocation.UNKNOWN, BigDecimal.ONE, tiers,
                Optional.empty(), Optional.of(Objective.LatencyPercentile.DEFAULT_TIME_SLICES)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Objective.LatencyPercentile("x", scope, SourceLocation.UNKNOWN, BigDecimal.ONE, tiers,
                Optional.of(Ratio.ofPercent("99")), Optional.of(new Budgeting(new BudgetPeriod.Rolling(7), BudgetingMethod.EVENTS))))
                .hasMessageContaining("TIMESLICES");
        assertThat(new Objective.LatencyPercentile("x", scope, SourceLocation.UNKNOWN, BigDecimal.ONE, tiers, Optional.of(Ratio.ofPercent("99")))
                .budgeting()).contains(Objective.LatencyPercentile.DEFAULT_TIME_SLICES);
    }
}
