package dev.vigil.slo.config;

import dev.vigil.slo.spec.Rate;
import dev.vigil.slo.spec.Ratio;
import dev.vigil.slo.spec.SourceLocation;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * One value of a configuration file, with where it was written. Read a file with {@link ConfigDocument}.
 *
 * <p>Every accessor that can fail throws a {@link ConfigException} located at this node (file, line, column and
 * the dotted field path such as {@code routes.checkout.latency.p99}) that says what is allowed. A null value
 * ({@code key:} or {@code key: ~}) reads as an empty map or list, so an empty section is not an error.
 *
 * <p>Immutable and thread-safe.
 */
public final class ConfigNode {
    enum Kind { MAP, LIST, SCALAR, NULL }

    /** How YAML typed a scalar: plain text, quoted text, or a plain number/boolean. */
    enum ScalarType { STRING, QUOTED, INTEGER, DECIMAL, BOOLEAN }

    private final Kind kind;
    private final String file;
    private final String path;
    private final String name;
    private final int line;
    private final int column;
    private final int keyLine;
    private final int keyColumn;
    private final String text;
    private final ScalarType scalarType;
    private final Map<String, ConfigNode> entries;
    private final List<ConfigNode> items;
    /** Nodes in this subtree, to bound alias expansion. */
    final long size;

    ConfigNode(Kind kind, String file, String path, String name, int line, int column, int keyLine, int keyColumn, String text,
               ScalarType scalarType, Map<String, ConfigNode> entries, List<ConfigNode> items) {
        this.kind = kind;
        this.file = file;
        this.path = path;
        this.name = name;
        this.line = line;
        this.column = column;
        this.keyLine = keyLine;
        this.keyColumn = keyColumn;
        this.text = text;
        this.scalarType = scalarType;
        this.entries = entries == null ? Map.of() : Collections.unmodifiableMap(entries);
        this.items = items == null ? List.of() : List.copyOf(items);
        long n = 1;
        for (ConfigNode c : this.entries.values()) n += c.size;
        for (ConfigNode c : this.items) n += c.size;
        this.size = n;
    }

    /** Where the value starts, with its field path. */
    public SourceLocation location() { return new SourceLocation(file, line, column, path); }

    /** Where this value's key was written (the value's own position for list items and the root). */
    public SourceLocation keyLocation() { return new SourceLocation(file, keyLine, keyColumn, path); }

    /** Dotted field path from the root, e.g. {@code routes.checkout.latency.p99} or {@code maintenance[2].start}; empty for the root. */
    public String path() { return path; }

    /** The last element of the path: the key this value was written under, or {@code [i]} for a list item. */
    public String name() { return name; }

    public String file() { return file; }
    public boolean isMap() { return kind == Kind.MAP; }
    public boolean isList() { return kind == Kind.LIST; }
    public boolean isScalar() { return kind == Kind.SCALAR; }
    public boolean isNull() { return kind == Kind.NULL; }

    /** The value under {@code key}, or an error naming the key when it is missing. */
    public ConfigNode require(String key) throws ConfigException {
        Optional<ConfigNode> v = get(key);
        if (v.isEmpty()) throw error("missing required key '" + key + "'");
        return v.get();
    }

    /** The value under {@code key}; empty when this is a null value. An error when this is a list or scalar. */
    public Optional<ConfigNode> get(String key) throws ConfigException {
        return Optional.ofNullable(entries().get(key));
    }

    public boolean has(String key) { return entries.containsKey(key); }

    /** The map's entries in file order. A null value gives an empty map. */
    public Map<String, ConfigNode> entries() throws ConfigException {
        if (kind == Kind.NULL) return Map.of();
        if (kind != Kind.MAP) throw error("expected a map of keys to values, got " + describe());
        return entries;
    }

    /** The list's items in file order. A null value gives an empty list. */
    public List<ConfigNode> asList() throws ConfigException {
        if (kind == Kind.NULL) return List.of();
        if (kind != Kind.LIST) throw error("expected a list, got " + describe());
        return items;
    }

    /** This value as a list: itself when it is a single scalar or map, so {@code methods: GET} equals {@code methods: [GET]}. */
    public List<ConfigNode> asListOrSingle() {
        if (kind == Kind.NULL) return List.of();
        if (kind == Kind.LIST) return items;
        return List.of(this);
    }

    /** A list of strings; a single scalar reads as a one-element list ({@code hosts: a} equals {@code hosts: [a]}). */
    public List<String> asStringList() throws ConfigException {
        List<String> out = new ArrayList<>();
        for (ConfigNode item : asListOrSingle()) out.add(item.asString());
        return List.copyOf(out);
    }

    /** The text of a scalar exactly as written (numbers keep their digits: {@code 1.50} stays {@code 1.50}). */
    public String asString() throws ConfigException {
        if (kind != Kind.SCALAR) throw error("expected a single value, got " + describe());
        return text;
    }

    /** A non-blank string. */
    public String asNonBlankString() throws ConfigException {
        String s = asString();
        if (s.isBlank()) throw error("must not be empty");
        return s;
    }

    public int asInt() throws ConfigException {
        long v = asLong();
        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) throw error("'" + text + "' is out of range for a whole number");
        return (int) v;
    }

    /** An int in {@code [min, max]}. */
    public int asInt(int min, int max) throws ConfigException {
        int v = asInt();
        if (v < min || v > max) throw error(v + " is out of range; allowed: " + min + " to " + max);
        return v;
    }

    public long asLong() throws ConfigException {
        String s = asString().strip().replace("_", "");
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw error("'" + text + "' is not a whole number");
        }
    }

    public double asDouble() throws ConfigException {
        return asDecimal().doubleValue();
    }

    /** A decimal number, exactly as written. */
    public BigDecimal asDecimal() throws ConfigException {
        String s = asString().strip().replace("_", "");
        try {
            return new BigDecimal(s);
        } catch (NumberFormatException e) {
            throw error("'" + text + "' is not a number");
        }
    }

    /** {@code true} or {@code false} (also {@code yes}/{@code no}, {@code on}/{@code off}, as YAML 1.1 allows). */
    public boolean asBoolean() throws ConfigException {
        return switch (asString().strip().toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on" -> true;
            case "false", "no", "off" -> false;
            default -> throw error("'" + text + "' is not a boolean; allowed: true, false");
        };
    }

    /** {@code 150ms}, {@code 2s}, {@code 1m30s}, {@code 1h}, {@code 7d}; negative durations are rejected. See {@link Quantities#parseDuration}. */
    public Duration asDuration() throws ConfigException {
        return quantity(Quantities::parseDuration);
    }

    /** {@code 99.9%}, exactly; at most 100%. See {@link Quantities#parsePercent}. */
    public Ratio asRatio() throws ConfigException {
        return quantity(Quantities::parsePercent);
    }

    /** {@code 10k rps}, {@code 500 rpm}, {@code 60 rph}. See {@link Quantities#parseRate}. */
    public Rate asRate() throws ConfigException {
        return quantity(Quantities::parseRate);
    }

    /** Bytes from {@code 6MB} (6 000 000), {@code 512KiB} (524 288). See {@link Quantities#parseBytes}. */
    public long asBytes() throws ConfigException {
        return quantity(Quantities::parseBytes);
    }

    /** This scalar read by one of {@link Quantities}' parsers, whose message becomes a located error. */
    private <T> T quantity(java.util.function.Function<String, T> parser) throws ConfigException {
        String s = asString();
        try {
            return parser.apply(s);
        } catch (IllegalArgumentException e) {
            throw error(e.getMessage());
        }
    }

    /**
     * An enum constant, matched ignoring case, {@code -} and {@code _} ({@code time-slices}, {@code timeslices}
     * and {@code TIME_SLICES} all read {@code TIME_SLICES}). The error lists the allowed values as the file should write them.
     */
    public <E extends Enum<E>> E asEnum(Class<E> type) throws ConfigException {
        String s = asString().strip();
        String wanted = s.replace("-", "").replace("_", "").toUpperCase(Locale.ROOT);
        E[] constants = type.getEnumConstants();
        for (E c : constants) if (c.name().replace("_", "").equals(wanted)) return c;
        List<String> allowed = Arrays.stream(constants).map(c -> c.name().toLowerCase(Locale.ROOT).replace('_', '-')).toList();
        String hint = DidYouMean.suggest(s, allowed).map(x -> " — did you mean '" + x + "'?").orElse("");
        throw error("'" + s + "' is not allowed; allowed: " + String.join(", ", allowed) + hint);
    }

    /**
     * Checks that this map has no keys other than {@code allowed}. Every unknown key is reported (at the key's
     * position) with the closest allowed key as a suggestion, or the list of allowed keys.
     */
    public void allowOnly(String... allowed) throws ConfigException {
        allowOnly(Arrays.asList(allowed));
    }

    /** As {@link #allowOnly(String...)}. */
    public void allowOnly(java.util.Collection<String> allowed) throws ConfigException {
        Map<String, ConfigNode> map = entries();
        Set<String> ok = new LinkedHashSet<>(allowed);
        List<Problem> problems = new ArrayList<>();
        for (Map.Entry<String, ConfigNode> entry : map.entrySet()) {
            String key = entry.getKey();
            ConfigNode child = entry.getValue();
            if (ok.contains(key)) continue;
            String where = path.isEmpty() ? "the top level" : path;
            String hint = DidYouMean.suggest(key, ok).map(s -> " — did you mean '" + s + "'?")
                    .orElse(" — allowed: " + String.join(", ", ok));
            problems.add(new Problem(child.keyLocation(), "unknown key '" + key + "' at " + where + hint));
        }
        if (!problems.isEmpty()) throw new ConfigException(problems);
    }

    /** A problem located at this value, its message prefixed with the field path. */
    public ConfigException error(String message) {
        return new ConfigException(problem(message));
    }

    /** As {@link #error} but located at this value's key, for problems with the key itself (e.g. a duplicate name). */
    public ConfigException keyError(String message) {
        return new ConfigException(new Problem(keyLocation(), prefix(message)));
    }

    /** The {@link Problem} that {@link #error} would throw. */
    public Problem problem(String message) {
        return new Problem(location(), prefix(message));
    }

    private String prefix(String message) {
        return path.isEmpty() ? message : path + ": " + message;
    }

    /** "a map", "a list", "'text'" or "nothing", for messages. */
    public String describe() {
        return switch (kind) {
            case MAP -> "a map";
            case LIST -> "a list";
            case NULL -> "nothing";
            case SCALAR -> "'" + text + "'";
        };
    }

    ScalarType scalarType() { return scalarType; }

    Map<String, ConfigNode> rawEntries() { return entries; }

    /** A copy of this subtree as if written at {@code newPath} (for YAML aliases: positions stay where the text is). */
    ConfigNode relocate(String newPath, String newName, int newKeyLine, int newKeyColumn) {
        Map<String, ConfigNode> e = null;
        List<ConfigNode> l = null;
        if (kind == Kind.MAP) {
            e = new LinkedHashMap<>();
            for (Map.Entry<String, ConfigNode> en : entries.entrySet()) {
                ConfigNode c = en.getValue();
                e.put(en.getKey(), c.relocate(ConfigDocument.child(newPath, en.getKey()), en.getKey(), c.keyLine, c.keyColumn));
            }
        } else if (kind == Kind.LIST) {
            l = new ArrayList<>();
            for (int i = 0; i < items.size(); i++) {
                ConfigNode c = items.get(i);
                l.add(c.relocate(newPath + "[" + i + "]", "[" + i + "]", c.keyLine, c.keyColumn));
            }
        }
        return new ConfigNode(kind, file, newPath, newName, line, column, newKeyLine, newKeyColumn, text, scalarType, e, l);
    }

    @Override public String toString() {
        String v = switch (kind) {
            case MAP -> entries.entrySet().stream().map(en -> en.getKey() + "=" + en.getValue()).collect(Collectors.joining(", ", "{", "}"));
            case LIST -> items.stream().map(ConfigNode::toString).collect(Collectors.joining(", ", "[", "]"));
            case NULL -> "null";
            case SCALAR -> text;
        };
        return v;
    }
}
