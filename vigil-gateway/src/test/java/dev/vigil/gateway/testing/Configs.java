package dev.vigil.gateway.testing;

import dev.vigil.gateway.config.AdminListener;
import dev.vigil.gateway.config.BalancePolicy;
import dev.vigil.gateway.config.Endpoint;
import dev.vigil.gateway.config.GatewayConfig;
import dev.vigil.gateway.config.HealthCheck;
import dev.vigil.gateway.config.Limits;
import dev.vigil.gateway.config.Listener;
import dev.vigil.gateway.config.PassiveHealth;
import dev.vigil.gateway.config.PathMatch;
import dev.vigil.gateway.config.PoolConfig;
import dev.vigil.gateway.config.Route;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Gateway configurations for tests: loopback, ephemeral ports, short timeouts. */
public final class Configs {
    public static final String TOKEN = "test-admin-token-0123456789";

    private Configs() {}

    public static Limits fastLimits() {
        return new Limits(Duration.ofMillis(500), Duration.ofSeconds(5), 6L * 1024 * 1024, 8 * 1024,
                Duration.ofSeconds(2), Duration.ofSeconds(10));
    }

    public static PoolConfig pool(String name, BalancePolicy policy, Optional<HealthCheck> health, PassiveHealth passive, String... endpoints) {
        return new PoolConfig(name, List.of(endpoints).stream().map(Endpoint::parse).toList(), policy, 64,
                Duration.ofSeconds(30), health, passive);
    }

    public static PoolConfig pool(String name, String... endpoints) {
        return pool(name, BalancePolicy.ROUND_ROBIN, Optional.empty(), new PassiveHealth(3, Duration.ofSeconds(30)), endpoints);
    }

    public static GatewayConfig single(PoolConfig pool, Limits limits) {
        Route all = new Route("all", "*", Set.of(), new PathMatch.Prefix("/"), pool.name(), limits);
        return config(List.of(all), List.of(pool), limits);
    }

    public static GatewayConfig config(List<Route> routes, List<PoolConfig> pools, Limits limits) {
        Map<String, PoolConfig> byName = new java.util.HashMap<>();
        for (PoolConfig p : pools) byName.put(p.name(), p);
        return new GatewayConfig(Path.of("<test>"), List.of(new Listener("127.0.0.1", 0)),
                new AdminListener(new Listener("127.0.0.1", 0), TOKEN), routes, byName, limits, Optional.empty(),
                List.of(), "X-Tenant", false, 0.2, Duration.ofSeconds(2));
    }
}
