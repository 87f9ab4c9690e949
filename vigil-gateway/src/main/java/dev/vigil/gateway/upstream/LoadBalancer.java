package dev.vigil.gateway.upstream;

import dev.vigil.gateway.config.BalancePolicy;

import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/** Picks an available endpoint, skipping one already tried. Thread-safe; allocation-free. */
abstract sealed class LoadBalancer {
    static LoadBalancer of(BalancePolicy policy) {
        return switch (policy) {
            case ROUND_ROBIN -> new RoundRobin();
            case LEAST_OUTSTANDING -> new LeastOutstanding();
        };
    }

    /** @return an available endpoint other than {@code exclude}, or null when none is */
    abstract UpstreamEndpoint pick(List<UpstreamEndpoint> endpoints, UpstreamEndpoint exclude);

    static final class RoundRobin extends LoadBalancer {
        private final AtomicInteger next = new AtomicInteger();

        @Override UpstreamEndpoint pick(List<UpstreamEndpoint> endpoints, UpstreamEndpoint exclude) {
            int n = endpoints.size();
            int start = Math.floorMod(next.getAndIncrement(), n);
            for (int i = 0; i < n; i++) {
                UpstreamEndpoint e = endpoints.get((start + i) % n);
                if (e != exclude && e.available()) return e;
            }
            return null;
        }
    }

    /**
     * Power of two choices (Mitzenmacher, 2001): two random candidates, the one with fewer requests in flight.
     * Nearly as good as scanning for the global minimum, without the herd that a global minimum attracts.
     */
    static final class LeastOutstanding extends LoadBalancer {
        @Override UpstreamEndpoint pick(List<UpstreamEndpoint> endpoints, UpstreamEndpoint exclude) {
            int n = endpoints.size();
            ThreadLocalRandom rnd = ThreadLocalRandom.current();
            if (n == 1) {
                UpstreamEndpoint e = endpoints.get(0);
                return e != exclude && e.available() ? e : null;
            }
            UpstreamEndpoint a = null;
            UpstreamEndpoint b = null;
            int start = rnd.nextInt(n);
            // First two available candidates from a random start, then a random second pick among the rest.
            for (int i = 0; i < n && b == null; i++) {
                UpstreamEndpoint e = endpoints.get((start + i) % n);
                if (e == exclude || !e.available()) continue;
                if (a == null) a = e; else b = e;
            }
            if (a == null) return null;
            if (b == null) return a;
            if (n > 2) {
                UpstreamEndpoint c = endpoints.get(rnd.nextInt(n));
                if (c != a && c != exclude && c.available()) b = c;
            }
            return b.outstanding() < a.outstanding() ? b : a;
        }
    }
}
