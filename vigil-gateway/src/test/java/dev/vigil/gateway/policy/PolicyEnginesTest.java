package dev.vigil.gateway.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.gateway.policy.idempotency.IdempotencyConfig;
import dev.vigil.gateway.policy.idempotency.IdempotencyDecision;
import dev.vigil.gateway.policy.idempotency.IdempotencyMode;
import dev.vigil.gateway.policy.idempotency.IdempotencyRequest;
import dev.vigil.gateway.policy.ratelimit.Limit;
import dev.vigil.gateway.policy.ratelimit.RateLimitRules;
import dev.vigil.gateway.policy.state.LocalRedis;
import dev.vigil.gateway.policy.state.StateConfig;
import dev.vigil.gateway.policy.tenant.Plan;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PolicyEnginesTest {

    @TempDir Path dir;
    final TestClock clock = TestClock.at("2026-01-01T00:00:00Z");
    final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    final RateLimitRules rules = new RateLimitRules(
            Map.of("free", new Plan("free", List.of(new Limit.Quota("minute", 1, Duration.ofMinutes(1))))), List.of(), List.of(), FailMode.OPEN);
    final IdempotencyRequest payment = IdempotencyRequest.of("acme", "pay", "POST", "/pay", "p-1", "{}".getBytes(StandardCharsets.UTF_8));
    final IdempotencyConfig required = IdempotencyConfig.defaults(IdempotencyMode.REQUIRED);

    @AfterEach
    void stop() {
        scheduler.shutdownNow();
    }

    @Test
    void anEmbeddedGatewayRestartedBetweenARequestAndItsDuplicateReplays() {
        try (PolicyEngines first = PolicyEngines.create(new StateConfig.Embedded(dir.resolve("state")), rules, 1 << 20, clock, scheduler)) {
            var d = (IdempotencyDecision.Proceed) first.idempotency().begin(payment, required).toCompletableFuture().join();
            d.ticket().complete(201, List.of(), "charged".getBytes(StandardCharsets.UTF_8)).toCompletableFuture().join();
        }
        try (PolicyEngines second = PolicyEngines.create(new StateConfig.Embedded(dir.resolve("state")), rules, 1 << 20, clock, scheduler)) {
            IdempotencyDecision d = second.idempotency().begin(payment, required).toCompletableFuture().join();
            assertThat(d).isInstanceOf(IdempotencyDecision.Replay.class);
            assertThat(((IdempotencyDecision.Replay) d).response().body()).asString(StandardCharsets.UTF_8).isEqualTo("charged");
            assertThat(second.redis()).isEmpty();
        }
    }

    @Test
    void memoryStateReplaysDuplicatesCountsThemAndForgetsThemOnRestart() {
        try (PolicyEngines first = PolicyEngines.create(new StateConfig.Memory(), rules, 1 << 20, clock, scheduler)) {
            var d = (IdempotencyDecision.Proceed) first.idempotency().begin(payment, required).toCompletableFuture().join();
            d.ticket().complete(201, List.of(), "charged".getBytes(StandardCharsets.UTF_8)).toCompletableFuture().join();
            assertThat(first.idempotency().replays()).isZero();
            IdempotencyDecision again = first.idempotency().begin(payment, required).toCompletableFuture().join();
            assertThat(again).isInstanceOf(IdempotencyDecision.Replay.class);
            assertThat(first.idempotency().replays()).isEqualTo(1);
        }
        try (PolicyEngines second = PolicyEngines.create(new StateConfig.Memory(), rules, 1 << 20, clock, scheduler)) {
            assertThat(second.idempotency().begin(payment, required).toCompletableFuture().join())
                    .isInstanceOf(IdempotencyDecision.Proceed.class);
        }
        assertThat(dir).isEmptyDirectory();
    }

    @Test
    @Tag("redis")
    void redisStateSharesLimitsBetweenInstances() {
        LocalRedis.requireRunning();
        var state = new StateConfig.Redis(LocalRedis.URI, Duration.ofSeconds(2));
        String tenant = "engines-" + java.util.UUID.randomUUID();
        try (PolicyEngines a = PolicyEngines.create(state, rules, 1 << 20, clock, scheduler);
             PolicyEngines b = PolicyEngines.create(state, rules, 1 << 20, clock, scheduler)) {
            assertThat(a.rateLimiter().decide(tenant, "free", null).toCompletableFuture().join().allowed()).isTrue();
            assertThat(b.rateLimiter().decide(tenant, "free", null).toCompletableFuture().join().allowed()).isFalse();
            assertThat(a.redis()).get().matches(r -> r.available());
        }
    }
}
