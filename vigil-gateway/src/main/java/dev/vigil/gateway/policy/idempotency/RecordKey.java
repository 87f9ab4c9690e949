package dev.vigil.gateway.policy.idempotency;

import java.util.Objects;

/**
 * Where a record lives: the client's key scoped to tenant and route, so two tenants (or two routes)
 * using the same key never see each other's records.
 */
public record RecordKey(String tenant, String route, String key) {
    public RecordKey {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(route, "route");
        Objects.requireNonNull(key, "key");
    }

    /** Unambiguous flat form (length-prefixed parts): no choice of tenant/route/key can collide. */
    String flat() {
        return tenant.length() + ":" + tenant + route.length() + ":" + route + key;
    }
}
