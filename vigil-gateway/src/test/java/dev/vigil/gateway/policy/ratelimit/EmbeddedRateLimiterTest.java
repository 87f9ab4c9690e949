package dev.vigil.gateway.policy.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.gateway.policy.FailMode;
import dev.vigil.gateway.policy.TestClock;
import dev.vigil.gateway.policy.tenant.Plan;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class EmbeddedRateLimiterTest {

    final TestClock clock = TestClock.at("2026-01-01T00:00:00Z");

    static RateLimitRules rules(List<Limit> plan, List<RouteLimits> routes, List<Limit> global) {
        return new RateLimitRules(Map.of("p", new Plan("p", plan)), routes, global, FailMode.OPEN);
    }

    static int admitted(RateLimiter limiter, String tenant, String route, int attempts) {
        int n = 0;
        for (int i = 0; i < attempts; i++) {
            if (((EmbeddedRateLimiter) limiter).decideNow(tenant, "p", route).allowed()) n++;
        }
        return n;
    }

    @Test
    void admitsTheBurstThenTheSustainedRate() {
        var limiter = new EmbeddedRateLimiter(rules(List.of(new Limit.Rate("rate", 10, Duration.ofSeconds(1), 5)), List.of(), List.of()), clock);
        assertThat(admitted(limiter, "t", null, 20)).isEqualTo(5);
        clock.advance(Duration.ofMillis(100));           // one emission interval → one more
        assertThat(admitted(limiter, "t", null, 20)).isEqualTo(1);
        clock.advance(Duration.ofSeconds(10));           // fully restored, never more than the burst
        assertThat(admitted(limiter, "t", null, 20)).isEqualTo(5);
    }

    @Test
    void reportsRemainingResetAndRetryAfter() {
        var limiter = new EmbeddedRateLimiter(rules(List.of(new Limit.Rate("rate", 10, Duration.ofSeconds(1), 5)), List.of(), List.of()), clock);
        RateLimitDecision first = limiter.decideNow("t", "p", null);
        assertThat(first.allowed()).isTrue();
        assertThat(first.policies()).containsExactly(new PolicyState("rate", 10, 1, 5, 4, 1, false));
        for (int i = 0; i < 4; i++) limiter.decideNow("t", "p", null);
        RateLimitDecision refused = limiter.decideNow("t", "p", null);
        assertThat(refused.allowed()).isFalse();
        assertThat(refused.retryAfterSeconds()).isEqualTo(1);     // 100 ms rounded up
        assertThat(refused.policies().getFirst().remaining()).isZero();
        assertThat(refused.policies().getFirst().resetSeconds()).isEqualTo(refused.retryAfterSeconds());
        assertThat(refused.policies().getFirst().violated()).isTrue();
    }

    @Test
    void restartsQuotasAtTheWindowBoundary() {
        var limiter = new EmbeddedRateLimiter(rules(List.of(new Limit.Quota("minute", 3, Duration.ofMinutes(1))), List.of(), List.of()), clock);
        clock.advance(Duration.ofSeconds(50));
        assertThat(admitted(limiter, "t", null, 10)).isEqualTo(3);
        RateLimitDecision refused = limiter.decideNow("t", "p", null);
        assertThat(refused.retryAfterSeconds()).isEqualTo(10);
        assertThat(refused.policies().getFirst().resetSeconds()).isEqualTo(10);
        clock.advance(Duration.ofSeconds(10));
        assertThat(admitted(limiter, "t", null, 10)).isEqualTo(3);
    }

    @Test
    void aRefusedRequestConsumesNothingFromTheOtherLimits() {
        var limiter = new EmbeddedRateLimiter(rules(List.of(
                new Limit.Rate("rate", 1, Duration.ofSeconds(1), 1),
                new Limit.Quota("hourly", 5, Duration.ofHours(1))), List.of(), List.of()), clock);
        for (int second = 0; second < 10; second++) {
            admitted(limiter, "t", null, 50);               // 49 of each 50 are refused by "rate"
            clock.advance(Duration.ofSeconds(1));
        }
        RateLimitDecision d = limiter.decideNow("t", "p", null);
        assertThat(d.allowed()).isFalse();
        assertThat(d.policies()).extracting(PolicyState::name, PolicyState::violated)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("rate", false), org.assertj.core.groups.Tuple.tuple("hourly", true));
        // refused: the admitting limit reports what is really left (nothing was consumed)
        assertThat(d.policies().getFirst().remaining()).isEqualTo(1);
    }

    @Test
    void isolatesTenantsAndCountsRouteLimitsPerTenantPerRoute() {
        var limiter = new EmbeddedRateLimiter(rules(
                List.of(new Limit.Quota("minute", 10, Duration.ofMinutes(1))),
                List.of(new RouteLimits("search", List.of(new Limit.Quota("minute", 2, Duration.ofMinutes(1))), Map.of(), null)),
                List.of()), clock);
        assertThat(admitted(limiter, "a", "search", 5)).isEqualTo(2);
        assertThat(admitted(limiter, "b", "search", 5)).isEqualTo(2);
        assertThat(admitted(limiter, "a", "orders", 20)).isEqualTo(8);   // plan quota shared across routes
        RateLimitDecision d = limiter.decideNow("b", "p", "search");
        assertThat(d.policies()).extracting(PolicyState::name).containsExactly("minute", "search.minute");
    }

    @Test
    void routeOverridesReplaceTheRouteLimitsForOnePlan() {
        var rules = new RateLimitRules(Map.of("free", new Plan("free", List.of()), "pro", new Plan("pro", List.of())),
                List.of(new RouteLimits("export", List.of(new Limit.Quota("q", 1, Duration.ofMinutes(1))),
                        Map.of("pro", List.of(new Limit.Quota("q", 3, Duration.ofMinutes(1)))), null)),
                List.of(), FailMode.OPEN);
        var limiter = new EmbeddedRateLimiter(rules, clock);
        int free = 0, pro = 0;
        for (int i = 0; i < 10; i++) {
            if (limiter.decideNow("f", "free", "export").allowed()) free++;
            if (limiter.decideNow("g", "pro", "export").allowed()) pro++;
        }
        assertThat(free).isEqualTo(1);
        assertThat(pro).isEqualTo(3);
        assertThat(limiter.decideNow("f", "free", "other")).isEqualTo(RateLimitDecision.UNLIMITED);
    }

    @Test
    void theGlobalCeilingCountsEveryTenant() {
        var limiter = new EmbeddedRateLimiter(rules(List.of(), List.of(), List.of(new Limit.Quota("all", 5, Duration.ofSeconds(1)))), clock);
        int n = 0;
        for (int t = 0; t < 10; t++) n += admitted(limiter, "tenant-" + t, null, 1);
        assertThat(n).isEqualTo(5);
        assertThat(limiter.decideNow("x", "p", null).policies()).extracting(PolicyState::name).containsExactly("global.all");
    }

    @Test
    void largeDailyQuotasDoNotOverflow() {
        var limiter = new EmbeddedRateLimiter(rules(List.of(
                new Limit.Quota("daily", 5_000_000_000L, Duration.ofDays(1)),
                new Limit.Rate("sustained", 9_000_000_000_000L, Duration.ofDays(1), 1_000_000_000L)), List.of(), List.of()), clock);
        RateLimitDecision d = limiter.decideNow("t", "p", null);
        assertThat(d.allowed()).isTrue();
        assertThat(d.policies().get(0).remaining()).isEqualTo(4_999_999_999L);
        assertThat(d.policies().get(0).resetSeconds()).isEqualTo(86_400);
        assertThat(d.policies().get(1).remaining()).isEqualTo(999_999_999L);
        assertThatThrownBy(() -> new Limit.Rate("x", 1, Duration.ofDays(365_000), Long.MAX_VALUE / 2))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void concurrentCallersNeverGetMoreThanTheBurst() throws Exception {
        var limiter = new EmbeddedRateLimiter(rules(List.of(new Limit.Rate("rate", 1, Duration.ofHours(1), 100)), List.of(), List.of()), clock);
        AtomicInteger admitted = new AtomicInteger();
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            threads.add(Thread.ofPlatform().start(() -> {
                try { start.await(); } catch (InterruptedException e) { return; }
                for (int i = 0; i < 1000; i++) if (limiter.decideNow("t", "p", null).allowed()) admitted.incrementAndGet();
            }));
        }
        start.countDown();
        for (Thread t : threads) t.join(10_000);
        assertThat(admitted.get()).isEqualTo(100);
    }

    @Test
    void keepsCountersOfUnchangedLimitsAcrossReloads() {
        Limit q = new Limit.Quota("minute", 3, Duration.ofMinutes(1));
        var limiter = new EmbeddedRateLimiter(rules(List.of(q), List.of(), List.of()), clock);
        assertThat(admitted(limiter, "t", null, 2)).isEqualTo(2);
        limiter.updateRules(rules(List.of(q, new Limit.Quota("hour", 100, Duration.ofHours(1))), List.of(), List.of()));
        assertThat(admitted(limiter, "t", null, 5)).isEqualTo(1);
    }

    @Test
    void rendersTheIetfFieldsAndTheProblemBody() {
        var limiter = new EmbeddedRateLimiter(rules(List.of(
                new Limit.Rate("burst", 100, Duration.ofSeconds(1), 2),
                new Limit.Quota("daily", 1000, Duration.ofDays(1))), List.of(), List.of()), clock);
        clock.advance(Duration.ofHours(23));
        RateLimitDecision ok = limiter.decideNow("t", "p", null);
        assertThat(RateLimitHttp.policyField(ok)).isEqualTo("\"burst\";q=100;w=1;vigil-burst=2, \"daily\";q=1000;w=86400");
        assertThat(RateLimitHttp.rateLimitField(ok)).isEqualTo("\"burst\";r=1;t=1, \"daily\";r=999;t=3600");
        assertThat(RateLimitHttp.retryAfter(ok)).isNull();
        limiter.decideNow("t", "p", null);
        RateLimitDecision refused = limiter.decideNow("t", "p", null);
        assertThat(RateLimitHttp.retryAfter(refused)).isEqualTo("1");
        assertThat(refused.refusalStatus()).isEqualTo(429);
        String body = new String(RateLimitHttp.problem(refused).toJson(), StandardCharsets.UTF_8);
        assertThat(body).isEqualTo("{\"type\":\"https://iana.org/assignments/http-problem-types#quota-exceeded\","
                + "\"title\":\"Request cannot be satisfied as assigned quota has been exceeded\",\"status\":429,"
                + "\"detail\":\"Limit burst exceeded; retry in 1 s.\",\"violated-policies\":[\"burst\"]}");
    }

    @Test
    void rejectsUnknownPlansAndInvalidLimits() {
        var limiter = new EmbeddedRateLimiter(rules(List.of(), List.of(), List.of()), clock);
        assertThatThrownBy(() -> limiter.decideNow("t", "gold", null)).hasMessageContaining("unknown plan 'gold'");
        assertThatThrownBy(() -> new Limit.Quota("q", 1, Duration.ofMillis(1500))).hasMessageContaining("whole number of seconds");
        assertThatThrownBy(() -> new Limit.Rate("bad name", 1, Duration.ofSeconds(1), 1)).hasMessageContaining("limit name");
        assertThatThrownBy(() -> new Limit.Rate("r", 0, Duration.ofSeconds(1), 1)).hasMessageContaining("between 1 and 2^53");
    }
}
