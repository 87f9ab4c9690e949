package dev.vigil.gateway.policy.ratelimit;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.vigil.gateway.policy.ratelimit.CompiledRules.Bound;
import dev.vigil.gateway.policy.ratelimit.CompiledRules.PolicySet;
import dev.vigil.gateway.policy.ratelimit.CompiledRules.Scope;
import dev.vigil.gateway.policy.ratelimit.CompiledRules.StateKey;
import java.time.Instant;
import java.time.InstantSource;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * In-process rate limiter: one gateway instance, no network.
 *
 * <p>Design: each tenant owns a small {@code long[]} of counters (GCRA theoretical arrival times and
 * quota windows/counts), guarded by the tenant's own monitor, so tenants never contend with each
 * other; the global ceiling has one more such array, locked after the tenant's (fixed order, no
 * deadlock) only by policy sets that include it. All limits of a request are checked first and
 * applied only if every one admits, so a refused request consumes nothing. Tenants idle for longer
 * than the longest window are evicted (their counters would be back at "full" anyway); at most
 * {@code maxTenants} are kept — evicting an active tenant under that bound resets its counters,
 * so size the bound above the number of live tenants.
 *
 * <p>Time comes from the injected {@link InstantSource}, in nanoseconds since the epoch.
 */
public final class EmbeddedRateLimiter implements RateLimiter {

    private static final class Counters {
        long[] s = new long[8];

        long[] ensure(int slots) {
            if (s.length < slots * 2) s = java.util.Arrays.copyOf(s, Math.max(slots * 2, s.length * 2));
            return s;
        }
    }

    private final InstantSource clock;
    private final ConcurrentHashMap<StateKey, Integer> slots = new ConcurrentHashMap<>();
    private final Counters global = new Counters();
    private final long maxTenants;
    private volatile CompiledRules rules;
    private volatile Cache<String, Counters> tenants;

    public EmbeddedRateLimiter(RateLimitRules rules, InstantSource clock) {
        this(rules, clock, 1_000_000);
    }

    /** @param maxTenants most tenants whose counters are kept (each costs ~100 bytes) */
    public EmbeddedRateLimiter(RateLimitRules rules, InstantSource clock, long maxTenants) {
        this.clock = clock;
        this.maxTenants = maxTenants;
        updateRules(rules);
    }

    @Override
    public synchronized void updateRules(RateLimitRules newRules) {
        CompiledRules compiled = new CompiledRules(newRules, k -> slots.computeIfAbsent(k, x -> slots.size()));
        Cache<String, Counters> old = tenants;
        Cache<String, Counters> fresh = Caffeine.newBuilder()
                .maximumSize(maxTenants)
                .expireAfterAccess(Duration.ofNanos(compiled.horizonNanos))
                .ticker(() -> nanos(clock.instant()))
                .build();
        if (old != null) fresh.putAll(old.asMap());
        this.rules = compiled;
        this.tenants = fresh;
    }

    @Override
    public CompletionStage<RateLimitDecision> decide(String tenant, String plan, String route) {
        return CompletableFuture.completedFuture(decideNow(tenant, plan, route));
    }

    /** The same decision, synchronously: the embedded limiter never waits. */
    public RateLimitDecision decideNow(String tenant, String plan, String route) {
        PolicySet set = rules.lookup(plan, route);
        if (set.bounds.length == 0) return RateLimitDecision.UNLIMITED;
        Counters mine = tenants.get(tenant, t -> new Counters());
        long now = nanos(clock.instant());
        int n = slots.size();
        synchronized (mine) {
            long[] t = mine.ensure(n);
            if (!set.hasGlobal) return evaluate(set, t, null, now);
            synchronized (global) {
                return evaluate(set, t, global.ensure(n), now);
            }
        }
    }

    /** State layout per slot: [2·slot] = GCRA TAT or quota window index, [2·slot+1] = quota count. */
    private static RateLimitDecision evaluate(PolicySet set, long[] tenant, long[] global, long now) {
        Bound[] bounds = set.bounds;
        int n = bounds.length;
        long[] remaining = new long[n];
        long[] reset = new long[n];
        boolean[] ok = new boolean[n];
        boolean allowed = true;
        long retry = 0;
        for (int i = 0; i < n; i++) {
            Bound b = bounds[i];
            long[] s = b.scope == Scope.GLOBAL ? global : tenant;
            int at = b.slot * 2;
            if (b.gcra) {
                long tat = Math.max(s[at], now);
                long diff = tat + b.a - now;            // new TAT - now
                if (diff > b.b) {
                    // refused: t names the same moment as Retry-After (the draft's SHOULD), one request's worth
                    ok[i] = false; remaining[i] = 0; reset[i] = diff - b.b;
                    retry = Math.max(retry, diff - b.b);
                } else {
                    ok[i] = true; remaining[i] = (b.b - diff) / b.a; reset[i] = diff;
                }
            } else {
                long window = now / b.a;
                long count = s[at] == window ? s[at + 1] : 0;
                reset[i] = (window + 1) * b.a - now;
                if (count >= b.b) {
                    ok[i] = false; remaining[i] = 0;
                    retry = Math.max(retry, reset[i]);
                } else {
                    ok[i] = true; remaining[i] = b.b - count - 1;
                }
            }
            allowed &= ok[i];
        }
        if (allowed) {
            for (int i = 0; i < n; i++) {
                Bound b = bounds[i];
                long[] s = b.scope == Scope.GLOBAL ? global : tenant;
                int at = b.slot * 2;
                if (b.gcra) {
                    s[at] = Math.max(s[at], now) + b.a;
                } else {
                    long window = now / b.a;
                    if (s[at] != window) { s[at] = window; s[at + 1] = 0; }
                    s[at + 1]++;
                }
            }
        }
        return Decisions.of(set, allowed, retry, ok, remaining, reset, 1_000_000_000L);
    }

    static long nanos(Instant i) {
        return Math.addExact(Math.multiplyExact(i.getEpochSecond(), 1_000_000_000L), i.getNano());
    }

    @Override
    public void close() {
        tenants.invalidateAll();
    }
}
