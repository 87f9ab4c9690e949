package dev.vigil.slo.explain;

import dev.vigil.slo.config.ConfigException;
import dev.vigil.slo.spec.Objective;
import dev.vigil.slo.spec.SloFiles;
import dev.vigil.slo.spec.SloSpec;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SloExplainerTest {
    private static final SloSpec SPEC;

    static {
        try {
            SPEC = SloFiles.parse("slo.yaml", """
                    service: shop
                    budget: { period: rolling 30d }
                    errors: [5xx, 4xx]
                    availability: 99.99%
                    throughput: { sustained: 1.5k rps, peak: 600k rpm }
                    routes:
                      checkout:
                        match: [POST /checkout, "GET /cart/{id}"]
                        latency:
                          p99.9: { target: 1s, critical: 3s, good-minutes: 99.5% }
                          under:
                            300ms: { target: 95%, period: rolling 1d, method: timeslices }
                        cache-hit-ratio: 50%
                    maintenance:
                      - every: [mon, wed]
                        at: "01:00"
                        duration: 90m
                        until: 2027-01-01 00:00
                      - every: weekdays
                        at: "23:00"
                        duration: 1h
                        reason: backups
                    """);
        } catch (ConfigException e) {
            throw new AssertionError(e.getMessage(), e);
        }
    }

    private static Objective objective(String id) {
        return SPEC.objectives().stream().filter(o -> o.id().equals(id)).findFirst().orElseThrow();
    }

    @Test
    void describesEachKindOfObjective() {
        assertThat(SloExplainer.describe(objective("checkout:latency:p99.9"), SPEC))
                .isEqualTo("p99.9 of checkout under 1 s (critical 3 s), in at least 99.5% of minutes");
        assertThat(SloExplainer.describe(objective("checkout:latency:under-300ms"), SPEC))
                .isEqualTo("at least 95% of checkout requests complete in under 300 ms over a rolling 1 day");
        assertThat(SloExplainer.describe(objective("*:availability"), SPEC))
                .isEqualTo("availability of all traffic at least 99.99% over a rolling 30 days, counted in requests; "
                        + "errors: 5xx, 4xx, timeouts and connection failures");
        assertThat(SloExplainer.describe(objective("*:throughput"), SPEC))
                .isEqualTo("throughput of all traffic: carry 1500 rps sustained and 10000 rps at peak");
        assertThat(SloExplainer.describe(objective("checkout:cache-hit-ratio"), SPEC))
                .isEqualTo("cache hit ratio of checkout at least 50%");
    }

    @Test
    void statesBudgetsAsTimeOverTheirPeriod() {
        assertThat(SloExplainer.budget(objective("*:availability")))
                .contains("error budget: 4 min 19 s per 30 days, 52 min 36 s per year (0.01% of requests)");
        assertThat(SloExplainer.budget(objective("checkout:latency:under-300ms")))
                .contains("error budget: 1 h 12 min per 1 day (5% of minutes)");
        assertThat(SloExplainer.budget(objective("checkout:latency:p99.9")))
                .contains("error budget: 3 h 36 min per 30 days (0.5% of minutes)");  // the file's period: rolling 30d
        assertThat(SloExplainer.budget(objective("checkout:cache-hit-ratio"))).isEmpty();
    }

    @Test
    void explainsMaintenanceAndGroups() {
        String text = SloExplainer.explain(SPEC);
        assertThat(text).contains("  checkout  POST /checkout, GET /cart/{id}\n")
                .contains("  default   every request no other group matches  (no objectives)\n")
                .contains("  every Monday and Wednesday at 01:00 for 1 h 30 min (UTC), until 2027-01-01 00:00: planned maintenance\n")
                .contains("  every weekday at 23:00 for 1 h (UTC): backups\n")
                .endsWith("\n");
    }
}
