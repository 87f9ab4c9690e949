package dev.vigil.load.scenario;

import dev.vigil.slo.config.ConfigDocument;
import dev.vigil.slo.config.ConfigException;
import dev.vigil.slo.config.ConfigNode;
import dev.vigil.slo.config.ProblemCollector;

import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Reads scenario files ({@code docs/scenario-file.md}). Every problem is reported with file:line:column and the
 * field path, all problems of a file at once; unknown keys are errors everywhere, with a did-you-mean.
 */
public final class ScenarioFiles {
    /** Connection cap when the file does not set {@code connections}. */
    public static final int DEFAULT_CONNECTIONS = 256;
    /** Per-request timeout when neither the step nor the file sets one. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    private static final List<String> METHODS = List.of("get", "post", "put", "patch", "delete");
    private static final Pattern CRITERION = Pattern.compile("\\s*(>=|>)\\s*([0-9]+(?:\\.[0-9]+)?)\\s*(%|ms|s)\\s*");
    private static final Pattern NUMBER = Pattern.compile("-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][+-]?[0-9]+)?");
    private static final Pattern HEADER_NAME = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");

    private ScenarioFiles() {}

    /** Reads {@code file}; CSV feeders are read relative to its directory. */
    public static Scenario load(Path file) throws ConfigException {
        ConfigNode root = ConfigDocument.load(file);
        Path dir = file.toAbsolutePath().getParent();
        return read(root, file.toString(), dir);
    }

    /** Reads scenario text; CSV feeder paths are relative to {@code baseDir}. */
    public static Scenario parse(String fileName, String yaml, Path baseDir) throws ConfigException {
        return read(ConfigDocument.parse(fileName, yaml), fileName, baseDir);
    }

    private static Scenario read(ConfigNode root, String fileName, Path baseDir) throws ConfigException {
        if (!root.isMap()) throw root.error("a scenario file is a map with target, phases and scenarios");
        ProblemCollector problems = new ProblemCollector();
        problems.check(() -> root.allowOnly("target", "phases", "scenarios", "failure_criteria", "connections",
                "timeout", "variables", "feeders", "tls"));

        Optional<URI> target = problems.read(() -> target(root.require("target")));
        Optional<Integer> connections = problems.read(() -> root.get("connections").isPresent()
                ? root.require("connections").asInt(1, 1_000_000) : DEFAULT_CONNECTIONS);
        Optional<Duration> timeout = problems.read(() -> root.get("timeout").isPresent()
                ? positive(root.require("timeout")) : DEFAULT_TIMEOUT);

        Map<String, String> variables = new LinkedHashMap<>();
        problems.check(() -> {
            Optional<ConfigNode> vars = root.get("variables");
            if (vars.isEmpty()) return;
            for (Map.Entry<String, ConfigNode> e : mapOf(vars.get()).entrySet()) {
                variables.put(e.getKey(), e.getValue().asString());
            }
        });

        Optional<Boolean> insecure = problems.read(() -> {
            Optional<ConfigNode> tls = root.get("tls");
            if (tls.isEmpty()) return false;
            ConfigNode t = tls.get();
            if (!t.isMap()) throw t.error("tls is a map, e.g. { insecure: true }");
            t.allowOnly("insecure");
            return t.has("insecure") && t.require("insecure").asBoolean();
        });

        List<Feeder> feeders = new ArrayList<>();
        Set<String> columns = new HashSet<>();
        problems.check(() -> {
            Optional<ConfigNode> list = root.get("feeders");
            if (list.isEmpty()) return;
            for (ConfigNode f : list.get().asList()) {
                problems.read(() -> feeder(f, baseDir)).ifPresent(feeder -> {
                    for (String c : feeder.columns()) {
                        if (!columns.add(c) || variables.containsKey(c)) {
                            problems.add(f.error("column '" + c + "' of " + feeder.file()
                                    + " is already defined by another feeder or under variables"));
                        }
                    }
                    feeders.add(feeder);
                });
            }
        });

        List<Phase> phases = new ArrayList<>();
        problems.check(() -> {
            List<ConfigNode> list = root.require("phases").asList();
            if (list.isEmpty()) throw root.require("phases").error("at least one phase is required");
            for (int i = 0; i < list.size(); i++) {
                int index = i;
                problems.read(() -> phase(list.get(index), index)).ifPresent(phases::add);
            }
            for (int i = 1; i < phases.size(); i++) {
                if ((phases.get(i) instanceof Phase.Open) != (phases.get(0) instanceof Phase.Open)) {
                    problems.add(list.get(i).error("all phases must use the same model: the first phase uses "
                            + (phases.get(0) instanceof Phase.Open ? "arrivalRate (open model)" : "users (closed model)")));
                }
            }
        });

        Set<String> known = new HashSet<>(variables.keySet());
        known.addAll(columns);
        List<Flow> flows = new ArrayList<>();
        problems.check(() -> {
            List<ConfigNode> list = root.require("scenarios").asList();
            if (list.isEmpty()) throw root.require("scenarios").error("at least one scenario is required");
            Set<String> names = new HashSet<>();
            for (ConfigNode f : list) {
                problems.read(() -> flow(f, known, timeout.orElse(DEFAULT_TIMEOUT), problems)).ifPresent(flow -> {
                    if (!names.add(flow.name())) {
                        problems.add(f.error("scenario name '" + flow.name() + "' is used twice"));
                    }
                    flows.add(flow);
                });
            }
        });

        List<FailureCriterion> criteria = new ArrayList<>();
        problems.check(() -> {
            Optional<ConfigNode> fc = root.get("failure_criteria");
            if (fc.isEmpty()) return;
            List<String> keys = new ArrayList<>();
            for (FailureCriterion.Metric m : FailureCriterion.Metric.values()) keys.add(m.key());
            fc.get().allowOnly(keys);
            for (Map.Entry<String, ConfigNode> e : mapOf(fc.get()).entrySet()) {
                problems.read(() -> criterion(e.getKey(), e.getValue())).ifPresent(criteria::add);
            }
        });

        problems.throwIfAny();
        List<Flow> named = uniqueStepNames(flows);
        try {
            return new Scenario(fileName, target.orElseThrow(), phases, named, feeders, variables,
                    connections.orElseThrow(), criteria, insecure.orElse(false));
        } catch (IllegalArgumentException e) {
            throw root.error(e.getMessage());
        }
    }

    private static Map<String, ConfigNode> mapOf(ConfigNode node) throws ConfigException {
        if (!node.isMap() && !node.isNull()) throw node.error("expected a map, got " + node.describe());
        return node.entries();
    }

    private static URI target(ConfigNode node) throws ConfigException {
        String text = node.asNonBlankString().strip();
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            throw node.error("'" + text + "' is not a URL; write e.g. http://127.0.0.1:8080");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw node.error("'" + text + "' must start with http:// or https://");
        }
        if (uri.getHost() == null) throw node.error("'" + text + "' has no host; write e.g. http://127.0.0.1:8080");
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw node.error("the target is a base URL without ?query or #fragment; put those in the steps");
        }
        return uri;
    }

    private static Duration positive(ConfigNode node) throws ConfigException {
        Duration d = node.asDuration();
        if (d.isZero()) throw node.error("must be greater than 0");
        return d;
    }

    private static Feeder feeder(ConfigNode node, Path baseDir) throws ConfigException {
        node.allowOnly("file", "order");
        ConfigNode fileNode = node.require("file");
        String file = fileNode.asNonBlankString();
        Feeder.Order order = node.get("order").isPresent() ? node.require("order").asEnum(Feeder.Order.class)
                : Feeder.Order.SEQUENTIAL;
        Path path = baseDir == null ? Path.of(file) : baseDir.resolve(file);
        if (!Files.isRegularFile(path)) throw fileNode.error("CSV file " + path + " does not exist");
        try {
            return Feeder.load(path, file, order);
        } catch (IOException e) {
            throw fileNode.error("cannot read " + path + ": " + e.getMessage());
        } catch (IllegalArgumentException e) {
            throw fileNode.error(e.getMessage());
        }
    }

    private static double rate(ConfigNode node) throws ConfigException {
        double r;
        String text = node.asString().strip();
        if (NUMBER.matcher(text).matches()) {
            r = node.asDouble();
        } else {
            r = node.asRate().perSecond();
        }
        if (!(r >= 0) || Double.isInfinite(r)) throw node.error("must be a rate >= 0, e.g. 100 or '10k rps'");
        return r;
    }

    private static Phase phase(ConfigNode node, int index) throws ConfigException {
        if (!node.isMap()) throw node.error("a phase is a map, e.g. { duration: 1m, arrivalRate: 100 }");
        node.allowOnly("name", "duration", "arrivalRate", "rampTo", "users", "thinkTime");
        String name = node.get("name").isPresent() ? node.require("name").asNonBlankString() : "phase-" + (index + 1);
        Duration duration = positive(node.require("duration"));
        boolean open = node.has("arrivalRate");
        boolean closed = node.has("users");
        if (open == closed) {
            throw node.error("a phase has either arrivalRate (open model: requests start at a rate) or users "
                    + "(closed model: a fixed number of users), not " + (open ? "both" : "neither"));
        }
        if (open) {
            if (node.has("thinkTime")) throw node.require("thinkTime").keyError("thinkTime belongs to closed-model phases (users)");
            double from = rate(node.require("arrivalRate"));
            double to = node.has("rampTo") ? rate(node.require("rampTo")) : from;
            if (from == 0 && to == 0) throw node.require("arrivalRate").error("arrivalRate and rampTo cannot both be 0");
            return new Phase.Open(name, duration, from, to);
        }
        if (node.has("rampTo")) throw node.require("rampTo").keyError("rampTo belongs to open-model phases (arrivalRate)");
        int users = node.require("users").asInt(1, 10_000_000);
        Duration think = node.has("thinkTime") ? node.require("thinkTime").asDuration() : Duration.ZERO;
        return new Phase.Closed(name, duration, users, think);
    }

    private static Flow flow(ConfigNode node, Set<String> known, Duration defaultTimeout, ProblemCollector problems)
            throws ConfigException {
        if (!node.isMap()) throw node.error("a scenario is a map with name, weight and flow");
        node.allowOnly("name", "weight", "flow");
        String name = node.require("name").asNonBlankString();
        double weight = 1;
        if (node.has("weight")) {
            ConfigNode w = node.require("weight");
            String text = w.asString().strip();
            weight = text.endsWith("%") ? w.asRatio().doubleValue() * 100 : w.asDouble();
            if (!(weight > 0)) throw w.error("weight must be greater than 0");
        }
        List<ConfigNode> stepNodes = node.require("flow").asList();
        if (stepNodes.isEmpty()) throw node.require("flow").error("a flow needs at least one step");
        Set<String> defined = new HashSet<>(known);
        List<Step> steps = new ArrayList<>();
        for (ConfigNode s : stepNodes) {
            problems.read(() -> step(s, defined, defaultTimeout)).ifPresent(step -> {
                steps.add(step);
                for (Capture c : step.captures()) defined.add(c.variable());
            });
        }
        if (steps.size() != stepNodes.size()) return null; // problems recorded
        return new Flow(name, weight, steps);
    }

    private static Step step(ConfigNode node, Set<String> defined, Duration defaultTimeout) throws ConfigException {
        if (!node.isMap()) throw node.error("a step is a map such as { get: /path }");
        node.allowOnly("get", "post", "put", "patch", "delete", "name", "headers", "query", "json", "body",
                "capture", "expect", "timeout", "think");
        List<String> methods = METHODS.stream().filter(node::has).toList();
        if (methods.size() != 1) {
            throw node.error(methods.isEmpty() ? "a step needs one of get, post, put, patch, delete with its path"
                    : "a step has exactly one method, found " + String.join(" and ", methods));
        }
        String method = methods.get(0).toUpperCase(Locale.ROOT);
        ConfigNode pathNode = node.require(methods.get(0));
        String pathText = pathNode.asNonBlankString().strip();
        if (pathText.startsWith("http://") || pathText.startsWith("https://")) {
            throw pathNode.error("a step's path is relative to target, e.g. /users/{{ id }}");
        }
        Template path = template(pathNode, pathText, defined);
        String name = node.has("name") ? node.require("name").asNonBlankString() : method + " " + pathText;

        List<Step.NameValue> headers = new ArrayList<>();
        if (node.has("headers")) {
            for (Map.Entry<String, ConfigNode> e : mapOf(node.require("headers")).entrySet()) {
                if (!HEADER_NAME.matcher(e.getKey()).matches()) {
                    throw e.getValue().keyError("'" + e.getKey() + "' is not a valid header name");
                }
                String lower = e.getKey().toLowerCase(Locale.ROOT);
                if (lower.equals("host") || lower.equals("content-length") || lower.equals("connection")
                        || lower.equals("transfer-encoding")) {
                    throw e.getValue().keyError("header '" + e.getKey() + "' is set by vigil and cannot be overridden");
                }
                String value = e.getValue().asString();
                if (value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0) {
                    throw e.getValue().error("a header value cannot contain line breaks");
                }
                headers.add(new Step.NameValue(e.getKey(), template(e.getValue(), value, defined)));
            }
        }
        List<Step.NameValue> query = new ArrayList<>();
        if (node.has("query")) {
            for (Map.Entry<String, ConfigNode> e : mapOf(node.require("query")).entrySet()) {
                query.add(new Step.NameValue(e.getKey(), template(e.getValue(), e.getValue().asString(), defined)));
            }
        }
        Body body = Body.NONE;
        if (node.has("json") && node.has("body")) {
            throw node.require("body").keyError("a step has either json or body, not both");
        }
        if (node.has("json")) {
            ConfigNode json = node.require("json");
            try {
                JsonTemplate t = JsonTemplate.of(tree(json));
                for (String v : t.variables()) {
                    if (!defined.contains(v)) throw json.error(unknownVariable(v));
                }
                body = new Body.Json(t);
            } catch (IllegalArgumentException e) {
                throw json.error(e.getMessage());
            }
        } else if (node.has("body")) {
            ConfigNode b = node.require("body");
            body = new Body.Raw(template(b, b.asString(), defined));
        }
        StatusExpectation expect = StatusExpectation.DEFAULT;
        if (node.has("expect")) {
            ConfigNode e = node.require("expect");
            List<String> specs = new ArrayList<>();
            for (ConfigNode item : e.asListOrSingle()) specs.add(item.asString());
            try {
                expect = StatusExpectation.of(specs);
            } catch (IllegalArgumentException ex) {
                throw e.error(ex.getMessage());
            }
        }
        Duration timeout = node.has("timeout") ? positive(node.require("timeout")) : defaultTimeout;
        Duration think = node.has("think") ? node.require("think").asDuration() : Duration.ZERO;
        List<Capture> captures = new ArrayList<>();
        if (node.has("capture")) {
            for (Map.Entry<String, ConfigNode> e : mapOf(node.require("capture")).entrySet()) {
                captures.add(capture(e.getKey(), e.getValue()));
            }
        }
        String where = node.location().toString();
        return new Step(name, method, path, query, headers, body, expect, timeout, captures, think, where);
    }

    private static Capture capture(String variable, ConfigNode node) throws ConfigException {
        if (node.isScalar()) {
            String text = node.asNonBlankString().strip();
            if (!text.startsWith("$")) {
                throw node.error("write a JSON path ($.id), or { header: Name } or { regex: \"id=(\\\\w+)\" }");
            }
            return new Capture(variable, new Capture.Json(jsonPath(node, text)));
        }
        node.allowOnly("json", "header", "regex", "group");
        int sources = (node.has("json") ? 1 : 0) + (node.has("header") ? 1 : 0) + (node.has("regex") ? 1 : 0);
        if (sources != 1) throw node.error("a capture takes its value from exactly one of json, header, regex");
        if (node.has("group") && !node.has("regex")) throw node.require("group").keyError("group belongs to regex captures");
        if (node.has("json")) {
            ConfigNode j = node.require("json");
            return new Capture(variable, new Capture.Json(jsonPath(j, j.asNonBlankString().strip())));
        }
        if (node.has("header")) {
            return new Capture(variable, new Capture.Header(node.require("header").asNonBlankString().strip()));
        }
        ConfigNode r = node.require("regex");
        Pattern pattern;
        try {
            pattern = Pattern.compile(r.asNonBlankString());
        } catch (PatternSyntaxException e) {
            throw r.error("not a regular expression: " + e.getDescription());
        }
        int group = node.has("group") ? node.require("group").asInt(0, 99)
                : pattern.matcher("").groupCount() >= 1 ? 1 : 0;
        try {
            return new Capture(variable, new Capture.Regex(pattern, group));
        } catch (IllegalArgumentException e) {
            throw (node.has("group") ? node.require("group") : r).error(e.getMessage());
        }
    }

    private static JsonPath jsonPath(ConfigNode node, String text) throws ConfigException {
        try {
            return JsonPath.compile(text);
        } catch (IllegalArgumentException e) {
            throw node.error(e.getMessage());
        }
    }

    private static Template template(ConfigNode node, String text, Set<String> defined) throws ConfigException {
        Template t;
        try {
            t = Template.compile(text);
        } catch (IllegalArgumentException e) {
            throw node.error(e.getMessage());
        }
        for (String v : t.variables()) {
            if (!defined.contains(v)) throw node.error(unknownVariable(v));
        }
        return t;
    }

    private static String unknownVariable(String name) {
        return "unknown variable '" + name + "'; define it under variables:, as a CSV feeder column, or capture it in "
                + "an earlier step of this scenario";
    }

    /** The YAML value as plain Java data for a JSON body; plain numbers and booleans stay numbers and booleans. */
    private static Object tree(ConfigNode node) throws ConfigException {
        if (node.isNull()) return null;
        if (node.isMap()) {
            Map<String, Object> m = new LinkedHashMap<>();
            for (Map.Entry<String, ConfigNode> e : node.entries().entrySet()) m.put(e.getKey(), tree(e.getValue()));
            return m;
        }
        if (node.isList()) {
            List<Object> l = new ArrayList<>();
            for (ConfigNode c : node.asList()) l.add(tree(c));
            return l;
        }
        String text = node.asString();
        if (NUMBER.matcher(text).matches()) return new BigDecimal(text);
        if (text.equals("true") || text.equals("false")) return Boolean.valueOf(text);
        if (text.equals("null")) return null;
        return text;
    }

    private static FailureCriterion criterion(String key, ConfigNode node) throws ConfigException {
        FailureCriterion.Metric metric = FailureCriterion.Metric.ofKey(key).orElseThrow();
        String text = node.asString();
        var m = CRITERION.matcher(text);
        if (!m.matches()) {
            throw node.error("'" + text + "' is not a condition; write e.g. \"> 5%\" for error_rate or \"> 2000ms\" "
                    + "for latencies");
        }
        boolean inclusive = m.group(1).equals(">=");
        double value = Double.parseDouble(m.group(2));
        String unit = m.group(3);
        if (metric == FailureCriterion.Metric.ERROR_RATE) {
            if (!unit.equals("%")) throw node.error("error_rate is a percentage, e.g. \"> 5%\"");
            if (value > 100) throw node.error("error_rate cannot exceed 100%");
            return new FailureCriterion(metric, value / 100, inclusive, text.strip());
        }
        if (unit.equals("%")) throw node.error(key + " is a latency, e.g. \"> 2000ms\" or \"> 2s\"");
        double millis = unit.equals("s") ? value * 1000 : value;
        return new FailureCriterion(metric, millis, inclusive, text.strip());
    }

    /**
     * Step names must be unique (they tag histograms and rows of the report). A default name ({@code GET /x}) that
     * appears in several scenarios is prefixed with its scenario's name; a clash left after that gets {@code #n}.
     */
    private static List<Flow> uniqueStepNames(List<Flow> flows) {
        Map<String, Integer> seen = new HashMap<>();
        for (Flow f : flows) for (Step s : f.steps()) seen.merge(s.name(), 1, Integer::sum);
        Set<String> used = new HashSet<>();
        List<Flow> out = new ArrayList<>();
        for (Flow f : flows) {
            List<Step> steps = new ArrayList<>();
            for (Step s : f.steps()) {
                String name = seen.get(s.name()) > 1 ? f.name() + " " + s.name() : s.name();
                String unique = name;
                for (int n = 2; !used.add(unique); n++) unique = name + " #" + n;
                steps.add(unique.equals(s.name()) ? s : new Step(unique, s.method(), s.path(), s.query(), s.headers(),
                        s.body(), s.expect(), s.timeout(), s.captures(), s.think(), s.location()));
            }
            out.add(new Flow(f.name(), f.weight(), steps));
        }
        return out;
    }
}
