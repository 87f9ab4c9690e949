package dev.vigil.slo.config;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class DidYouMeanTest {
    private static final List<String> LATENCY_KEYS = List.of("p50", "p90", "p95", "p99", "p99.9", "max", "under");

    @Test
    void suggestsTheClosestKeyForATypo() {
        assertThat(DidYouMean.suggest("p999", LATENCY_KEYS)).contains("p99.9");
        assertThat(DidYouMean.suggest("P95", LATENCY_KEYS)).contains("p95");
        assertThat(DidYouMean.suggest("acceptible", List.of("target", "acceptable", "critical"))).contains("acceptable");
        assertThat(DidYouMean.suggest("crtiical", List.of("target", "acceptable", "critical"))).contains("critical");
    }

    @Test
    void suggestsNothingWhenNothingIsClose() {
        assertThat(DidYouMean.suggest("throughput", LATENCY_KEYS)).isEmpty();
        assertThat(DidYouMean.suggest("xyz", List.of("target"))).isEmpty();
    }

    @Test
    void countsAnAdjacentTranspositionAsOneEdit() {
        assertThat(DidYouMean.distance("taregt", "target")).isEqualTo(1);
        assertThat(DidYouMean.distance("kitten", "sitting")).isEqualTo(3);
        assertThat(DidYouMean.distance("", "abc")).isEqualTo(3);
    }
}
