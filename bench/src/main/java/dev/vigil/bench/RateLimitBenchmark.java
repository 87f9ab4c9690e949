package dev.vigil.bench;

import dev.vigil.gateway.policy.FailMode;
import dev.vigil.gateway.policy.ratelimit.EmbeddedRateLimiter;
import dev.vigil.gateway.policy.ratelimit.Limit;
import dev.vigil.gateway.policy.ratelimit.RateLimitDecision;
import dev.vigil.gateway.policy.ratelimit.RateLimitRules;
import dev.vigil.gateway.policy.ratelimit.RouteLimits;
import dev.vigil.gateway.policy.tenant.Plan;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One embedded rate-limit decision: a plan with a GCRA rate and minute/hour/day quotas (4 limits),
 * optionally a route limit and the global ceiling (6 limits), over 1 or 10 000 tenants. Limits are
 * set high so every decision is admitted and writes state (the expensive path). Target: < 1 µs.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class RateLimitBenchmark {

    @Param({"1", "10000"})
    int tenants;

    @Param({"false", "true"})
    boolean routeAndGlobal;

    EmbeddedRateLimiter limiter;
    String[] ids;

    @Setup
    public void setup() {
        long big = 1L << 50;
        long perSecond = 1_000_000_000L;      // the highest rate a Limit accepts: never exceeded here
        Plan plan = new Plan("pro", List.of(
                new Limit.Rate("rate", perSecond, Duration.ofSeconds(1), perSecond),
                new Limit.Quota("minute", big, Duration.ofMinutes(1)),
                new Limit.Quota("hour", big, Duration.ofHours(1)),
                new Limit.Quota("day", big, Duration.ofDays(1))));
        RateLimitRules rules = new RateLimitRules(Map.of("pro", plan),
                List.of(new RouteLimits("search", List.of(new Limit.Quota("minute", big, Duration.ofMinutes(1))), Map.of(), null)),
                routeAndGlobal ? List.of(new Limit.Rate("all", perSecond, Duration.ofSeconds(1), perSecond)) : List.of(),
                FailMode.OPEN);
        limiter = new EmbeddedRateLimiter(rules, InstantSource.system());
        ids = new String[tenants];
        for (int i = 0; i < tenants; i++) ids[i] = "tenant-" + i;
    }

    @Benchmark
    public RateLimitDecision decide() {
        String tenant = ids[tenants == 1 ? 0 : ThreadLocalRandom.current().nextInt(tenants)];
        return limiter.decideNow(tenant, "pro", routeAndGlobal ? "search" : null);
    }
}
