package dev.vigil.gateway.pipeline;

import dev.vigil.gateway.config.Cidr;
import dev.vigil.gateway.config.GatewayConfig;
import dev.vigil.gateway.config.Route;
import dev.vigil.gateway.upstream.UpstreamPool;

import java.net.InetAddress;
import java.util.List;
import java.util.Map;

/**
 * One generation of configuration as the pipeline uses it: routes, live pools and the route-group function.
 * Immutable; a reload builds a new one and swaps it in atomically, so each request sees one generation from start
 * to end while in-flight requests keep the generation they started with.
 */
public final class ActiveConfig {
    private final GatewayConfig config;
    private final Map<String, UpstreamPool> pools;
    private final RouteGroups groups;
    private final List<Route> routes;
    private final List<Cidr> trusted;

    public ActiveConfig(GatewayConfig config, Map<String, UpstreamPool> pools, RouteGroups groups) {
        this.config = config;
        this.pools = Map.copyOf(pools);
        this.groups = groups;
        this.routes = config.routes();
        this.trusted = config.trustedProxies();
    }

    public GatewayConfig config() { return config; }

    public Map<String, UpstreamPool> pools() { return pools; }

    /** The SLO route groups; null when no SLO file is attached (requests are grouped by gateway route). */
    public RouteGroups groups() { return groups; }

    /** The first route that takes the request, or null. */
    public Route route(String host, String method, String path) {
        for (int i = 0, n = routes.size(); i < n; i++) {
            Route r = routes.get(i);
            if (r.matches(host, method, path)) return r;
        }
        return null;
    }

    public UpstreamPool pool(String name) { return pools.get(name); }

    /** Whether X-Forwarded-* headers from this peer are believed. */
    public boolean trusted(InetAddress peer) {
        for (int i = 0, n = trusted.size(); i < n; i++) if (trusted.get(i).contains(peer)) return true;
        return false;
    }
}
