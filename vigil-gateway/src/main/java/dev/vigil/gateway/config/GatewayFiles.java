package dev.vigil.gateway.config;

import dev.vigil.gateway.policy.PolicyFiles;
import dev.vigil.gateway.policy.cache.CacheConfig;
import dev.vigil.gateway.policy.idempotency.IdempotencyConfig;
import dev.vigil.gateway.policy.ratelimit.RateLimitRules;
import dev.vigil.gateway.policy.ratelimit.RouteLimits;
import dev.vigil.gateway.policy.state.StateConfig;
import dev.vigil.gateway.policy.tenant.Plan;
import dev.vigil.gateway.policy.tenant.TenantConfig;
import dev.vigil.slo.config.ConfigDocument;
import dev.vigil.slo.config.ConfigException;
import dev.vigil.slo.config.ConfigNode;
import dev.vigil.slo.config.Problem;
import dev.vigil.slo.config.ProblemCollector;
import dev.vigil.slo.spec.SloFiles;
import dev.vigil.slo.spec.SloSpec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Reads a gateway file ({@code docs/gateway-file.md}) into a validated {@link GatewayConfig}. Every problem found
 * is reported in one {@link ConfigException}, each as {@code file:line:column: message} naming the field and
 * what is allowed. The SLO file it names is read too, so a broken SLO file also stops a (re)load.
 */
public final class GatewayFiles {
    private static final Set<String> METHODS = Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE");

    private GatewayFiles() {}

    /** Reads {@code file}; environment variables (for {@code token-env}) come from the process. */
    public static GatewayConfig load(Path file) throws ConfigException {
        return read(ConfigDocument.load(file), file.toAbsolutePath().getParent(), System::getenv);
    }

    /** Parses text as if read from {@code fileName}; relative paths resolve against {@code baseDir}. */
    public static GatewayConfig parse(String fileName, String yaml, Path baseDir, Function<String, String> env) throws ConfigException {
        return read(ConfigDocument.parse(fileName, yaml), baseDir, env);
    }

    static GatewayConfig read(ConfigNode root, Path baseDir, Function<String, String> env) throws ConfigException {
        ProblemCollector problems = new ProblemCollector();
        problems.check(() -> root.allowOnly("listeners", "admin", "slo", "tenant-header", "trusted-proxies", "access-log",
                "retry-budget", "shutdown-grace", "limits", "upstreams", "routes",
                "state", "state-dir", "state-fsync", "state-timeout", "tenants", "plans", "rate-limit", "cache-size"));

        List<Listener> listeners = new ArrayList<>();
        problems.read(() -> root.require("listeners")).ifPresent(ls -> problems.check(() -> {
            List<ConfigNode> items = ls.asList();
            if (items.isEmpty()) throw ls.error("at least one listener is required");
            for (ConfigNode l : items) problems.read(() -> listener(l)).ifPresent(listeners::add);
        }));
        Set<Integer> ports = new HashSet<>();
        for (Listener l : listeners) ports.add(l.port());

        Optional<AdminListener> admin = problems.read(() -> admin(root.require("admin"), env, ports));
        Limits limits = problems.read(() -> root.get("limits").isPresent()
                ? limits(root.require("limits"), Limits.DEFAULTS, true) : Limits.DEFAULTS).orElse(Limits.DEFAULTS);

        Map<String, PoolConfig> pools = new LinkedHashMap<>();
        problems.read(() -> root.require("upstreams")).ifPresent(us -> problems.check(() -> {
            Map<String, ConfigNode> entries = us.entries();
            if (entries.isEmpty()) throw us.error("at least one upstream pool is required");
            for (Map.Entry<String, ConfigNode> e : entries.entrySet()) {
                problems.read(() -> pool(e.getKey(), e.getValue())).ifPresent(p -> pools.put(p.name(), p));
            }
        }));

        List<Route> routes = new ArrayList<>();
        Map<String, ConfigNode> routeNodes = new LinkedHashMap<>();
        problems.read(() -> root.require("routes")).ifPresent(rs -> problems.check(() -> {
            List<ConfigNode> items = rs.asList();
            if (items.isEmpty()) throw rs.error("at least one route is required");
            Set<String> names = new HashSet<>();
            for (ConfigNode r : items) {
                problems.read(() -> route(r, limits, pools, names)).ifPresent(route -> {
                    routes.add(route);
                    routeNodes.put(route.name(), r);
                });
            }
        }));
        PolicyConfig policies = problems.read(() -> policies(root, routeNodes, baseDir)).orElse(PolicyConfig.NONE);

        Optional<SloSpec> slo = Optional.empty();
        Optional<ConfigNode> sloNode = problems.read(() -> root.get("slo").orElse(null));
        if (sloNode.isPresent()) slo = problems.read(() -> slo(sloNode.get(), baseDir));

        List<Cidr> trusted = new ArrayList<>();
        problems.read(() -> root.get("trusted-proxies").orElse(null)).ifPresent(tp -> problems.check(() -> {
            for (ConfigNode c : tp.asListOrSingle()) {
                problems.check(() -> {
                    try {
                        trusted.add(Cidr.parse(c.asNonBlankString().strip()));
                    } catch (IllegalArgumentException e) {
                        throw c.error(e.getMessage() + "; write an address or network such as 10.0.0.0/8 or ::1");
                    }
                });
            }
        }));
        String tenantHeader = problems.read(() -> root.get("tenant-header").isPresent()
                ? headerName(root.require("tenant-header")) : "X-Tenant").orElse("X-Tenant");
        boolean accessLog = problems.read(() -> root.get("access-log").isPresent() && root.require("access-log").asBoolean()).orElse(false);
        double retryBudget = problems.read(() -> {
            if (root.get("retry-budget").isEmpty()) return 0.2;
            return root.require("retry-budget").asRatio().doubleValue();
        }).orElse(0.2);
        Duration grace = problems.read(() -> root.get("shutdown-grace").isPresent()
                ? root.require("shutdown-grace").asDuration() : Duration.ofSeconds(10)).orElse(Duration.ofSeconds(10));

        problems.throwIfAny();
        try {
            return new GatewayConfig(Path.of(root.file()), listeners, admin.orElseThrow(), routes, pools, limits, slo,
                    trusted, tenantHeader, accessLog, retryBudget, grace, policies);
        } catch (IllegalArgumentException e) {
            throw root.error(e.getMessage());
        }
    }

    private static Listener listener(ConfigNode n) throws ConfigException {
        n.allowOnly("address", "port");
        String address = n.get("address").isPresent() ? n.require("address").asNonBlankString() : "0.0.0.0";
        int port = n.require("port").asInt(0, 65535);
        return new Listener(address, port);
    }

    private static AdminListener admin(ConfigNode n, Function<String, String> env, Set<Integer> clientPorts) throws ConfigException {
        n.allowOnly("address", "port", "token", "token-env");
        String address = n.get("address").isPresent() ? n.require("address").asNonBlankString() : "127.0.0.1";
        ConfigNode portNode = n.require("port");
        int port = portNode.asInt(0, 65535);
        if (port != 0 && clientPorts.contains(port)) throw portNode.error("the admin port must differ from every listener's port");
        boolean hasToken = n.has("token");
        boolean hasEnv = n.has("token-env");
        if (hasToken == hasEnv) throw n.error("write exactly one of 'token' or 'token-env' (the name of an environment variable holding it)");
        String token;
        ConfigNode tokenNode = n.require(hasToken ? "token" : "token-env");
        if (hasToken) {
            token = tokenNode.asString();
        } else {
            String var = tokenNode.asNonBlankString();
            token = env.apply(var);
            if (token == null) throw tokenNode.error("environment variable '" + var + "' is not set");
        }
        if (token.strip().length() < 16) throw tokenNode.error("the admin token must be at least 16 characters");
        return new AdminListener(new Listener(address, port), token.strip());
    }

    private static Limits limits(ConfigNode n, Limits base, boolean topLevel) throws ConfigException {
        if (topLevel) {
            n.allowOnly("connect-timeout", "request-timeout", "max-body", "max-header", "header-timeout", "idle-timeout");
        } else {
            for (String perConnection : List.of("max-header", "header-timeout", "idle-timeout")) {
                if (n.has(perConnection)) {
                    throw n.require(perConnection).keyError("'" + perConnection + "' applies to a whole connection, before any "
                            + "route is known: set it under the top-level 'limits'");
                }
            }
            n.allowOnly("connect-timeout", "request-timeout", "max-body");
        }
        Limits l = base;
        if (n.has("connect-timeout")) l = l.withConnectTimeout(positive(n.require("connect-timeout")));
        if (n.has("request-timeout")) l = l.withRequestTimeout(positive(n.require("request-timeout")));
        if (n.has("header-timeout")) l = l.withHeaderTimeout(positive(n.require("header-timeout")));
        if (n.has("idle-timeout")) l = l.withIdleTimeout(positive(n.require("idle-timeout")));
        if (n.has("max-body")) l = l.withMaxBodyBytes(n.require("max-body").asBytes());
        if (n.has("max-header")) {
            ConfigNode h = n.require("max-header");
            long b = h.asBytes();
            if (b < 1024 || b > 1024 * 1024) throw h.error("must be between 1KiB and 1MiB");
            l = l.withMaxHeaderBytes((int) b);
        }
        return l;
    }

    private static Duration positive(ConfigNode n) throws ConfigException {
        Duration d = n.asDuration();
        if (d.isZero()) throw n.error("must be more than 0");
        return d;
    }

    private static PoolConfig pool(String name, ConfigNode n) throws ConfigException {
        n.allowOnly("endpoints", "policy", "max-connections", "idle-timeout", "health-check", "ejection");
        if (!name.matches("[A-Za-z0-9][A-Za-z0-9._-]*")) throw n.keyError("pool name '" + name + "' may use letters, digits, '.', '_' and '-'");
        ConfigNode eps = n.require("endpoints");
        List<Endpoint> endpoints = new ArrayList<>();
        Set<Endpoint> seen = new LinkedHashSet<>();
        for (ConfigNode e : eps.asListOrSingle()) {
            Endpoint ep;
            try {
                ep = Endpoint.parse(e.asNonBlankString().strip());
            } catch (IllegalArgumentException ex) {
                throw e.error(ex.getMessage() + "; write host:port, e.g. 127.0.0.1:8081");
            }
            if (!seen.add(ep)) throw e.error("endpoint " + ep + " is listed twice");
            endpoints.add(ep);
        }
        if (endpoints.isEmpty()) throw eps.error("at least one endpoint is required");
        BalancePolicy policy = n.has("policy") ? n.require("policy").asEnum(BalancePolicy.class) : BalancePolicy.LEAST_OUTSTANDING;
        int maxConn = n.has("max-connections") ? n.require("max-connections").asInt(1, 1_000_000) : 1024;
        Duration idle = n.has("idle-timeout") ? positive(n.require("idle-timeout")) : Duration.ofSeconds(30);
        Optional<HealthCheck> health = Optional.empty();
        if (n.has("health-check")) {
            ConfigNode h = n.require("health-check");
            h.allowOnly("path", "interval", "timeout", "healthy-threshold", "unhealthy-threshold");
            ConfigNode pathNode = h.require("path");
            String path = pathNode.asNonBlankString();
            if (!path.startsWith("/")) throw pathNode.error("must start with '/'");
            Duration interval = h.has("interval") ? positive(h.require("interval")) : Duration.ofSeconds(5);
            Duration timeout = h.has("timeout") ? positive(h.require("timeout")) : Duration.ofSeconds(1);
            if (interval.toMillis() < 10) throw h.require("interval").error("must be at least 10ms");
            int healthy = h.has("healthy-threshold") ? h.require("healthy-threshold").asInt(1, 100) : 2;
            int unhealthy = h.has("unhealthy-threshold") ? h.require("unhealthy-threshold").asInt(1, 100) : 3;
            health = Optional.of(new HealthCheck(path, interval, timeout, healthy, unhealthy));
        }
        PassiveHealth passive = PassiveHealth.DEFAULTS;
        if (n.has("ejection")) {
            ConfigNode e = n.require("ejection");
            e.allowOnly("consecutive-failures", "duration");
            int failures = e.has("consecutive-failures") ? e.require("consecutive-failures").asInt(1, 1000) : 5;
            Duration d = e.has("duration") ? positive(e.require("duration")) : Duration.ofSeconds(30);
            passive = new PassiveHealth(failures, d);
        }
        return new PoolConfig(name, endpoints, policy, maxConn, idle, health, passive);
    }

    private static Route route(ConfigNode n, Limits defaults, Map<String, PoolConfig> pools, Set<String> names) throws ConfigException {
        n.allowOnly("name", "host", "methods", "path", "prefix", "upstream", "limits", "rate-limit", "idempotency", "cache");
        ConfigNode nameNode = n.require("name");
        String name = nameNode.asNonBlankString();
        if (!names.add(name)) throw nameNode.error("route name '" + name + "' is used twice");
        String host = n.has("host") ? n.require("host").asNonBlankString().strip().toLowerCase(Locale.ROOT) : "*";
        if (n.has("host") && (host.contains("/") || host.contains(":") && !host.startsWith("["))) {
            throw n.require("host").error("write a host name without scheme or port, '*' or '*.example.com'");
        }
        Set<String> methods = new LinkedHashSet<>();
        if (n.has("methods")) {
            for (ConfigNode m : n.require("methods").asListOrSingle()) {
                String method = m.asNonBlankString().strip();
                if (!METHODS.contains(method)) throw m.error("'" + method + "' is not a method a route can take; allowed: " + String.join(", ", new java.util.TreeSet<>(METHODS)));
                methods.add(method);
            }
        }
        boolean hasPath = n.has("path");
        boolean hasPrefix = n.has("prefix");
        if (hasPath == hasPrefix) throw n.error("write exactly one of 'path' (a pattern such as /items/{id}) or 'prefix' (such as /api/)");
        PathMatch match;
        ConfigNode pm = n.require(hasPath ? "path" : "prefix");
        try {
            match = hasPath ? PathMatch.Pattern.of(pm.asNonBlankString().strip()) : new PathMatch.Prefix(pm.asNonBlankString().strip());
        } catch (IllegalArgumentException e) {
            throw pm.error(e.getMessage());
        }
        ConfigNode up = n.require("upstream");
        String pool = up.asNonBlankString();
        if (!pools.containsKey(pool)) {
            String known = pools.isEmpty() ? "none are defined under 'upstreams'" : "defined: " + String.join(", ", pools.keySet());
            throw up.error("no upstream pool named '" + pool + "' (" + known + ")");
        }
        Limits limits = n.has("limits") ? limits(n.require("limits"), defaults, false) : defaults;
        return new Route(name, host, methods, match, pool, limits);
    }

    /**
     * The policy sections, through {@link PolicyFiles}. Policies are on when any of {@code state}, {@code plans},
     * {@code tenants} or a route's {@code rate-limit}/{@code idempotency}/{@code cache} is present; {@code state}
     * then defaults to embedded. Rate limits need {@code plans}; {@code tenants} defaults to the
     * {@code X-Api-Key} header with no keys (every caller needs a plan then: set {@code anonymous-plan}).
     */
    private static PolicyConfig policies(ConfigNode root, Map<String, ConfigNode> routeNodes, Path baseDir) throws ConfigException {
        ProblemCollector problems = new ProblemCollector();
        boolean any = root.has("state") || root.has("plans") || root.has("tenants") || root.has("rate-limit");
        for (ConfigNode r : routeNodes.values()) any |= r.has("rate-limit") || r.has("idempotency") || r.has("cache");
        if (!any) return PolicyConfig.NONE;
        StateConfig state = problems.read(() -> PolicyFiles.state(root.get("state").orElse(null), root.get("state-dir").orElse(null),
                root.get("state-timeout").orElse(null), root.get("state-fsync").orElse(null), baseDir)).orElse(null);
        long cacheSize = problems.read(() -> root.has("cache-size") ? root.require("cache-size").asBytes() : 64L << 20).orElse(64L << 20);

        Map<String, Plan> plans = null;
        if (root.has("plans")) plans = problems.read(() -> PolicyFiles.plans(root.require("plans"))).orElse(null);
        TenantConfig tenants = null;
        RateLimitRules rules = null;
        List<RouteLimits> routeLimits = new ArrayList<>();
        for (Map.Entry<String, ConfigNode> e : routeNodes.entrySet()) {
            e.getValue().get("rate-limit").ifPresent(rl -> {
                if (!root.has("plans")) {
                    problems.add(rl.error("a route rate-limit needs a top-level 'plans' section"));
                } else {
                    problems.read(() -> PolicyFiles.routeLimits(e.getKey(), rl, root.require("plans").entries().keySet()))
                            .ifPresent(routeLimits::add);
                }
            });
        }
        if (root.has("tenants") && !root.has("plans")) problems.add(root.require("tenants").error("tenants need a top-level 'plans' section"));
        if (root.has("rate-limit") && !root.has("plans")) problems.add(root.require("rate-limit").error("rate-limit needs a top-level 'plans' section"));
        if (plans != null) {
            Map<String, Plan> p = plans;
            tenants = problems.read(() -> root.has("tenants") ? PolicyFiles.tenants(root.require("tenants"), p)
                    : new TenantConfig("X-Api-Key", p, List.of(), null)).orElse(null);
            rules = problems.read(() -> PolicyFiles.rateLimitRules(root.get("rate-limit").orElse(null), p, routeLimits)).orElse(null);
        }
        Map<String, IdempotencyConfig> idempotency = new LinkedHashMap<>();
        Map<String, CacheConfig> cache = new LinkedHashMap<>();
        for (Map.Entry<String, ConfigNode> e : routeNodes.entrySet()) {
            e.getValue().get("idempotency").ifPresent(n -> problems.read(() -> PolicyFiles.idempotency(n)).ifPresent(c -> idempotency.put(e.getKey(), c)));
            e.getValue().get("cache").ifPresent(n -> problems.read(() -> PolicyFiles.cache(n)).ifPresent(c -> cache.put(e.getKey(), c)));
        }
        problems.throwIfAny();
        if (tenants == null) rules = null;
        try {
            return new PolicyConfig(state, tenants, rules, cacheSize, idempotency, cache);
        } catch (IllegalArgumentException ex) {
            throw root.error(ex.getMessage());
        }
    }

    private static String headerName(ConfigNode n) throws ConfigException {
        String h = n.asNonBlankString().strip();
        if (!h.matches("[A-Za-z0-9!#$%&'*+.^_`|~-]+")) throw n.error("'" + h + "' is not a valid header name");
        return h;
    }

    private static SloSpec slo(ConfigNode n, Path baseDir) throws ConfigException {
        String given = n.asNonBlankString().strip();
        Path p = Path.of(given);
        if (!p.isAbsolute() && baseDir != null) p = baseDir.resolve(p);
        if (!Files.isReadable(p)) throw n.error("cannot read SLO file " + p);
        try {
            return SloFiles.load(p);
        } catch (ConfigException e) {
            List<Problem> all = new ArrayList<>(e.problems());
            all.add(new Problem(n.location(), "the SLO file " + given + " has " + e.problems().size() + " problem(s), listed above"));
            throw new ConfigException(all);
        }
    }

}
