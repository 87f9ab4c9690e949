package dev.vigil.gateway.policy.ratelimit;

import dev.vigil.gateway.policy.FailMode;
import dev.vigil.gateway.policy.ratelimit.CompiledRules.Bound;
import dev.vigil.gateway.policy.ratelimit.CompiledRules.PolicySet;
import dev.vigil.gateway.policy.state.RedisState;
import dev.vigil.gateway.policy.state.Script;
import io.lettuce.core.ScriptOutputType;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Rate limiter whose counters live in Redis, shared by every gateway instance using the same Redis.
 *
 * <p>One decision = one EVALSHA of {@code decide.lua}: the same GCRA / fixed-window algorithm as
 * {@link EmbeddedRateLimiter}, over all of the request's limits atomically, timed by the Redis
 * server's {@code TIME} (microseconds) so instance clocks never matter. Keys:
 * {@code vigil:rl:{<tenant>}:<g|q>:<limit>} and {@code vigil:rl:{<tenant>}:r:<route>:<g|q>:<limit>}
 * (g = GCRA, q = quota), hash-tagged by tenant so a tenant's keys share one Redis Cluster slot; the
 * global ceiling uses {@code vigil:rl:{global}:<g|q>:<limit>}. Known limit: with Redis Cluster, a policy set that includes the
 * global ceiling spans two slots and Redis refuses it (CROSSSLOT); use a standalone Redis (or a
 * primary with replicas) when a global ceiling is configured.
 *
 * <p>Every key expires by itself once its value no longer matters (GCRA: when the theoretical
 * arrival time passes; quota: when its window ends). When Redis is unreachable or slower than the
 * command timeout, the policy set's {@link FailMode} decides and {@link RateLimitDecision#degraded()}
 * is set; {@link RedisState} logs the outage once and counts failures.
 */
public final class RedisRateLimiter implements RateLimiter {

    private static final Script DECIDE = Script.resource(RedisRateLimiter.class, "decide.lua");

    private final RedisState redis;
    private final String prefix;
    private volatile CompiledRules rules;

    /** @param prefix key prefix, normally {@code vigil:rl:}; tests use their own to stay apart */
    public RedisRateLimiter(RateLimitRules rules, RedisState redis, String prefix) {
        this.redis = redis;
        this.prefix = prefix;
        updateRules(rules);
    }

    public RedisRateLimiter(RateLimitRules rules, RedisState redis) {
        this(rules, redis, "vigil:rl:");
    }

    @Override
    public void updateRules(RateLimitRules newRules) {
        this.rules = new CompiledRules(newRules, k -> 0);   // Redis keys are named, not slotted
    }

    @Override
    public CompletionStage<RateLimitDecision> decide(String tenant, String plan, String route) {
        PolicySet set = rules.lookup(plan, route);
        int n = set.bounds.length;
        if (n == 0) return CompletableFuture.completedFuture(RateLimitDecision.UNLIMITED);
        byte[][] keys = new byte[n][];
        byte[][] args = new byte[n * 3][];
        String tenantTag = RedisState.tag(tenant);
        for (int i = 0; i < n; i++) {
            Bound b = set.bounds[i];
            // The kind is part of the key: a limit changed from rate to quota must not meet a value of the other type.
            String kind = b.gcra ? ":g:" : ":q:";
            String key = switch (b.scope) {
                case TENANT -> prefix + tenantTag + kind + b.limit.name();
                case ROUTE -> prefix + tenantTag + ":r:" + set.route + kind + b.limit.name();
                case GLOBAL -> prefix + "{global}" + kind + b.limit.name();
            };
            keys[i] = key.getBytes(StandardCharsets.UTF_8);
            args[3 * i] = ascii(b.gcra ? "g" : "q");
            args[3 * i + 1] = ascii(micros(b.a));
            args[3 * i + 2] = ascii(b.gcra ? micros(b.b) : Long.toString(b.b));
        }
        return redis.eval(DECIDE, ScriptOutputType.MULTI, keys, args)
                .thenApply(reply -> toDecision(set, (List<?>) reply))
                .exceptionally(error -> set.failMode == FailMode.OPEN ? RateLimitDecision.FAILED_OPEN : RateLimitDecision.FAILED_CLOSED);
    }

    private static RateLimitDecision toDecision(PolicySet set, List<?> reply) {
        int n = set.bounds.length;
        boolean allowed = ((Long) reply.get(0)) == 1L;
        long retry = (Long) reply.get(1);
        boolean[] ok = new boolean[n];
        long[] remaining = new long[n];
        long[] reset = new long[n];
        for (int i = 0; i < n; i++) {
            ok[i] = ((Long) reply.get(2 + 3 * i)) == 1L;
            remaining[i] = (Long) reply.get(3 + 3 * i);
            reset[i] = (Long) reply.get(4 + 3 * i);
        }
        return Decisions.of(set, allowed, retry, ok, remaining, reset, 1_000_000L);
    }

    /** Nanoseconds as decimal microseconds, exact (e.g. 333333333 ns → "333333.333"). */
    private static String micros(long nanos) {
        return BigDecimal.valueOf(nanos, 3).toPlainString();
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    @Override
    public void close() {
        // the RedisState is shared by all policies; its owner closes it
    }
}
