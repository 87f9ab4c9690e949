package dev.vigil.gateway.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.gateway.policy.cache.CacheConfig;
import dev.vigil.gateway.policy.idempotency.IdempotencyConfig;
import dev.vigil.gateway.policy.idempotency.IdempotencyMode;
import dev.vigil.gateway.policy.ratelimit.Limit;
import dev.vigil.gateway.policy.ratelimit.RateLimitRules;
import dev.vigil.gateway.policy.ratelimit.RouteLimits;
import dev.vigil.gateway.policy.state.StateConfig;
import dev.vigil.gateway.policy.tenant.ApiKeys;
import dev.vigil.gateway.policy.tenant.Plan;
import dev.vigil.gateway.policy.tenant.TenantConfig;
import dev.vigil.slo.config.ConfigDocument;
import dev.vigil.slo.config.ConfigException;
import dev.vigil.slo.config.ConfigNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PolicyFilesTest {

    static final String FILE = """
            state: redis://127.0.0.1:6379
            state-timeout: 250ms
            tenants:
              key-header: X-Api-Key
              anonymous-plan: free
              keys:
                - sha256: %s
                  tenant: acme
                  plan: pro
            plans:
              free: {rate: 10 rps, per-day: 10000}
              pro:  {rate: 500 rpm, burst: 50, per-minute: 5000, per-hour: 100000, per-day: 2000000}
            rate-limit:
              fail: closed
              global: {rate: 10k rps, burst: 20000}
            route:
              rate-limit: {per-minute: 60, plans: {pro: {per-minute: 600}}, fail: open}
              idempotency: {mode: required, wait: 2s, store-5xx: false, max-stored-body: 64KiB}
              cache: {ttl: 60s, stale-while-revalidate: 30s, vary: [Accept-Language], max-entry: 512KiB}
            """.formatted(ApiKeys.sha256Hex("secret-key"));

    static ConfigNode root(String yaml) throws ConfigException {
        return ConfigDocument.parse("gateway.yaml", yaml);
    }

    @Test
    void readsEveryPolicySection() throws ConfigException {
        ConfigNode root = root(FILE);
        Map<String, Plan> plans = PolicyFiles.plans(root.require("plans"));
        assertThat(plans.get("free").limits()).containsExactly(
                new Limit.Rate("rate", 10, Duration.ofSeconds(1), 10), new Limit.Quota("day", 10000, Duration.ofDays(1)));
        assertThat(plans.get("pro").limits()).first().isEqualTo(new Limit.Rate("rate", 500, Duration.ofMinutes(1), 50));
        assertThat(plans.get("pro").limits()).hasSize(4);

        TenantConfig tenants = PolicyFiles.tenants(root.require("tenants"), plans);
        assertThat(tenants.keys()).singleElement().satisfies(k -> assertThat(k.tenant()).isEqualTo("acme"));
        assertThat(tenants.anonymousPlan()).isEqualTo("free");

        ConfigNode route = root.require("route");
        RouteLimits search = PolicyFiles.routeLimits("search", route.require("rate-limit"), plans.keySet());
        assertThat(search.limits()).containsExactly(new Limit.Quota("minute", 60, Duration.ofMinutes(1)));
        assertThat(search.byPlan().get("pro")).containsExactly(new Limit.Quota("minute", 600, Duration.ofMinutes(1)));
        assertThat(search.failMode()).isEqualTo(FailMode.OPEN);

        RateLimitRules rules = PolicyFiles.rateLimitRules(root.require("rate-limit"), plans, List.of(search));
        assertThat(rules.failMode()).isEqualTo(FailMode.CLOSED);
        assertThat(rules.global()).containsExactly(new Limit.Rate("rate", 10_000, Duration.ofSeconds(1), 20_000));

        IdempotencyConfig idem = PolicyFiles.idempotency(route.require("idempotency"));
        assertThat(idem.mode()).isEqualTo(IdempotencyMode.REQUIRED);
        assertThat(idem.waitForResult()).isEqualTo(Duration.ofSeconds(2));
        assertThat(idem.store5xx()).isFalse();
        assertThat(idem.maxStoredBodyBytes()).isEqualTo(64 * 1024);
        assertThat(idem.ttl()).isEqualTo(Duration.ofHours(24));

        CacheConfig cache = PolicyFiles.cache(route.require("cache"));
        assertThat(cache.varyHeaders()).containsExactly("accept", "accept-encoding", "accept-language");
        assertThat(cache.staleWhileRevalidate()).isEqualTo(Duration.ofSeconds(30));
        assertThat(cache.maxEntryBytes()).isEqualTo(512 * 1024);

        StateConfig state = PolicyFiles.state(root.require("state"), null, root.require("state-timeout"), Path.of("/etc/vigil"));
        assertThat(state).isEqualTo(new StateConfig.Redis("redis://127.0.0.1:6379", Duration.ofMillis(250)));
        assertThat(PolicyFiles.state(null, null, null, Path.of("/etc/vigil")))
                .isEqualTo(new StateConfig.Embedded(Path.of("/etc/vigil/.vigil-state")));
    }

    @Test
    void readsStateFsyncForTheEmbeddedStoreOnly() throws ConfigException {
        ConfigNode root = root("""
                state: embedded
                state-fsync: true
                redis: redis://127.0.0.1:6379
                """);
        assertThat(PolicyFiles.state(root.require("state"), null, null, root.require("state-fsync"), Path.of("/etc/vigil")))
                .isEqualTo(new StateConfig.Embedded(Path.of("/etc/vigil/.vigil-state"), true));
        assertThatThrownBy(() -> PolicyFiles.state(root.require("redis"), null, null, root.require("state-fsync"), Path.of(".")))
                .hasMessageContaining("gateway.yaml:2:")
                .hasMessageContaining("state-fsync applies to state: embedded only");
    }

    @Test
    void namesFileLineAndFieldForEveryMistake() throws ConfigException {
        ConfigNode root = root("""
                plans:
                  free: {rate: 7 per sec, brust: 3}
                  pro: {rate: 0.5 rps, per-day: -1}
                tenants:
                  keys:
                    - sha256: abc
                      tenant: t
                      plan: gold
                idempotency: {mode: sometimes}
                state: memcached://x
                """);
        assertThatThrownBy(() -> PolicyFiles.plans(root.require("plans")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("gateway.yaml:2:")
                .hasMessageContaining("unknown key 'brust'")
                .hasMessageContaining("did you mean 'burst'");
        Map<String, Plan> plans = Map.of("free", new Plan("free", List.of()));
        assertThatThrownBy(() -> PolicyFiles.tenants(root.require("tenants"), plans))
                .hasMessageContaining("gateway.yaml:8:")
                .hasMessageContaining("unknown plan 'gold'");
        assertThatThrownBy(() -> PolicyFiles.idempotency(root.require("idempotency")))
                .hasMessageContaining("gateway.yaml:9:")
                .hasMessageContaining("allowed: off, optional, required");
        assertThatThrownBy(() -> PolicyFiles.state(root.require("state"), null, null, Path.of(".")))
                .hasMessageContaining("gateway.yaml:10:")
                .hasMessageContaining("write embedded, memory or redis://host:port");
        assertThat(PolicyFiles.state(root("state: memory\n").require("state"), null, null, Path.of(".")))
                .isEqualTo(new StateConfig.Memory());
        ConfigNode half = root("plans:\n  p: {rate: 0.5 rps}\n");
        assertThat(PolicyFiles.plans(half.require("plans")).get("p").limits())
                .containsExactly(new Limit.Rate("rate", 30, Duration.ofMinutes(1), 1));
        ConfigNode odd = root("plans:\n  p: {rate: 0.3333333 rps}\n");
        assertThatThrownBy(() -> PolicyFiles.plans(odd.require("plans")))
                .hasMessageContaining("gateway.yaml:2:")
                .hasMessageContaining("whole number of requests per second, minute, hour or day");
    }
}
