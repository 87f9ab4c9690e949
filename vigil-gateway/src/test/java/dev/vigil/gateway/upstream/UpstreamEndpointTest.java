package dev.vigil.gateway.upstream;

import dev.vigil.gateway.config.BalancePolicy;
import dev.vigil.gateway.config.Endpoint;
import dev.vigil.gateway.config.PassiveHealth;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class UpstreamEndpointTest {
    private final AtomicLong now = new AtomicLong();

    private UpstreamEndpoint endpoint(int port) {
        return new UpstreamEndpoint(new Endpoint("127.0.0.1", port), new PassiveHealth(3, Duration.ofSeconds(10)), now::get,
                16, Duration.ofSeconds(30).toNanos());
    }

    @Test void ejectsAfterConsecutiveFailuresAndReadmitsAfterTheEjectionPeriod() {
        UpstreamEndpoint e = endpoint(1);
        e.recordFailure();
        e.recordFailure();
        assertThat(e.available()).isTrue();
        e.recordFailure();
        assertThat(e.available()).isFalse();
        assertThat(e.ejections()).isEqualTo(1);
        now.addAndGet(Duration.ofSeconds(9).toNanos());
        assertThat(e.available()).isFalse();
        now.addAndGet(Duration.ofSeconds(1).toNanos());
        assertThat(e.available()).isTrue();
        // On probation: a fresh streak is needed to eject again, and a success resets it.
        e.recordFailure();
        e.recordFailure();
        e.recordSuccess();
        e.recordFailure();
        assertThat(e.available()).isTrue();
    }

    @Test void activeCheckThresholdsGateAvailability() {
        UpstreamEndpoint e = endpoint(1);
        e.activeResult(false, 2, 2);
        assertThat(e.available()).isTrue();
        e.activeResult(false, 2, 2);
        assertThat(e.available()).isFalse();
        e.activeResult(true, 2, 2);
        assertThat(e.available()).isFalse();
        e.activeResult(true, 2, 2);
        assertThat(e.available()).isTrue();
    }

    @Test void roundRobinVisitsEachAvailableEndpointInTurn() {
        List<UpstreamEndpoint> eps = List.of(endpoint(1), endpoint(2), endpoint(3));
        LoadBalancer lb = LoadBalancer.of(BalancePolicy.ROUND_ROBIN);
        Map<Integer, Integer> hits = new HashMap<>();
        for (int i = 0; i < 300; i++) hits.merge(lb.pick(eps, null).address().port(), 1, Integer::sum);
        assertThat(hits).containsEntry(1, 100).containsEntry(2, 100).containsEntry(3, 100);
        for (int i = 0; i < 3; i++) eps.get(1).recordFailure();
        for (int i = 0; i < 10; i++) assertThat(lb.pick(eps, null).address().port()).isNotEqualTo(2);
        assertThat(lb.pick(eps, eps.get(0)).address().port()).isEqualTo(3);
    }

    @Test void powerOfTwoChoicesPrefersTheLessLoadedEndpoint() {
        List<UpstreamEndpoint> eps = List.of(endpoint(1), endpoint(2));
        for (int i = 0; i < 5; i++) eps.get(0).requestStarted();
        LoadBalancer lb = LoadBalancer.of(BalancePolicy.LEAST_OUTSTANDING);
        for (int i = 0; i < 50; i++) assertThat(lb.pick(eps, null).address().port()).isEqualTo(2);
        assertThat(lb.pick(eps, eps.get(1)).address().port()).isEqualTo(1);
    }

    @Test void powerOfTwoChoicesSpreadsLoadAcrossManyEndpoints() {
        List<UpstreamEndpoint> eps = new java.util.ArrayList<>();
        for (int i = 1; i <= 8; i++) eps.add(endpoint(i));
        LoadBalancer lb = LoadBalancer.of(BalancePolicy.LEAST_OUTSTANDING);
        for (int i = 0; i < 800; i++) lb.pick(eps, null).requestStarted(); // requests that never finish
        for (UpstreamEndpoint e : eps) assertThat(e.outstanding()).isBetween(85, 115);
    }

    @Test void noEndpointWhenAllAreDown() {
        List<UpstreamEndpoint> eps = List.of(endpoint(1), endpoint(2));
        for (UpstreamEndpoint e : eps) for (int i = 0; i < 3; i++) e.recordFailure();
        assertThat(LoadBalancer.of(BalancePolicy.ROUND_ROBIN).pick(eps, null)).isNull();
        assertThat(LoadBalancer.of(BalancePolicy.LEAST_OUTSTANDING).pick(eps, null)).isNull();
    }
}
