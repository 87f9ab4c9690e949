package dev.vigil.slo.spec;

/** Which tenants an objective applies to. A tenant or plan override replaces the general objective for those tenants. */
public sealed interface TenantSelector {
    All ALL = new All();

    record All() implements TenantSelector {}
    record Tenant(String name) implements TenantSelector {}
    record Plan(String name) implements TenantSelector {}
}
