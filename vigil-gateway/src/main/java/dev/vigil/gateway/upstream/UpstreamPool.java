package dev.vigil.gateway.upstream;

import dev.vigil.gateway.Ticker;
import dev.vigil.gateway.config.Endpoint;
import dev.vigil.gateway.config.PoolConfig;

import java.util.ArrayList;
import java.util.List;

/**
 * The live form of a {@link PoolConfig}: endpoints with their health and connections, the balancing policy and the
 * retry budget. Thread-safe.
 */
public final class UpstreamPool {
    private final PoolConfig config;
    private final List<UpstreamEndpoint> endpoints;
    private final LoadBalancer balancer;
    private final RetryBudget retryBudget;
    private final double retryRatio;

    public UpstreamPool(PoolConfig config, double retryRatio, Ticker ticker) {
        this.config = config;
        this.retryRatio = retryRatio;
        List<UpstreamEndpoint> eps = new ArrayList<>();
        for (Endpoint e : config.endpoints()) {
            eps.add(new UpstreamEndpoint(e, config.passive(), ticker, config.maxConnections(), config.idleTimeout().toNanos()));
        }
        this.endpoints = List.copyOf(eps);
        this.balancer = LoadBalancer.of(config.policy());
        this.retryBudget = new RetryBudget(retryRatio, 100, 2, ticker);
    }

    public PoolConfig config() { return config; }

    public String name() { return config.name(); }

    public List<UpstreamEndpoint> endpoints() { return endpoints; }

    public RetryBudget retryBudget() { return retryBudget; }

    /** Whether this live pool already is what {@code other} at {@code ratio} would build (a reload may keep it). */
    public boolean sameAs(PoolConfig other, double ratio) {
        return config.equals(other) && retryRatio == ratio;
    }

    /** An available endpoint other than {@code exclude} (null for none), or null when no endpoint is available. */
    public UpstreamEndpoint pick(UpstreamEndpoint exclude) {
        return balancer.pick(endpoints, exclude);
    }

    /** Closes pooled connections; leased ones close when released. */
    public void close() {
        for (UpstreamEndpoint e : endpoints) e.connections.close();
    }
}
