package dev.vigil.gateway.policy.ratelimit;

import dev.vigil.gateway.policy.ratelimit.CompiledRules.Bound;
import dev.vigil.gateway.policy.ratelimit.CompiledRules.PolicySet;

/** Builds decisions from raw per-limit results; shared by the embedded and Redis limiters. */
final class Decisions {
    private Decisions() {}

    /**
     * @param unitsPerSecond time unit of {@code retry} and {@code reset} (1e9 for nanoseconds, 1e6 for microseconds)
     * @param remaining      per limit, assuming this request was admitted; when the request is refused
     *                       the admitting limits report one more, since nothing was consumed
     */
    static RateLimitDecision of(PolicySet set, boolean allowed, long retry, boolean[] ok, long[] remaining, long[] reset,
                                long unitsPerSecond) {
        Bound[] bounds = set.bounds;
        PolicyState[] states = new PolicyState[bounds.length];
        for (int i = 0; i < bounds.length; i++) {
            Bound b = bounds[i];
            long r = remaining[i] + (!allowed && ok[i] ? 1 : 0);
            states[i] = new PolicyState(b.headerName, b.limit.count(), b.limit.windowSeconds(), b.burst(), r,
                    ceilDiv(reset[i], unitsPerSecond), !ok[i]);
        }
        long retrySeconds = allowed ? 0 : Math.max(1, ceilDiv(retry, unitsPerSecond));
        return new RateLimitDecision(allowed, retrySeconds, java.util.List.of(states), false);   // List.of: copyOf keeps it
    }

    private static long ceilDiv(long x, long y) {
        return x <= 0 ? 0 : Math.ceilDiv(x, y);
    }
}
