package dev.vigil.gateway.policy;

import dev.vigil.gateway.policy.cache.CacheConfig;
import dev.vigil.gateway.policy.idempotency.IdempotencyConfig;
import dev.vigil.gateway.policy.idempotency.IdempotencyMode;
import dev.vigil.gateway.policy.ratelimit.Limit;
import dev.vigil.gateway.policy.ratelimit.RateLimitRules;
import dev.vigil.gateway.policy.ratelimit.RouteLimits;
import dev.vigil.gateway.policy.state.StateConfig;
import dev.vigil.gateway.policy.tenant.ApiKey;
import dev.vigil.gateway.policy.tenant.Plan;
import dev.vigil.gateway.policy.tenant.TenantConfig;
import dev.vigil.slo.config.ConfigException;
import dev.vigil.slo.config.ConfigNode;
import dev.vigil.slo.config.ProblemCollector;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Readers for the policy sections of the gateway file, on the shared config reader: each takes the
 * section's node and returns the validated record, or throws a {@link ConfigException} whose problems
 * name file:line:column, the field and what is allowed. The gateway file reader calls them.
 *
 * <pre>
 * state: embedded                  # or redis://127.0.0.1:6379
 * state-dir: .vigil-state          # embedded: where idempotency.mv.db lives (relative to the file)
 * state-fsync: false               # embedded: fsync each commit batch (survive power loss, not only a process crash)
 * state-timeout: 100ms             # redis: longest wait per command before the fail mode applies
 * tenants:
 *   key-header: X-Api-Key
 *   anonymous-plan: free           # callers without a key, by client address; omit to require a key (401)
 *   keys:
 *     - sha256: 2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae   # printf %s KEY | sha256sum
 *       tenant: acme
 *       plan: pro
 * plans:
 *   free: {rate: 10 rps, burst: 20, per-day: 10000}
 *   pro:  {rate: 100 rps, burst: 200, per-minute: 5000, per-hour: 100000, per-day: 2000000}
 * rate-limit:                      # gateway-wide
 *   fail: open                     # or closed: 503 while Redis is unreachable
 *   global: {rate: 10k rps, burst: 20000}
 * # inside a route:
 *   rate-limit: {rate: 5 rps, burst: 10, plans: {pro: {rate: 50 rps, burst: 100}}, fail: closed}
 *   idempotency: {mode: required, derive-key: false, in-flight-deadline: 60s, wait: 0s, ttl: 24h,
 *                 store-5xx: true, max-stored-body: 1MiB, fail: closed}
 *   cache: {ttl: 60s, stale-while-revalidate: 30s, stale-if-error: 5m, vary: [Accept, Accept-Encoding],
 *           vary-by-tenant: true, max-entry: 1MiB}
 * </pre>
 *
 * A limit block: {@code rate} (a whole number of requests per second, minute, hour or day:
 * {@code 10 rps}, {@code 500 rpm}) with {@code burst} (default: one second's worth, at least 1), and
 * quotas {@code per-minute}, {@code per-hour}, {@code per-day} (fixed UTC windows).
 */
public final class PolicyFiles {

    private static final String[] LIMIT_KEYS = {"rate", "burst", "per-minute", "per-hour", "per-day"};

    private PolicyFiles() {}

    /** The {@code plans:} map. */
    public static Map<String, Plan> plans(ConfigNode node) throws ConfigException {
        ProblemCollector problems = new ProblemCollector();
        Map<String, Plan> plans = new LinkedHashMap<>();
        for (Map.Entry<String, ConfigNode> e : node.entries().entrySet()) {
            problems.read(() -> {
                e.getValue().allowOnly(LIMIT_KEYS);
                return new Plan(e.getKey(), limits(e.getValue()));
            }).ifPresent(p -> plans.put(p.name(), p));
        }
        problems.throwIfAny();
        if (plans.isEmpty()) throw node.error("at least one plan is required");
        return plans;
    }

    /** A limit block (see the class comment); other keys of the block are the caller's to check. */
    public static List<Limit> limits(ConfigNode block) throws ConfigException {
        ProblemCollector problems = new ProblemCollector();
        List<Limit> limits = new ArrayList<>();
        Optional<ConfigNode> rate = block.get("rate");
        Optional<ConfigNode> burst = block.get("burst");
        if (rate.isPresent()) {
            problems.read(() -> rate(rate.get(), burst)).ifPresent(limits::add);
        } else if (burst.isPresent()) {
            problems.add(burst.get().error("burst needs a rate next to it"));
        }
        quota(problems, block, "per-minute", "minute", Duration.ofMinutes(1), limits);
        quota(problems, block, "per-hour", "hour", Duration.ofHours(1), limits);
        quota(problems, block, "per-day", "day", Duration.ofDays(1), limits);
        problems.throwIfAny();
        return limits;
    }

    private static Limit rate(ConfigNode rateNode, Optional<ConfigNode> burstNode) throws ConfigException {
        double perSecond = rateNode.asRate().perSecond();
        for (Duration per : List.of(Duration.ofSeconds(1), Duration.ofMinutes(1), Duration.ofHours(1), Duration.ofDays(1))) {
            double count = perSecond * per.toSeconds();
            long rounded = Math.round(count);
            if (rounded >= 1 && Math.abs(count - rounded) <= 1e-9 * Math.max(1, count)) {
                long burst = burstNode.isPresent() ? burstNode.get().asLong() : Math.max(1, (long) Math.ceil(perSecond));
                if (burst < 1) throw burstNode.orElseThrow().error("burst must be at least 1, got " + burst);
                try {
                    return new Limit.Rate("rate", rounded, per, burst);
                } catch (IllegalArgumentException e) {
                    throw rateNode.error(e.getMessage());
                }
            }
        }
        throw rateNode.error("a rate must be a whole number of requests per second, minute, hour or day (e.g. 10 rps, 500 rpm, 100 rph)");
    }

    private static void quota(ProblemCollector problems, ConfigNode block, String key, String name, Duration window, List<Limit> out) {
        problems.read(() -> {
            Optional<ConfigNode> n = block.get(key);
            if (n.isEmpty()) return null;
            long count = n.get().asLong();
            try {
                return new Limit.Quota(name, count, window);
            } catch (IllegalArgumentException e) {
                throw n.get().error(e.getMessage());
            }
        }).ifPresent(out::add);
    }

    /** The {@code tenants:} section. */
    public static TenantConfig tenants(ConfigNode node, Map<String, Plan> plans) throws ConfigException {
        node.allowOnly("key-header", "anonymous-plan", "keys");
        ProblemCollector problems = new ProblemCollector();
        String header = problems.read(() -> node.get("key-header").isPresent() ? node.require("key-header").asNonBlankString() : "X-Api-Key")
                .orElse("X-Api-Key");
        String anonymous = problems.read(() -> {
            Optional<ConfigNode> a = node.get("anonymous-plan");
            if (a.isEmpty()) return null;
            String plan = a.get().asNonBlankString();
            if (!plans.containsKey(plan)) throw a.get().error("unknown plan '" + plan + "'; plans: " + String.join(", ", plans.keySet()));
            return plan;
        }).orElse(null);
        List<ApiKey> keys = new ArrayList<>();
        Set<String> seen = new java.util.HashSet<>();
        problems.read(() -> node.get("keys").orElse(null)).ifPresent(ks -> problems.check(() -> {
            for (ConfigNode k : ks.asList()) {
                problems.read(() -> {
                    k.allowOnly("sha256", "tenant", "plan");
                    ConfigNode planNode = k.require("plan");
                    String plan = planNode.asNonBlankString();
                    if (!plans.containsKey(plan)) throw planNode.error("unknown plan '" + plan + "'; plans: " + String.join(", ", plans.keySet()));
                    ConfigNode hash = k.require("sha256");
                    try {
                        ApiKey key = new ApiKey(hash.asNonBlankString().strip(), k.require("tenant").asNonBlankString(), plan);
                        if (!seen.add(key.sha256Hex())) throw hash.error("this key hash is configured twice");
                        return key;
                    } catch (IllegalArgumentException e) {
                        throw hash.error(e.getMessage() + "; write the SHA-256 of the key, e.g. printf %s KEY | sha256sum");
                    }
                }).ifPresent(keys::add);
            }
        }));
        problems.throwIfAny();
        return new TenantConfig(header, plans, keys, anonymous);
    }

    /** A route's {@code rate-limit:} block. */
    public static RouteLimits routeLimits(String route, ConfigNode node, Set<String> planNames) throws ConfigException {
        List<String> allowed = new ArrayList<>(List.of(LIMIT_KEYS));
        allowed.addAll(List.of("plans", "fail"));
        node.allowOnly(allowed);
        ProblemCollector problems = new ProblemCollector();
        List<Limit> limits = problems.read(() -> limits(node)).orElse(List.of());
        Map<String, List<Limit>> byPlan = new LinkedHashMap<>();
        problems.read(() -> node.get("plans").orElse(null)).ifPresent(ps -> problems.check(() -> {
            for (Map.Entry<String, ConfigNode> e : ps.entries().entrySet()) {
                if (!planNames.contains(e.getKey())) {
                    problems.add(e.getValue().keyError("unknown plan '" + e.getKey() + "'; plans: " + String.join(", ", planNames)));
                    continue;
                }
                problems.read(() -> {
                    e.getValue().allowOnly(LIMIT_KEYS);
                    return limits(e.getValue());
                }).ifPresent(l -> byPlan.put(e.getKey(), l));
            }
        }));
        FailMode fail = problems.read(() -> node.get("fail").isPresent() ? node.require("fail").asEnum(FailMode.class) : null).orElse(null);
        problems.throwIfAny();
        return new RouteLimits(route, limits, byPlan, fail);
    }

    /** The gateway-wide {@code rate-limit:} block ({@code null} node: fail open, no global ceiling). */
    public static RateLimitRules rateLimitRules(ConfigNode node, Map<String, Plan> plans, List<RouteLimits> routes) throws ConfigException {
        FailMode fail = FailMode.OPEN;
        List<Limit> global = List.of();
        if (node != null) {
            node.allowOnly("fail", "global");
            ProblemCollector problems = new ProblemCollector();
            fail = problems.read(() -> node.get("fail").isPresent() ? node.require("fail").asEnum(FailMode.class) : FailMode.OPEN).orElse(FailMode.OPEN);
            global = problems.read(() -> {
                Optional<ConfigNode> g = node.get("global");
                if (g.isEmpty()) return List.<Limit>of();
                g.get().allowOnly(LIMIT_KEYS);
                return limits(g.get());
            }).orElse(List.of());
            problems.throwIfAny();
        }
        try {
            return new RateLimitRules(plans, routes, global, fail);
        } catch (IllegalArgumentException e) {
            if (node == null) throw e;     // only route entries can be wrong here, and those were read with locations
            throw node.error(e.getMessage());
        }
    }

    /** A route's {@code idempotency:} block; unset keys take {@link IdempotencyConfig#defaults}. */
    public static IdempotencyConfig idempotency(ConfigNode node) throws ConfigException {
        node.allowOnly("mode", "derive-key", "in-flight-deadline", "wait", "ttl", "store-5xx", "max-stored-body", "fail");
        ProblemCollector problems = new ProblemCollector();
        IdempotencyMode mode = problems.read(() -> node.require("mode").asEnum(IdempotencyMode.class)).orElse(IdempotencyMode.OFF);
        IdempotencyConfig d = IdempotencyConfig.defaults(mode);
        boolean derive = problems.read(() -> node.get("derive-key").isPresent() ? node.require("derive-key").asBoolean() : d.deriveKey()).orElse(false);
        Duration deadline = duration(problems, node, "in-flight-deadline", d.inFlightDeadline());
        Duration wait = duration(problems, node, "wait", d.waitForResult());
        Duration ttl = duration(problems, node, "ttl", d.ttl());
        boolean store5xx = problems.read(() -> node.get("store-5xx").isPresent() ? node.require("store-5xx").asBoolean() : d.store5xx()).orElse(true);
        long maxBody = problems.read(() -> node.get("max-stored-body").isPresent() ? node.require("max-stored-body").asBytes() : d.maxStoredBodyBytes())
                .orElse(d.maxStoredBodyBytes());
        FailMode fail = problems.read(() -> node.get("fail").isPresent() ? node.require("fail").asEnum(FailMode.class) : d.failMode()).orElse(d.failMode());
        problems.throwIfAny();
        try {
            return new IdempotencyConfig(mode, derive, deadline, wait, ttl, store5xx, maxBody, fail);
        } catch (IllegalArgumentException e) {
            throw node.error(e.getMessage());
        }
    }

    /** A route's {@code cache:} block. */
    public static CacheConfig cache(ConfigNode node) throws ConfigException {
        node.allowOnly("ttl", "stale-while-revalidate", "stale-if-error", "vary", "vary-by-tenant", "max-entry");
        ProblemCollector problems = new ProblemCollector();
        CacheConfig d = CacheConfig.of(Duration.ZERO);
        Duration ttl = duration(problems, node, "ttl", Duration.ZERO);
        Duration swr = duration(problems, node, "stale-while-revalidate", Duration.ZERO);
        Duration sie = duration(problems, node, "stale-if-error", Duration.ZERO);
        List<String> vary = new ArrayList<>(d.varyHeaders());
        problems.read(() -> node.get("vary").orElse(null)).ifPresent(v -> problems.check(() -> {
            for (ConfigNode h : v.asListOrSingle()) vary.add(h.asNonBlankString().strip());
        }));
        boolean byTenant = problems.read(() -> node.get("vary-by-tenant").isPresent() ? node.require("vary-by-tenant").asBoolean() : true).orElse(true);
        long maxEntry = problems.read(() -> node.get("max-entry").isPresent() ? node.require("max-entry").asBytes() : d.maxEntryBytes())
                .orElse(d.maxEntryBytes());
        problems.throwIfAny();
        try {
            return new CacheConfig(ttl, swr, sie, vary, byTenant, maxEntry);
        } catch (IllegalArgumentException e) {
            throw node.error(e.getMessage());
        }
    }

    /**
     * The state backend from {@code state}, {@code state-dir} and {@code state-timeout} (each may be null).
     *
     * @param baseDir the gateway file's directory, for a relative {@code state-dir}
     */
    public static StateConfig state(ConfigNode state, ConfigNode stateDir, ConfigNode timeout, Path baseDir) throws ConfigException {
        return state(state, stateDir, timeout, null, baseDir);
    }

    /** As {@link #state(ConfigNode, ConfigNode, ConfigNode, Path)}, with {@code state-fsync} (embedded only; may be null). */
    public static StateConfig state(ConfigNode state, ConfigNode stateDir, ConfigNode timeout, ConfigNode fsync, Path baseDir)
            throws ConfigException {
        Path dir = baseDir.resolve(stateDir == null ? ".vigil-state" : stateDir.asNonBlankString());
        Duration t = timeout == null ? Duration.ofMillis(100) : timeout.asDuration();
        boolean sync = fsync != null && fsync.asBoolean();
        if (state == null) return new StateConfig.Embedded(dir, sync);
        String v = state.asNonBlankString().strip();
        if (fsync != null && !v.equals("embedded")) {
            throw fsync.error("state-fsync applies to state: embedded only (Redis persistence is Redis's own appendfsync setting)");
        }
        try {
            if (v.equals("embedded")) return new StateConfig.Embedded(dir, sync);
            if (v.equals("memory")) return new StateConfig.Memory();
            return new StateConfig.Redis(v, t);
        } catch (IllegalArgumentException e) {
            throw state.error("'" + v + "' is not allowed; write embedded, memory or redis://host:port");
        }
    }

    private static Duration duration(ProblemCollector problems, ConfigNode node, String key, Duration fallback) {
        return problems.read(() -> node.get(key).isPresent() ? node.require(key).asDuration() : fallback).orElse(fallback);
    }
}
