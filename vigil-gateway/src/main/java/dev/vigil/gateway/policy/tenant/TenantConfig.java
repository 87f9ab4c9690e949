package dev.vigil.gateway.policy.tenant;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * How tenants are identified and which plans exist.
 *
 * @param keyHeader       request header carrying the API key (e.g. {@code X-Api-Key})
 * @param plans           every plan by name
 * @param keys            configured API keys (hashes only); hashes unique
 * @param anonymousPlan   plan for callers without a key, identified by client address; {@code null}
 *                        means a key is required (401 without one)
 */
public record TenantConfig(String keyHeader, Map<String, Plan> plans, List<ApiKey> keys, String anonymousPlan) {
    public TenantConfig {
        if (keyHeader == null || keyHeader.isBlank()) throw new IllegalArgumentException("keyHeader must not be blank");
        plans = Map.copyOf(new LinkedHashMap<>(Objects.requireNonNull(plans, "plans")));
        keys = List.copyOf(Objects.requireNonNull(keys, "keys"));
        plans.forEach((name, plan) -> {
            if (!name.equals(plan.name())) {
                throw new IllegalArgumentException("plan registered as '" + name + "' is named '" + plan.name() + "'");
            }
        });
        Set<String> hashes = new HashSet<>();
        for (ApiKey k : keys) {
            if (!plans.containsKey(k.plan())) {
                throw new IllegalArgumentException("API key of tenant '" + k.tenant() + "' names unknown plan '" + k.plan()
                        + "'; known plans: " + plans.keySet());
            }
            if (!hashes.add(k.sha256Hex())) {
                throw new IllegalArgumentException("API key hash " + k.sha256Hex().substring(0, 8) + "… is configured twice");
            }
        }
        if (anonymousPlan != null && !plans.containsKey(anonymousPlan)) {
            throw new IllegalArgumentException("anonymousPlan names unknown plan '" + anonymousPlan + "'; known plans: " + plans.keySet());
        }
    }
}
