package dev.vigil.slo.spec;

import dev.vigil.slo.config.ConfigException;
import dev.vigil.slo.config.ConfigNode;
import dev.vigil.slo.config.DidYouMean;
import dev.vigil.slo.config.ProblemCollector;
import dev.vigil.slo.config.Quantities;

import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Turns a parsed SLO document into an {@link SloSpec}, collecting every problem it can in one pass. One instance
 * per read. The grammar is documented in {@code docs/slo-file.md}; the constants below are its key sets.
 */
final class SloFileReader {
    static final String DEFAULT_GROUP = "default";
    static final Ratio DEFAULT_BAD_MINUTE_ERROR_RATE = Ratio.ofPercent("5");
    static final int DEFAULT_PRECISION_DIGITS = 3;

    static final List<String> OBJECTIVE_KEYS = List.of("latency", "error-rate", "availability", "throughput", "cache-hit-ratio");
    static final List<String> TOP_KEYS = concat(List.of("version", "service", "precision", "time-zone", "budget", "errors",
            "routes", "tenants", "overrides", "maintenance"), OBJECTIVE_KEYS);
    static final List<String> GROUP_KEYS = concat(List.of("match", "default"), OBJECTIVE_KEYS);
    static final List<String> OVERRIDE_KEYS = concat(List.of("tenant", "plan", "routes"), OBJECTIVE_KEYS);
    /** Suggestions for a misspelt latency key; any p&lt;number&gt; between 0 and 100 is accepted. */
    static final List<String> LATENCY_KEYS = List.of("p50", "p75", "p90", "p95", "p99", "p99.9", "p99.99", "max", "under");
    static final List<String> TIER_KEYS = List.of("target", "acceptable", "critical");
    static final List<String> BUDGET_KEYS = List.of("period", "method");
    static final List<String> ERROR_KINDS = List.of("5xx", "4xx", "429", "timeouts", "connection-failures");

    private static final Pattern PERCENTILE = Pattern.compile("p([0-9]+(?:\\.[0-9]+)?)");
    private static final Pattern GROUP_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");
    private static final Pattern METHOD = Pattern.compile("[A-Za-z]+|\\*");
    private static final Pattern PARAM = Pattern.compile("\\{[A-Za-z_][A-Za-z0-9_-]*}");
    private static final Pattern ROLLING = Pattern.compile("(?:rolling[ -]?)?([0-9]+)\\s*d(?:ays?)?");
    private static final DateTimeFormatter LOCAL_DATE_TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd[[ ]['T']HH:mm[:ss]]");
    private static final DateTimeFormatter LOCAL_TIME = DateTimeFormatter.ofPattern("H:mm[:ss]");
    private static final String PERIOD_HELP = "calendar-month or rolling <N>d with N from 1 to 366 (e.g. rolling 28d)";

    private final ConfigNode root;
    private final ProblemCollector problems = new ProblemCollector();
    private final List<Objective> objectives = new ArrayList<>();
    private final Map<String, ConfigNode> objectiveIds = new HashMap<>();
    private ZoneId zone = ZoneId.of("UTC");
    private Budgeting defaultBudgeting;
    private ErrorDefinition defaultErrors = ErrorDefinition.DEFAULT;

    SloFileReader(ConfigNode root) {
        this.root = root;
    }

    SloSpec read() throws ConfigException {
        if (root.isNull()) throw root.error("the SLO file is empty; it needs at least 'service' and one objective (see docs/slo-file.md)");
        if (!root.isMap()) throw root.error("an SLO file is a map with 'service', 'routes' and objectives; got " + root.describe());
        problems.check(() -> root.allowOnly(TOP_KEYS));
        problems.check(() -> {
            Optional<ConfigNode> v = root.get("version");
            if (v.isPresent() && v.get().asInt() != 1) throw v.get().error("unsupported version " + v.get().asString() + "; this Vigil reads version 1");
        });
        String service = problems.read(() -> root.require("service").asNonBlankString()).orElse("");
        int precision = problems.read(() -> {
            Optional<ConfigNode> p = root.get("precision");
            return p.isEmpty() ? DEFAULT_PRECISION_DIGITS : p.get().asInt(1, 5);
        }).orElse(DEFAULT_PRECISION_DIGITS);
        problems.read(() -> root.get("time-zone")).flatMap(o -> o).ifPresent(z -> problems.read(() -> zone(z)).ifPresent(v -> zone = v));
        defaultBudgeting = new Budgeting(new BudgetPeriod.CalendarMonth(zone), BudgetingMethod.EVENTS);
        problems.read(() -> root.get("budget")).flatMap(o -> o).ifPresent(b -> problems.read(() -> {
            b.allowOnly(BUDGET_KEYS);
            return budgeting(b, defaultBudgeting);
        }).ifPresent(v -> defaultBudgeting = v));
        problems.read(() -> root.get("errors")).flatMap(o -> o).ifPresent(e -> problems.read(() -> errors(e)).ifPresent(v -> defaultErrors = v));

        List<RouteGroup> groups = routeGroups();
        Map<String, String> tenantPlans = tenantPlans();

        readObjectives(root, Scope.ALL_ROUTES, TenantSelector.ALL);
        problems.read(() -> root.get("routes")).flatMap(o -> o).ifPresent(routes -> problems.read(routes::entries).ifPresent(entries -> {
            for (Map.Entry<String, ConfigNode> e : entries.entrySet()) {
                if (e.getValue().isMap()) readObjectives(e.getValue(), e.getKey(), TenantSelector.ALL);
            }
        }));
        overrides(groups);
        List<MaintenanceWindow> maintenance = maintenance();
        problems.throwIfAny();
        return new SloSpec(root.file(), service, precision, groups, objectives, tenantPlans, maintenance);
    }

    // ---------------------------------------------------------------- route groups

    private List<RouteGroup> routeGroups() {
        List<RouteGroup> groups = new ArrayList<>();
        RouteGroup defaultGroup = null;
        RouteGroup namedDefault = null;
        Map<String, ConfigNode> seenPatterns = new HashMap<>();
        Optional<ConfigNode> routesNode = problems.read(() -> root.get("routes")).flatMap(o -> o);
        Map<String, ConfigNode> entries = routesNode.flatMap(r -> problems.read(r::entries)).orElse(Map.of());
        for (Map.Entry<String, ConfigNode> e : entries.entrySet()) {
            String name = e.getKey();
            ConfigNode g = e.getValue();
            if (!GROUP_NAME.matcher(name).matches()) {
                problems.add(g.keyError("route group name '" + name + "' may only use letters, digits, '.', '_' and '-', starting with a letter or digit"));
                continue;
            }
            if (!g.isMap()) {
                problems.add(g.error("a route group is a map with 'match' and objectives (latency, error-rate, ...); got " + g.describe()));
                continue;
            }
            problems.check(() -> g.allowOnly(GROUP_KEYS));
            boolean isDefault = problems.read(() -> {
                Optional<ConfigNode> d = g.get("default");
                return d.isPresent() && d.get().asBoolean();
            }).orElse(false);
            List<RoutePattern> patterns = new ArrayList<>();
            Optional<ConfigNode> match = problems.read(() -> g.get("match")).flatMap(o -> o);
            if (isDefault && match.isPresent()) {
                problems.add(match.get().keyError("the default group takes every request no other group matches; remove 'match'"));
            } else if (!isDefault && match.isEmpty()) {
                if (!name.equals(DEFAULT_GROUP)) problems.add(g.error("missing required key 'match' (e.g. match: [GET /items/{id}]), or set 'default: true'"));
            } else if (match.isPresent()) {
                if (name.equals(DEFAULT_GROUP)) {
                    problems.add(match.get().keyError("the group named 'default' takes every request no other group matches; remove 'match' or rename the group"));
                }
                List<ConfigNode> items = match.get().asListOrSingle();
                if (items.isEmpty()) problems.add(match.get().error("list at least one route, e.g. GET /items/{id}"));
                for (ConfigNode item : items) {
                    problems.read(() -> patterns(item)).ifPresent(ps -> {
                        for (RoutePattern p : ps) {
                            ConfigNode previous = seenPatterns.putIfAbsent(p.toString(), item);
                            if (previous != null) {
                                problems.add(item.problem("route '" + p + "' is already matched at line " + previous.location().line()
                                        + " (" + previous.path() + "); a request goes to the first group that matches"));
                            } else {
                                patterns.add(p);
                            }
                        }
                    });
                }
            }
            RouteGroup group = new RouteGroup(name, patterns, isDefault || (match.isEmpty() && name.equals(DEFAULT_GROUP)), g.keyLocation());
            if (isDefault) {
                if (defaultGroup != null) {
                    problems.add(g.keyError("only one route group can be the default; '" + defaultGroup.name() + "' (line "
                            + defaultGroup.location().line() + ") already is"));
                    continue;
                }
                defaultGroup = group;
            } else if (group.isDefault()) {
                namedDefault = group;
            } else {
                groups.add(group);
            }
        }
        if (defaultGroup != null && namedDefault != null) {
            // A group named "default" next to another group marked default: both cannot be the fallback.
            problems.add(new dev.vigil.slo.config.Problem(namedDefault.location(), "routes." + DEFAULT_GROUP
                    + ": group '" + defaultGroup.name() + "' is marked 'default: true', so this group named 'default' would never match; give it 'match' or remove it"));
        }
        RouteGroup fallback = defaultGroup != null ? defaultGroup : namedDefault;
        if (fallback == null) {
            SourceLocation at = routesNode.map(ConfigNode::keyLocation).orElse(new SourceLocation(root.file(), 0, 0, "routes"));
            fallback = new RouteGroup(DEFAULT_GROUP, List.of(), true, at);
        }
        groups.add(fallback);
        return groups;
    }

    /** {@code GET /items/{id}}, {@code GET|HEAD /items}, {@code /static/**} (any method), {@code * /health}. */
    private List<RoutePattern> patterns(ConfigNode item) throws ConfigException {
        String text = item.asNonBlankString().strip();
        String[] parts = text.split("\\s+");
        if (parts.length > 2) throw item.error("'" + text + "' is not a route; write METHOD /path, e.g. GET /landing-pages/{id}");
        String methods = parts.length == 2 ? parts[0] : "*";
        String path = parts.length == 2 ? parts[1] : parts[0];
        if (!path.startsWith("/")) throw item.error("'" + text + "': the path must start with '/', e.g. GET /landing-pages/{id}");
        if (path.contains("?") || path.contains("#")) throw item.error("'" + text + "': a route pattern has no query string; query strings are ignored when matching");
        String[] segments = path.substring(1).split("/", -1);
        Set<String> params = new TreeSet<>();
        for (int i = 0; i < segments.length; i++) {
            String s = segments[i];
            boolean last = i == segments.length - 1;
            if (s.isEmpty()) {
                if (last && segments.length == 1) continue; // "/" itself
                throw item.error("'" + text + "': empty path segment ('//' or a trailing '/'); write /a/b");
            }
            if (s.equals("**")) {
                if (!last) throw item.error("'" + text + "': '**' matches the rest of the path and may only be the last segment, e.g. /static/**");
                continue;
            }
            if (s.equals("*")) continue;
            if (s.contains("{") || s.contains("}")) {
                if (!PARAM.matcher(s).matches()) {
                    throw item.error("'" + text + "': '" + s + "' is not a parameter; a parameter is a whole segment like {id}");
                }
                if (!params.add(s)) throw item.error("'" + text + "': parameter " + s + " appears twice");
                continue;
            }
            if (s.contains("*")) throw item.error("'" + text + "': '*' matches a whole segment; write /a/*/b, not /a/b*");
        }
        List<RoutePattern> out = new ArrayList<>();
        for (String m : methods.split("\\|", -1)) {
            if (!METHOD.matcher(m).matches()) {
                throw item.error("'" + m + "' is not an HTTP method; write e.g. GET, POST, GET|HEAD or * for any");
            }
            out.add(new RoutePattern(m.toUpperCase(Locale.ROOT), path));
        }
        return out;
    }

    private Map<String, String> tenantPlans() {
        Map<String, String> plans = new LinkedHashMap<>();
        problems.read(() -> root.get("tenants")).flatMap(o -> o).flatMap(t -> problems.read(t::entries)).ifPresent(entries -> {
            for (Map.Entry<String, ConfigNode> e : entries.entrySet()) {
                problems.read(() -> e.getValue().asNonBlankString()).ifPresent(plan -> plans.put(e.getKey(), plan));
            }
        });
        return plans;
    }

    // ---------------------------------------------------------------- objectives

    /** Reads the objective keys of {@code block} (a group, the top level or an override) for one scope. */
    private void readObjectives(ConfigNode block, String group, TenantSelector tenant) {
        Scope scope = new Scope(group, tenant);
        for (String key : OBJECTIVE_KEYS) {
            Optional<ConfigNode> n = problems.read(() -> block.get(key)).flatMap(o -> o);
            if (n.isEmpty() || n.get().isNull()) continue;
            ConfigNode node = n.get();
            switch (key) {
                case "latency" -> latency(node, scope);
                case "error-rate" -> problems.read(() -> errorRate(node, scope)).ifPresent(o -> add(o, node));
                case "availability" -> problems.read(() -> availability(node, scope)).ifPresent(o -> add(o, node));
                case "throughput" -> problems.read(() -> throughput(node, scope)).ifPresent(o -> add(o, node));
                case "cache-hit-ratio" -> problems.read(() -> cacheHitRatio(node, scope)).ifPresent(o -> add(o, node));
                default -> throw new IllegalStateException(key);
            }
        }
    }

    /**
     * The general objective an override replaces (same route group and kind), whose unstated settings
     * (budget period and method, error kinds, bad-minute rate) the override inherits.
     */
    private Optional<Objective> general(Scope scope, String what) {
        if (scope.tenant() instanceof TenantSelector.All) return Optional.empty();
        String base = id(new Scope(scope.routeGroup(), TenantSelector.ALL), what);
        return objectives.stream().filter(o -> o.id().equals(base)).findFirst();
    }

    private Budgeting budgetingFallback(Scope scope, String what) {
        return general(scope, what).flatMap(Objective::errorBudget).orElse(defaultBudgeting);
    }

    private ErrorDefinition errorsFallback(Scope scope, String what) {
        return general(scope, what).map(o -> switch (o) {
            case Objective.ErrorRate e -> e.errors();
            case Objective.Availability a -> a.errors();
            default -> defaultErrors;
        }).orElse(defaultErrors);
    }

    private void add(Objective o, ConfigNode node) {
        ConfigNode previous = objectiveIds.putIfAbsent(o.id(), node);
        if (previous != null) {
            problems.add(node.keyError("objective '" + o.id() + "' is already defined at line " + previous.keyLocation().line()));
            return;
        }
        objectives.add(o);
    }

    private static String id(Scope scope, String what) {
        String suffix = switch (scope.tenant()) {
            case TenantSelector.All a -> "";
            case TenantSelector.Tenant t -> "@tenant=" + t.name();
            case TenantSelector.Plan p -> "@plan=" + p.name();
        };
        return scope.routeGroup() + ":" + what + suffix;
    }

    private void latency(ConfigNode node, Scope scope) {
        if (node.isScalar()) {
            problems.add(node.error("latency holds thresholds per percentile, e.g. latency: { p99: " + node.describe().replace("'", "") + " }"));
            return;
        }
        Map<String, ConfigNode> entries = problems.read(node::entries).orElse(Map.of());
        if (node.isMap() && entries.isEmpty()) problems.add(node.error("list at least one threshold, e.g. p99: 100ms"));
        for (Map.Entry<String, ConfigNode> e : entries.entrySet()) {
            String key = e.getKey();
            ConfigNode v = e.getValue();
            if (key.equals("under")) {
                latencyRatios(v, scope);
                continue;
            }
            Optional<BigDecimal> percentile = problems.read(() -> percentile(key, v, node.path()));
            if (percentile.isEmpty()) continue;
            problems.read(() -> {
                Tiers<Duration> tiers = tiers(v, SloFileReader::positiveDuration, Tiers.Direction.LOWER_IS_BETTER, List.of("good-minutes"));
                Optional<Ratio> inherited = general(scope, "latency:" + key)
                        .flatMap(o -> ((Objective.LatencyPercentile) o).goodMinutes());
                Optional<Ratio> goodMinutes = v.isMap() ? optional(v, "good-minutes", ConfigNode::asRatio).or(() -> inherited) : inherited;
                // Judged in minutes, the objective spends a budget of minutes over the file's period (an override
                // over its general objective's), whatever method the file uses for its other budgets.
                Optional<Budgeting> budgeting = goodMinutes.map(g -> new Budgeting(
                        budgetingFallback(scope, "latency:" + key).period(), BudgetingMethod.TIMESLICES));
                return new Objective.LatencyPercentile(id(scope, "latency:" + key), scope, v.keyLocation(), percentile.get(), tiers,
                        goodMinutes, budgeting);
            }).ifPresent(o -> add(o, v));
        }
    }

    private static BigDecimal percentile(String key, ConfigNode v, String where) throws ConfigException {
        if (key.equals("max")) return BigDecimal.valueOf(100);
        Matcher m = PERCENTILE.matcher(key);
        if (m.matches()) {
            BigDecimal p = new BigDecimal(m.group(1));
            if (p.signum() > 0 && p.compareTo(BigDecimal.valueOf(100)) < 0) return p;
            if (p.compareTo(BigDecimal.valueOf(100)) == 0) throw v.keyError("p100 is the slowest request; write 'max'");
        }
        String hint = DidYouMean.suggest(key, LATENCY_KEYS).map(s -> " — did you mean '" + s + "'?")
                .orElse(" — allowed: p<percentile> between 0 and 100 (p50, p90, p95, p99, p99.9), max, under");
        // Same wording as ConfigNode.allowOnly, so every unknown key reads alike.
        throw new ConfigException(new dev.vigil.slo.config.Problem(v.keyLocation(), "unknown key '" + key + "' at " + where + hint));
    }

    private void latencyRatios(ConfigNode under, Scope scope) {
        Map<String, ConfigNode> entries = problems.read(under::entries).orElse(Map.of());
        if (under.isMap() && entries.isEmpty()) problems.add(under.error("list at least one threshold, e.g. 1000ms: 99%"));
        for (Map.Entry<String, ConfigNode> e : entries.entrySet()) {
            ConfigNode v = e.getValue();
            problems.read(() -> {
                Duration threshold;
                try {
                    threshold = Quantities.parseDuration(e.getKey());
                } catch (IllegalArgumentException ex) {
                    throw v.keyError("the key is the latency threshold: " + ex.getMessage());
                }
                if (threshold.isZero()) throw v.keyError("the latency threshold must be more than 0");
                Tiers<Ratio> tiers = tiers(v, ConfigNode::asRatio, Tiers.Direction.HIGHER_IS_BETTER, BUDGET_KEYS);
                String what = "latency:under-" + e.getKey().replace(" ", "");
                Budgeting budgeting = budgeting(v, budgetingFallback(scope, what));
                return new Objective.LatencyRatio(id(scope, what), scope, v.keyLocation(), threshold, tiers, budgeting);
            }).ifPresent(o -> add(o, v));
        }
    }

    private Objective.ErrorRate errorRate(ConfigNode node, Scope scope) throws ConfigException {
        List<String> extra = concat(BUDGET_KEYS, List.of("errors"));
        Tiers<Ratio> tiers = tiers(node, ConfigNode::asRatio, Tiers.Direction.LOWER_IS_BETTER, extra);
        ErrorDefinition fallback = errorsFallback(scope, "error-rate");
        ErrorDefinition errors = node.isMap() ? optional(node, "errors", this::errors).orElse(fallback) : fallback;
        return new Objective.ErrorRate(id(scope, "error-rate"), scope, node.keyLocation(), errors, tiers,
                budgeting(node, budgetingFallback(scope, "error-rate")));
    }

    private Objective.Availability availability(ConfigNode node, Scope scope) throws ConfigException {
        List<String> extra = concat(BUDGET_KEYS, List.of("errors", "bad-minute-error-rate"));
        Tiers<Ratio> tiers = tiers(node, ConfigNode::asRatio, Tiers.Direction.HIGHER_IS_BETTER, extra);
        ErrorDefinition fallback = errorsFallback(scope, "availability");
        ErrorDefinition errors = node.isMap() ? optional(node, "errors", this::errors).orElse(fallback) : fallback;
        Ratio badMinuteFallback = general(scope, "availability").map(o -> ((Objective.Availability) o).badMinuteErrorRate())
                .orElse(DEFAULT_BAD_MINUTE_ERROR_RATE);
        Ratio badMinute = node.isMap() ? optional(node, "bad-minute-error-rate", ConfigNode::asRatio).orElse(badMinuteFallback)
                : badMinuteFallback;
        return new Objective.Availability(id(scope, "availability"), scope, node.keyLocation(), errors, tiers,
                budgeting(node, budgetingFallback(scope, "availability")), badMinute);
    }

    private Objective.Throughput throughput(ConfigNode node, Scope scope) throws ConfigException {
        if (!node.isMap()) return new Objective.Throughput(id(scope, "throughput"), scope, node.keyLocation(), node.asRate(), Optional.empty());
        node.allowOnly("sustained", "peak");
        Rate sustained = node.require("sustained").asRate();
        Optional<Rate> peak = optional(node, "peak", ConfigNode::asRate);
        if (peak.isPresent() && peak.get().compareTo(sustained) < 0) {
            throw node.require("peak").error("peak " + node.require("peak").asString() + " is below sustained "
                    + node.require("sustained").asString() + "; peak must be at least the sustained rate");
        }
        return new Objective.Throughput(id(scope, "throughput"), scope, node.keyLocation(), sustained, peak);
    }

    private Objective.CacheHitRatio cacheHitRatio(ConfigNode node, Scope scope) throws ConfigException {
        Tiers<Ratio> tiers = tiers(node, ConfigNode::asRatio, Tiers.Direction.HIGHER_IS_BETTER, List.of());
        return new Objective.CacheHitRatio(id(scope, "cache-hit-ratio"), scope, node.keyLocation(), tiers);
    }

    @FunctionalInterface
    private interface ValueReader<T> { T read(ConfigNode node) throws ConfigException; }

    private static <T> Optional<T> optional(ConfigNode map, String key, ValueReader<T> reader) throws ConfigException {
        Optional<ConfigNode> n = map.get(key);
        if (n.isEmpty() || n.get().isNull()) return Optional.empty();
        return Optional.of(reader.read(n.get()));
    }

    private static Duration positiveDuration(ConfigNode n) throws ConfigException {
        Duration d = n.asDuration();
        if (d.isZero()) throw n.error("a latency threshold must be more than 0");
        return d;
    }

    /**
     * {@code 100ms} (target only: acceptable and critical equal it) or {@code {target, acceptable, critical}};
     * a missing tier takes the next stricter one. All problems in the map are reported together.
     */
    private static <T extends Comparable<T>> Tiers<T> tiers(ConfigNode node, ValueReader<T> reader, Tiers.Direction direction,
                                                          List<String> extraKeys) throws ConfigException {
        if (!node.isMap()) {
            T v = reader.read(node);
            return new Tiers<>(v, v, v, direction);
        }
        ProblemCollector p = new ProblemCollector();
        p.check(() -> node.allowOnly(concat(TIER_KEYS, extraKeys)));
        Optional<T> target = p.read(() -> reader.read(node.require("target")));
        Optional<T> acceptable = p.read(() -> optional(node, "acceptable", reader)).flatMap(o -> o);
        Optional<T> critical = p.read(() -> optional(node, "critical", reader)).flatMap(o -> o);
        p.throwIfAny();
        T t = target.orElseThrow();
        T a = acceptable.orElse(t);
        T c = critical.orElse(a);
        String rule = direction == Tiers.Direction.LOWER_IS_BETTER
                ? "lower is better here, so target <= acceptable <= critical"
                : "higher is better here, so target >= acceptable >= critical";
        if (acceptable.isPresent() && !Tiers.atLeastAsGood(t, a, direction)) {
            throw node.require("acceptable").error("tiers out of order: target " + node.require("target").asString()
                    + " is looser than acceptable " + node.require("acceptable").asString() + " (" + rule + ")");
        }
        if (critical.isPresent() && !Tiers.atLeastAsGood(a, c, direction)) {
            String prev = acceptable.isPresent() ? "acceptable " + node.require("acceptable").asString() : "target " + node.require("target").asString();
            throw node.require("critical").error("tiers out of order: " + prev + " is looser than critical "
                    + node.require("critical").asString() + " (" + rule + ")");
        }
        return new Tiers<>(t, a, c, direction);
    }

    /** {@code period} and {@code method} keys of {@code node} (when it is a map) over {@code fallback}. */
    private Budgeting budgeting(ConfigNode node, Budgeting fallback) throws ConfigException {
        if (!node.isMap()) return fallback;
        BudgetPeriod period = fallback.period();
        BudgetingMethod method = fallback.method();
        Optional<ConfigNode> p = node.get("period");
        if (p.isPresent() && !p.get().isNull()) period = period(p.get());
        Optional<ConfigNode> m = node.get("method");
        if (m.isPresent() && !m.get().isNull()) method = m.get().asEnum(BudgetingMethod.class);
        return new Budgeting(period, method);
    }

    private BudgetPeriod period(ConfigNode n) throws ConfigException {
        String s = n.asString().strip().toLowerCase(Locale.ROOT);
        if (s.equals("calendar-month") || s.equals("calendar month") || s.equals("month")) return new BudgetPeriod.CalendarMonth(zone);
        Matcher m = ROLLING.matcher(s);
        if (m.matches()) {
            long days = m.group(1).length() > 4 ? Long.MAX_VALUE : Long.parseLong(m.group(1));
            if (days < 1 || days > 366) throw n.error("a rolling period is 1 to 366 days, got " + n.asString() + "; allowed: " + PERIOD_HELP);
            return new BudgetPeriod.Rolling((int) days);
        }
        throw n.error("'" + n.asString() + "' is not a budget period; allowed: " + PERIOD_HELP);
    }

    /** {@code [5xx]}, {@code [5xx, 4xx, 429]}: which responses count as errors. */
    private ErrorDefinition errors(ConfigNode node) throws ConfigException {
        boolean server = false, client = false, limited = false;
        List<ConfigNode> items = node.asListOrSingle();
        ProblemCollector p = new ProblemCollector();
        for (ConfigNode item : items) {
            p.read(() -> {
                String s = item.asString().strip().toLowerCase(Locale.ROOT);
                if (!ERROR_KINDS.contains(s)) {
                    String hint = DidYouMean.suggest(s, ERROR_KINDS).map(x -> " — did you mean '" + x + "'?").orElse("");
                    throw item.error("'" + item.asString() + "' is not an error kind; allowed: 5xx, 4xx (other than 429), 429"
                            + " (timeouts and connection failures always count)" + hint);
                }
                return s;
            }).ifPresent(s -> {});
        }
        p.throwIfAny();
        for (ConfigNode item : items) {
            switch (item.asString().strip().toLowerCase(Locale.ROOT)) {
                case "5xx" -> server = true;
                case "4xx" -> client = true;
                case "429" -> limited = true;
                default -> { }
            }
        }
        return new ErrorDefinition(server, client, limited);
    }

    private ZoneId zone(ConfigNode n) throws ConfigException {
        String s = n.asNonBlankString().strip();
        try {
            return ZoneId.of(s);
        } catch (DateTimeException e) {
            String hint = DidYouMean.suggest(s, ZoneId.getAvailableZoneIds()).map(x -> " — did you mean '" + x + "'?")
                    .orElse(" — write an IANA time zone such as UTC, Europe/Berlin or America/New_York");
            throw n.error("unknown time zone '" + s + "'" + hint);
        }
    }

    // ---------------------------------------------------------------- overrides

    private void overrides(List<RouteGroup> groups) {
        List<String> groupNames = groups.stream().map(RouteGroup::name).toList();
        Map<String, ConfigNode> seen = new HashMap<>();
        List<ConfigNode> items = problems.read(() -> root.get("overrides")).flatMap(o -> o)
                .flatMap(o -> problems.read(o::asList)).orElse(List.of());
        for (ConfigNode o : items) {
            if (!o.isMap()) {
                problems.add(o.error("an override is a map with 'tenant' or 'plan' and objectives; got " + o.describe()));
                continue;
            }
            if (!problems.check(() -> o.allowOnly(OVERRIDE_KEYS))) continue;
            Optional<TenantSelector> selector = problems.read(() -> {
                Optional<ConfigNode> t = o.get("tenant"), p = o.get("plan");
                if (t.isPresent() == p.isPresent()) throw o.error("an override names exactly one of 'tenant' or 'plan'");
                return t.isPresent() ? new TenantSelector.Tenant(t.get().asNonBlankString())
                        : new TenantSelector.Plan(p.get().asNonBlankString());
            });
            if (selector.isEmpty()) continue;
            String key = selector.get() instanceof TenantSelector.Tenant t ? "tenant '" + t.name() + "'"
                    : "plan '" + ((TenantSelector.Plan) selector.get()).name() + "'";
            ConfigNode previous = seen.putIfAbsent(key, o);
            if (previous != null) {
                problems.add(o.error(key + " already has overrides at line " + previous.location().line() + "; put them in one place"));
                continue;
            }
            int before = objectives.size();
            readObjectives(o, Scope.ALL_ROUTES, selector.get());
            Map<String, ConfigNode> routes = problems.read(() -> o.get("routes")).flatMap(x -> x)
                    .flatMap(r -> problems.read(r::entries)).orElse(Map.of());
            for (Map.Entry<String, ConfigNode> e : routes.entrySet()) {
                ConfigNode block = e.getValue();
                if (!groupNames.contains(e.getKey())) {
                    String hint = DidYouMean.suggest(e.getKey(), groupNames).map(x -> " — did you mean '" + x + "'?")
                            .orElse(" — route groups: " + String.join(", ", groupNames));
                    problems.add(block.keyError("unknown route group '" + e.getKey() + "'" + hint));
                    continue;
                }
                if (!block.isMap()) {
                    problems.add(block.error("expected objectives for route group '" + e.getKey() + "' (latency, error-rate, ...); got " + block.describe()));
                    continue;
                }
                if (!problems.check(() -> block.allowOnly(OBJECTIVE_KEYS))) continue;
                readObjectives(block, e.getKey(), selector.get());
            }
            if (objectives.size() == before && problems.isEmpty()) {
                problems.add(o.error(key + " overrides nothing; add objectives (e.g. availability: 99.95%) or routes: {group: {...}}"));
            }
        }
    }

    // ---------------------------------------------------------------- maintenance

    private List<MaintenanceWindow> maintenance() {
        List<MaintenanceWindow> out = new ArrayList<>();
        List<ConfigNode> items = problems.read(() -> root.get("maintenance")).flatMap(o -> o)
                .flatMap(o -> problems.read(o::asList)).orElse(List.of());
        for (ConfigNode w : items) problems.read(() -> window(w)).ifPresent(out::add);
        return out;
    }

    private MaintenanceWindow window(ConfigNode w) throws ConfigException {
        if (!w.isMap()) throw w.error("a maintenance window is a map with 'start' and 'duration' (one-off) or 'every', 'at' and 'duration' (recurring)");
        String reason = optional(w, "reason", ConfigNode::asNonBlankString).orElse("planned maintenance");
        ZoneId z = optional(w, "time-zone", this::zone).orElse(zone);
        boolean recurring = w.has("every");
        if (recurring) {
            w.allowOnly("reason", "time-zone", "every", "at", "duration", "until");
            Set<DayOfWeek> days = days(w.require("every"));
            LocalTime at = localTime(w.require("at"));
            Duration duration = windowDuration(w.require("duration"));
            Optional<LocalDateTime> until = optional(w, "until", SloFileReader::localDateTime);
            return new MaintenanceWindow.Recurring(days, at, duration, z, reason, until);
        }
        if (!w.has("start")) throw w.error("missing 'start' (one-off, e.g. start: 2026-12-06 02:00) or 'every' (recurring, e.g. every: sunday)");
        w.allowOnly("reason", "time-zone", "start", "end", "duration");
        LocalDateTime start = localDateTime(w.require("start"));
        Optional<ConfigNode> end = w.get("end"), duration = w.get("duration");
        if (end.isPresent() == duration.isPresent()) throw w.error("a one-off window needs exactly one of 'end' or 'duration'");
        Duration length;
        if (duration.isPresent()) {
            length = windowDuration(duration.get());
        } else {
            LocalDateTime e = localDateTime(end.get());
            length = Duration.between(start.atZone(z), e.atZone(z));
            if (length.isNegative() || length.isZero()) throw end.get().error("'end' " + end.get().asString() + " is not after 'start' " + w.require("start").asString());
        }
        return new MaintenanceWindow.OneOff(start, length, z, reason);
    }

    private static Duration windowDuration(ConfigNode n) throws ConfigException {
        Duration d = n.asDuration();
        if (d.isZero()) throw n.error("a maintenance window must last longer than 0");
        return d;
    }

    private static Set<DayOfWeek> days(ConfigNode n) throws ConfigException {
        EnumSet<DayOfWeek> days = EnumSet.noneOf(DayOfWeek.class);
        for (ConfigNode item : n.asListOrSingle()) {
            String s = item.asString().strip().toLowerCase(Locale.ROOT);
            switch (s) {
                case "day", "daily" -> days.addAll(EnumSet.allOf(DayOfWeek.class));
                case "weekday", "weekdays" -> days.addAll(EnumSet.range(DayOfWeek.MONDAY, DayOfWeek.FRIDAY));
                case "weekend", "weekends" -> days.addAll(EnumSet.of(DayOfWeek.SATURDAY, DayOfWeek.SUNDAY));
                default -> days.add(dayOfWeek(item, s));
            }
        }
        if (days.isEmpty()) throw n.error("name at least one day, e.g. every: sunday or every: [mon, thu]");
        return days;
    }

    private static DayOfWeek dayOfWeek(ConfigNode item, String s) throws ConfigException {
        for (DayOfWeek d : DayOfWeek.values()) {
            String full = d.name().toLowerCase(Locale.ROOT);
            if (s.equals(full) || s.equals(full.substring(0, 3))) return d;
        }
        List<String> allowed = Stream.concat(Stream.of("day", "weekday", "weekend"),
                Stream.of(DayOfWeek.values()).map(d -> d.name().toLowerCase(Locale.ROOT))).toList();
        String hint = DidYouMean.suggest(s, allowed).map(x -> " — did you mean '" + x + "'?").orElse("");
        throw item.error("'" + item.asString() + "' is not a day; allowed: " + String.join(", ", allowed) + " (or mon, tue, ...)" + hint);
    }

    private static LocalTime localTime(ConfigNode n) throws ConfigException {
        try {
            return LocalTime.parse(n.asString().strip(), LOCAL_TIME);
        } catch (DateTimeParseException e) {
            throw n.error("'" + n.asString() + "' is not a time of day; write HH:MM in 24-hour time, e.g. 03:00");
        }
    }

    private static LocalDateTime localDateTime(ConfigNode n) throws ConfigException {
        String s = n.asString().strip();
        try {
            var parsed = LOCAL_DATE_TIME.parseBest(s, LocalDateTime::from, java.time.LocalDate::from);
            return parsed instanceof LocalDateTime ldt ? ldt : ((java.time.LocalDate) parsed).atStartOfDay();
        } catch (DateTimeParseException e) {
            throw n.error("'" + s + "' is not a local date and time; write YYYY-MM-DD HH:MM, e.g. 2026-12-06 02:00");
        }
    }

    @SafeVarargs
    private static List<String> concat(List<String>... lists) {
        List<String> out = new ArrayList<>();
        for (List<String> l : lists) out.addAll(l);
        return List.copyOf(out);
    }
}
