package dev.vigil.gateway.policy.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.gateway.policy.FailMode;
import dev.vigil.gateway.policy.state.LocalRedis;
import dev.vigil.gateway.policy.state.RedisState;
import dev.vigil.gateway.policy.state.TcpProxy;
import dev.vigil.gateway.policy.tenant.Plan;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("redis")
class RedisRateLimiterTest {

    final List<AutoCloseable> closeables = new ArrayList<>();
    final String prefix = LocalRedis.uniquePrefix("rl");

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : closeables.reversed()) c.close();
    }

    RedisState redis() {
        RedisState s = LocalRedis.open();
        closeables.add(s);
        return s;
    }

    static RateLimitRules rules(FailMode mode, List<Limit> plan, List<Limit> global) {
        return new RateLimitRules(Map.of("p", new Plan("p", plan)),
                List.of(new RouteLimits("search", List.of(new Limit.Quota("minute", 2, Duration.ofMinutes(1))), Map.of(), null)),
                global, mode);
    }

    static RateLimitDecision decide(RateLimiter l, String tenant, String route) {
        return l.decide(tenant, "p", route).toCompletableFuture().join();
    }

    @Test
    void twoInstancesShareOneBurstExactly() {
        var rules = rules(FailMode.OPEN, List.of(new Limit.Rate("rate", 1, Duration.ofHours(1), 10)), List.of());
        var a = new RedisRateLimiter(rules, redis(), prefix);
        var b = new RedisRateLimiter(rules, redis(), prefix);
        List<CompletableFuture<RateLimitDecision>> all = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            all.add((i % 2 == 0 ? a : b).decide("t", "p", null).toCompletableFuture());
        }
        long admitted = all.stream().map(CompletableFuture::join).filter(RateLimitDecision::allowed).count();
        assertThat(admitted).isEqualTo(10);
        RateLimitDecision refused = decide(a, "t", null);
        assertThat(refused.allowed()).isFalse();
        assertThat(refused.degraded()).isFalse();
        assertThat(refused.retryAfterSeconds()).isBetween(3590L, 3600L);
        assertThat(refused.policies().getFirst().resetSeconds()).isEqualTo(refused.retryAfterSeconds());
        assertThat(decide(b, "other", null).allowed()).isTrue();    // per-tenant isolation
    }

    @Test
    void twoInstancesHammeringOnePlanAdmitAtMostRateTimesTimePlusBurst() throws Exception {
        var rules = rules(FailMode.OPEN, List.of(new Limit.Rate("rate", 100, Duration.ofSeconds(1), 20)), List.of());
        List<RedisRateLimiter> instances = List.of(new RedisRateLimiter(rules, redis(), prefix), new RedisRateLimiter(rules, redis(), prefix));
        java.util.concurrent.atomic.AtomicLong admitted = new java.util.concurrent.atomic.AtomicLong();
        java.util.concurrent.atomic.AtomicLong other = new java.util.concurrent.atomic.AtomicLong();
        long start = System.nanoTime();
        long end = start + Duration.ofSeconds(2).toNanos();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            RedisRateLimiter limiter = instances.get(t % 2);
            threads.add(Thread.ofPlatform().start(() -> {
                while (System.nanoTime() < end) {
                    if (decide(limiter, "hammer", null).allowed()) admitted.incrementAndGet();
                }
            }));
        }
        // another tenant on the same plan is unaffected by the hammering
        for (int i = 0; i < 20; i++) if (decide(instances.get(i % 2), "quiet", null).allowed()) other.incrementAndGet();
        for (Thread t : threads) t.join(10_000);
        double seconds = (System.nanoTime() - start) / 1e9;
        // Redis's clock and ours can disagree by a few ms about when the run started and ended: 5 requests of slack
        assertThat(admitted.get()).isLessThanOrEqualTo((long) (100 * seconds) + 20 + 5);
        assertThat(admitted.get()).isGreaterThanOrEqualTo((long) (100 * 2 * 0.5));
        assertThat(other.get()).isEqualTo(20);
    }

    @Test
    void evaluatesQuotasRouteLimitsAndTheGlobalCeilingInOneScript() {
        var rules = rules(FailMode.OPEN, List.of(new Limit.Quota("daily", 3_000_000_000L, Duration.ofDays(1))),
                List.of(new Limit.Quota("all", 3, Duration.ofHours(1))));
        var limiter = new RedisRateLimiter(rules, redis(), prefix);
        RateLimitDecision first = decide(limiter, "a", "search");
        assertThat(first.allowed()).isTrue();
        assertThat(first.policies()).extracting(PolicyState::name).containsExactly("daily", "search.minute", "global.all");
        assertThat(first.policies()).extracting(PolicyState::remaining).containsExactly(2_999_999_999L, 1L, 2L);
        assertThat(decide(limiter, "a", "search").allowed()).isTrue();
        RateLimitDecision third = decide(limiter, "a", "search");
        assertThat(third.allowed()).isFalse();
        assertThat(third.policies()).extracting(PolicyState::violated).containsExactly(false, true, false);
        assertThat(third.policies().get(2).remaining()).isEqualTo(1);       // refused: nothing consumed
        assertThat(decide(limiter, "b", null).allowed()).isTrue();           // global: 3rd of 3
        RateLimitDecision ceiling = decide(limiter, "c", null);
        assertThat(ceiling.allowed()).isFalse();
        assertThat(ceiling.policies().get(1).violated()).isTrue();
    }

    @Test
    void aLimitChangedFromRateToQuotaKeepsWorking() {
        var limiter = new RedisRateLimiter(rules(FailMode.CLOSED, List.of(new Limit.Rate("x", 10, Duration.ofSeconds(1), 5)), List.of()), redis(), prefix);
        assertThat(decide(limiter, "t", null).allowed()).isTrue();
        limiter.updateRules(rules(FailMode.CLOSED, List.of(new Limit.Quota("x", 5, Duration.ofMinutes(1))), List.of()));
        RateLimitDecision d = decide(limiter, "t", null);
        assertThat(d.degraded()).isFalse();
        assertThat(d.allowed()).isTrue();
    }

    @Test
    void agreesWithTheEmbeddedLimiterOnTheFields() {
        var rules = rules(FailMode.OPEN, List.of(new Limit.Rate("burst", 100, Duration.ofSeconds(1), 5)), List.of());
        RateLimitDecision d = decide(new RedisRateLimiter(rules, redis(), prefix), "t", null);
        assertThat(RateLimitHttp.policyField(d)).isEqualTo("\"burst\";q=100;w=1;vigil-burst=5");
        assertThat(RateLimitHttp.rateLimitField(d)).isEqualTo("\"burst\";r=4;t=1");
    }

    @Test
    void appliesTheFailModeDuringAnOutageAndRecoversWithoutRestart() throws Exception {
        TcpProxy proxy = new TcpProxy(LocalRedis.PORT);
        closeables.add(proxy);
        LocalRedis.requireRunning();
        RedisState state = RedisState.open(proxy.uri(), Duration.ofMillis(200));
        closeables.add(state);
        var open = new RedisRateLimiter(rules(FailMode.OPEN, List.of(new Limit.Quota("q", 1000, Duration.ofHours(1))), List.of()), state, prefix);
        var closed = new RedisRateLimiter(rules(FailMode.CLOSED, List.of(new Limit.Quota("q", 1000, Duration.ofHours(1))), List.of()), state, prefix);
        assertThat(decide(open, "t", null).degraded()).isFalse();

        proxy.stop();
        for (int i = 0; i < 20; i++) {
            RateLimitDecision o = decide(open, "t", null);
            assertThat(o.allowed()).isTrue();
            assertThat(o.degraded()).isTrue();
            RateLimitDecision c = decide(closed, "t", null);
            assertThat(c.allowed()).isFalse();
            assertThat(c.refusalStatus()).isEqualTo(503);
            assertThat(RateLimitHttp.problem(c).status()).isEqualTo(503);
        }
        assertThat(state.available()).isFalse();
        assertThat(state.outages()).isEqualTo(1);           // logged once, not per request
        assertThat(state.failures()).isGreaterThanOrEqualTo(40);

        proxy.start();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        RateLimitDecision after;
        do {
            after = decide(closed, "t", null);
            if (!after.degraded()) break;
            Thread.sleep(50);
        } while (System.nanoTime() < deadline);
        assertThat(after.degraded()).as("recovered within 10 s").isFalse();
        assertThat(after.allowed()).isTrue();
        assertThat(after.policies().getFirst().remaining()).isEqualTo(998);    // the counter survived the outage
        assertThat(state.available()).isTrue();
    }

    @Test
    void startsWhileRedisIsDownAndConnectsOnceItIsUp() throws Exception {
        TcpProxy proxy = new TcpProxy(LocalRedis.PORT);
        closeables.add(proxy);
        proxy.stop();
        RedisState state = RedisState.open(proxy.uri(), Duration.ofMillis(200));
        closeables.add(state);
        var limiter = new RedisRateLimiter(rules(FailMode.OPEN, List.of(new Limit.Quota("q", 10, Duration.ofHours(1))), List.of()), state, prefix);
        assertThat(decide(limiter, "t", null).degraded()).isTrue();
        proxy.start();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        RateLimitDecision d;
        do {
            d = decide(limiter, "t", null);
            if (!d.degraded()) break;
            Thread.sleep(100);
        } while (System.nanoTime() < deadline);
        assertThat(d.degraded()).isFalse();
    }
}
