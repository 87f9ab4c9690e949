package dev.vigil.gateway.config;

import dev.vigil.gateway.policy.idempotency.IdempotencyMode;
import dev.vigil.gateway.policy.state.StateConfig;
import dev.vigil.slo.config.ConfigException;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GatewayFilesTest {
    private static final Path EXAMPLES = Path.of("..", "examples").toAbsolutePath().normalize();
    private static final Map<String, String> ENV = Map.of("VIGIL_ADMIN_TOKEN", "example-token-0123456789");

    private static final String MINIMAL = """
            listeners:
              - port: 8080
            admin:
              port: 9901
              token: "0123456789abcdef"
            upstreams:
              api:
                endpoints: [127.0.0.1:8081]
            routes:
              - name: all
                prefix: /
                upstream: api
            """;

    private static GatewayConfig parse(String yaml) throws ConfigException {
        return GatewayFiles.parse("gateway.yaml", yaml, EXAMPLES, ENV::get);
    }

    @Test void readsTheExampleFileWithItsSloFile() throws Exception {
        GatewayConfig c = GatewayFiles.parse("gateway.yaml", Files.readString(EXAMPLES.resolve("gateway.yaml")), EXAMPLES, ENV::get);
        assertThat(c.listeners()).containsExactly(new Listener("0.0.0.0", 8080));
        assertThat(c.admin().listener()).isEqualTo(new Listener("127.0.0.1", 9901));
        assertThat(c.admin().token()).isEqualTo("example-token-0123456789");
        assertThat(c.slo()).isPresent();
        assertThat(c.slo().get().service()).isEqualTo("landing-pages-api");
        PoolConfig api = c.pools().get("api");
        assertThat(api.endpoints()).containsExactly(Endpoint.parse("127.0.0.1:8081"), Endpoint.parse("127.0.0.1:8082"));
        assertThat(api.policy()).isEqualTo(BalancePolicy.LEAST_OUTSTANDING);
        assertThat(api.health()).hasValue(new HealthCheck("/healthz", Duration.ofSeconds(5), Duration.ofSeconds(1), 2, 3));
        assertThat(api.passive()).isEqualTo(new PassiveHealth(5, Duration.ofSeconds(30)));
        assertThat(c.routes()).extracting(Route::name).containsExactly("landing-pages", "landing-page-writes", "everything-else");
        PolicyConfig p = c.policies();
        assertThat(p.state()).isEqualTo(new StateConfig.Embedded(EXAMPLES.resolve(".vigil-state")));
        assertThat(p.tenants().keys()).extracting(k -> k.tenant()).containsExactly("acme", "globex");
        assertThat(p.rateLimits().plans()).containsOnlyKeys("free", "pro");
        assertThat(p.rateLimits().routes()).extracting(r -> r.route()).containsExactly("landing-pages");
        assertThat(p.cache()).containsOnlyKeys("landing-pages");
        assertThat(p.cache().get("landing-pages").staleWhileRevalidate()).isEqualTo(Duration.ofSeconds(30));
        assertThat(p.idempotency().get("landing-page-writes").mode()).isEqualTo(IdempotencyMode.OPTIONAL);
        assertThat(p.cacheMaxBytes()).isEqualTo(64L << 20);
        Route landing = c.routes().get(0);
        assertThat(landing.limits().requestTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(landing.limits().maxBodyBytes()).isEqualTo(6L * 1024 * 1024);
        assertThat(landing.matches("any.host", "GET", "/landing-pages/42")).isTrue();
        assertThat(landing.matches("any.host", "POST", "/landing-pages/42")).isFalse();
        assertThat(c.routes().get(1).limits().requestTimeout()).isEqualTo(Duration.ofSeconds(29));
        assertThat(c.retryBudget()).isEqualTo(0.2);
        assertThat(c.trustedProxies()).hasSize(2);
    }

    @Test void appliesDefaultsToAMinimalFile() throws Exception {
        GatewayConfig c = parse(MINIMAL);
        assertThat(c.limits()).isEqualTo(Limits.DEFAULTS);
        assertThat(c.limits().requestTimeout()).isEqualTo(Duration.ofSeconds(29));
        assertThat(c.limits().maxBodyBytes()).isEqualTo(6L * 1024 * 1024);
        assertThat(c.tenantHeader()).isEqualTo("X-Tenant");
        assertThat(c.slo()).isEmpty();
        assertThat(c.accessLog()).isFalse();
        assertThat(c.policies()).isEqualTo(PolicyConfig.NONE);
        assertThat(c.policies().enabled()).isFalse();
    }

    @Test void readsRedisStateAndRoutePoliciesWithDefaults() throws Exception {
        String yaml = MINIMAL.replace("    upstream: api\n", "    upstream: api\n    idempotency: {mode: required}\n")
                + "state: redis://127.0.0.1:6379\nplans:\n  free: {rate: 10 rps}\ntenants: {anonymous-plan: free}\n";
        PolicyConfig p = parse(yaml).policies();
        assertThat(p.state()).isEqualTo(new StateConfig.Redis("redis://127.0.0.1:6379", Duration.ofMillis(100)));
        assertThat(p.tenants().keyHeader()).isEqualTo("X-Api-Key");
        assertThat(p.tenants().anonymousPlan()).isEqualTo("free");
        assertThat(p.idempotency().get("all").ttl()).isEqualTo(Duration.ofHours(24));
        assertThat(p.rateLimits().failMode()).isEqualTo(dev.vigil.gateway.policy.FailMode.OPEN);
    }

    @Test void locatesPolicyMistakesAtTheirField() {
        String yaml = MINIMAL.replace("    upstream: api\n", "    upstream: api\n    rate-limit: {plans: {gold: {rate: 5 rps}}}\n    cache: {ttl: soon}\n")
                + "plans:\n  free: {rate: 10 rps}\nstate: memcached://x\n";
        assertThatThrownBy(() -> parse(yaml)).isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.getMessage())
                .contains("gateway.yaml:13:26: routes[0].rate-limit.plans.gold: unknown plan 'gold'; plans: free")
                .contains("gateway.yaml:14:18: routes[0].cache.ttl: 'soon' is not a duration")
                .contains("gateway.yaml:17:8: state: 'memcached://x' is not allowed; write embedded, memory or redis://host:port"));
    }

    @Test void routeRateLimitWithoutPlansIsAnError() {
        String yaml = MINIMAL.replace("    upstream: api\n", "    upstream: api\n    rate-limit: {rate: 5 rps}\n");
        assertThatThrownBy(() -> parse(yaml)).hasMessageContaining("gateway.yaml:13:17: routes[0].rate-limit: a route rate-limit needs a top-level 'plans' section");
    }

    @Test void namesFileLineColumnAndSuggestsTheKeyForATypo() {
        String yaml = MINIMAL + "limits:\n  request-timout: 5s\n";
        assertThatThrownBy(() -> parse(yaml)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("gateway.yaml:14:3: unknown key 'request-timout' at limits")
                .hasMessageContaining("did you mean 'request-timeout'?");
    }

    @Test void rejectsRouteToUnknownPoolListingTheDefinedOnes() {
        String yaml = MINIMAL.replace("upstream: api", "upstream: apii");
        assertThatThrownBy(() -> parse(yaml)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("gateway.yaml:12:15:")
                .hasMessageContaining("no upstream pool named 'apii' (defined: api)");
    }

    @Test void rejectsPerConnectionLimitOnARoute() {
        String yaml = MINIMAL + "    limits:\n      header-timeout: 1s\n";
        assertThatThrownBy(() -> parse(yaml)).hasMessageContaining("'header-timeout' applies to a whole connection");
    }

    @Test void reportsEveryProblemInOnePass() {
        String yaml = """
                listeners:
                  - port: 99999
                admin:
                  port: 9901
                  token: short
                upstreams:
                  api:
                    endpoints: [localhost]
                    policy: random
                routes:
                  - name: all
                    path: /x
                    prefix: /
                    upstream: api
                trusted-proxies: [proxy.example]
                """;
        assertThatThrownBy(() -> parse(yaml)).isInstanceOfSatisfying(ConfigException.class, e -> {
            assertThat(e.problems()).hasSizeGreaterThanOrEqualTo(5);
            assertThat(e.getMessage())
                    .contains("gateway.yaml:2:11:")
                    .contains("at least 16 characters")
                    .contains("expected host:port")
                    .contains("write exactly one of 'path'")
                    .contains("host names are not allowed");
        });
    }

    @Test void requiresTheTokenEnvironmentVariableToBeSet() {
        String yaml = MINIMAL.replace("token: \"0123456789abcdef\"", "token-env: NOT_SET_ANYWHERE");
        assertThatThrownBy(() -> parse(yaml)).hasMessageContaining("environment variable 'NOT_SET_ANYWHERE' is not set");
    }

    @Test void rejectsAdminPortEqualToAListenerPort() {
        String yaml = MINIMAL.replace("port: 9901", "port: 8080");
        assertThatThrownBy(() -> parse(yaml)).hasMessageContaining("the admin port must differ");
    }

    @Test void reportsAMissingSloFileAtTheSloKey() {
        String yaml = MINIMAL + "slo: nowhere.yaml\n";
        assertThatThrownBy(() -> parse(yaml)).hasMessageContaining("gateway.yaml:13:6:").hasMessageContaining("cannot read SLO file");
    }
}
