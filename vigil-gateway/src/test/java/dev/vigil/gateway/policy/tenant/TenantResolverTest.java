package dev.vigil.gateway.policy.tenant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.gateway.policy.ratelimit.Limit;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TenantResolverTest {

    static final Plan FREE = new Plan("free", List.of(new Limit.Rate("burst", 10, Duration.ofSeconds(1), 5)));
    static final Plan PRO = new Plan("pro", List.of(new Limit.Quota("daily", 1_000_000, Duration.ofDays(1))));

    static TenantConfig config(String anonymousPlan) {
        return new TenantConfig("X-Api-Key", Map.of("free", FREE, "pro", PRO),
                List.of(new ApiKey(ApiKeys.sha256Hex("key-acme"), "acme", "pro"),
                        new ApiKey(ApiKeys.sha256Hex("key-bob").toUpperCase(), "bob", "free")),
                anonymousPlan);
    }

    @Test
    void mapsAKnownKeyToItsTenantAndPlan() {
        var resolver = new TenantResolver(config("free"));
        assertThat(resolver.resolve("key-acme", "192.0.2.1")).get()
                .isEqualTo(new Tenant("acme", PRO, Tenant.Source.API_KEY));
        assertThat(resolver.resolve("key-bob", "192.0.2.1")).get().extracting(Tenant::id).isEqualTo("bob");
    }

    @Test
    void fallsBackToTheClientAddressWithoutAKey() {
        var resolver = new TenantResolver(config("free"));
        assertThat(resolver.resolve(null, "192.0.2.7")).get()
                .isEqualTo(new Tenant("addr:192.0.2.7", FREE, Tenant.Source.CLIENT_ADDRESS));
        assertThat(resolver.resolve("", "2001:db8::1")).get().extracting(Tenant::id).isEqualTo("addr:2001:db8::1");
    }

    @Test
    void refusesUnknownKeysEvenWhenAnonymousAccessIsOn() {
        var resolver = new TenantResolver(config("free"));
        assertThat(resolver.resolve("key-acmf", "192.0.2.1")).isEmpty();
        var problem = resolver.unauthorized(true);
        assertThat(problem.status()).isEqualTo(401);
        assertThat(new String(problem.toJson(), StandardCharsets.UTF_8)).doesNotContain("key-acmf").contains("X-Api-Key");
    }

    @Test
    void requiresAKeyWhenNoAnonymousPlanIsConfigured() {
        assertThat(new TenantResolver(config(null)).resolve(null, "192.0.2.1")).isEmpty();
    }

    @Test
    void holdsOnlyHashesOfKeys() {
        var config = config("free");
        assertThat(config.toString()).doesNotContain("key-acme").contains(ApiKeys.sha256Hex("key-acme"));
    }

    @Test
    void rejectsConfigNamingUnknownPlansOrMalformedHashes() {
        assertThatThrownBy(() -> new TenantConfig("X-Api-Key", Map.of("free", FREE),
                List.of(new ApiKey(ApiKeys.sha256Hex("k"), "t", "gold")), null))
                .hasMessageContaining("unknown plan 'gold'");
        assertThatThrownBy(() -> new ApiKey("abc", "t", "free")).hasMessageContaining("64 hex digits");
        assertThatThrownBy(() -> new TenantConfig("X-Api-Key", Map.of("free", FREE),
                List.of(new ApiKey(ApiKeys.sha256Hex("k"), "t", "free"), new ApiKey(ApiKeys.sha256Hex("k"), "u", "free")), null))
                .hasMessageContaining("configured twice");
        assertThatThrownBy(() -> new Plan("x", List.of(new Limit.Quota("a", 1, Duration.ofMinutes(1)),
                new Limit.Quota("a", 2, Duration.ofHours(1))))).hasMessageContaining("used twice");
    }
}
