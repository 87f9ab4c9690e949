package dev.vigil.gateway.policy.tenant;

import java.util.Objects;

/**
 * The caller of one request, as resolved by {@link TenantResolver}.
 *
 * @param id     tenant identifier; {@code addr:<client address>} for callers without a key
 * @param plan   the plan whose limits apply
 * @param source how the tenant was identified
 */
public record Tenant(String id, Plan plan, Source source) {

    public enum Source { API_KEY, CLIENT_ADDRESS }

    public Tenant {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(plan, "plan");
        Objects.requireNonNull(source, "source");
    }
}
