package dev.vigil.slo.spec;

/**
 * Which traffic an objective judges.
 *
 * @param routeGroup a route group's name, or {@link #ALL_ROUTES} for all traffic
 * @param tenant     {@link TenantSelector.All} or an override for one tenant or plan
 */
public record Scope(String routeGroup, TenantSelector tenant) {
    public static final String ALL_ROUTES = "*";

    public static Scope allTraffic() { return new Scope(ALL_ROUTES, TenantSelector.ALL); }

    public boolean allRoutes() { return ALL_ROUTES.equals(routeGroup); }
}
