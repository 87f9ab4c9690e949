package dev.vigil.slo.config;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import dev.vigil.slo.spec.SourceLocation;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a YAML configuration file into a tree of {@link ConfigNode}s that remember the line and column of every
 * key and value, so that whoever interprets the tree can say exactly where a value is wrong.
 *
 * <p>Built on Jackson's streaming YAML parser: the tree is assembled from parser events and each node takes the
 * event's location. Anchors and aliases ({@code &tiers}, {@code *tiers}) and merge keys ({@code <<: *tiers})
 * are resolved here, because Jackson's tree model does not; an aliased value keeps the position of the text it
 * came from. Duplicate keys are errors (YAML parsers usually keep the last one silently, which hides typos).
 * One document per file.
 */
public final class ConfigDocument {
    /** Upper bound on nodes created by alias expansion; stops "billion laughs" files. */
    private static final long MAX_EXPANDED_NODES = 1_000_000;

    /** An empty plain value ({@code key:}) is null; a quoted empty string ({@code key: ''}) stays a string. */
    private static final YAMLFactory FACTORY = YAMLFactory.builder()
            .enable(YAMLParser.Feature.EMPTY_STRING_AS_NULL)
            .build();

    private ConfigDocument() {}

    /** Reads and parses {@code file}; problems name the file as given. */
    public static ConfigNode load(Path file) throws ConfigException {
        String name = file.toString();
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw fileProblem(name, "no such file");
        } catch (AccessDeniedException e) {
            throw fileProblem(name, "permission denied");
        } catch (CharacterCodingException e) {
            throw fileProblem(name, "not UTF-8 text");
        } catch (IOException e) {
            throw fileProblem(name, Files.isDirectory(file) ? "is a directory, not a file" : "cannot read: " + e.getMessage());
        }
        return parse(name, text);
    }

    /** Parses {@code text}; {@code fileName} is used in problem locations. An empty document is a null node. */
    public static ConfigNode parse(String fileName, String text) throws ConfigException {
        // Editors on Windows may save a byte-order mark; it is not content.
        if (text.startsWith("\uFEFF")) text = text.substring(1);
        return new Reader(fileName).read(text);
    }

    static String child(String path, String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    private static ConfigException fileProblem(String file, String message) {
        return new ConfigException(new SourceLocation(file, 0, 0, ""), message);
    }

    /** One parse: the parser, anchors seen so far, and problems collected on the way. */
    private static final class Reader {
        private final String file;
        private final Map<String, ConfigNode> anchors = new HashMap<>();
        private final List<Problem> problems = new ArrayList<>();
        private long expanded;
        private YAMLParser parser;

        Reader(String file) { this.file = file; }

        ConfigNode read(String text) throws ConfigException {
            try (YAMLParser p = FACTORY.createParser(text)) {
                parser = p;
                JsonToken first = p.nextToken();
                ConfigNode root;
                if (first == null) {
                    root = new ConfigNode(ConfigNode.Kind.NULL, file, "", "", 1, 1, 1, 1, "", null, null, null);
                } else {
                    JsonLocation at = p.currentTokenLocation();
                    root = value("", "", at.getLineNr(), at.getColumnNr());
                    if (p.nextToken() != null) {
                        JsonLocation second = p.currentTokenLocation();
                        problems.add(new Problem(new SourceLocation(file, second.getLineNr(), second.getColumnNr(), ""),
                                "a second YAML document starts here; a file holds exactly one (remove the '---')"));
                    }
                }
                if (!problems.isEmpty()) throw new ConfigException(problems);
                return root;
            } catch (JacksonException e) {
                problems.add(syntaxProblem(e));
                throw new ConfigException(problems);
            } catch (IOException e) {
                // Reading from a String cannot fail for I/O reasons; anything else is the parser's syntax report.
                problems.add(new Problem(new SourceLocation(file, 0, 0, ""), "cannot parse: " + e.getMessage()));
                throw new ConfigException(problems);
            }
        }

        /** Builds the value whose first token is current. */
        private ConfigNode value(String path, String name, int keyLine, int keyColumn) throws IOException {
            YAMLParser p = parser;
            JsonToken t = p.currentToken();
            JsonLocation at = p.currentTokenLocation();
            int line = at.getLineNr(), column = at.getColumnNr();
            Object anchor = p.getObjectId();
            ConfigNode node;
            switch (t) {
                case START_OBJECT -> node = map(path, name, line, column, keyLine, keyColumn);
                case START_ARRAY -> {
                    List<ConfigNode> items = new ArrayList<>();
                    while (p.nextToken() != JsonToken.END_ARRAY) {
                        JsonLocation il = p.currentTokenLocation();
                        String itemPath = path + "[" + items.size() + "]";
                        items.add(value(itemPath, "[" + items.size() + "]", il.getLineNr(), il.getColumnNr()));
                    }
                    node = new ConfigNode(ConfigNode.Kind.LIST, file, path, name, line, column, keyLine, keyColumn, null, null, null, items);
                }
                case VALUE_NULL -> node = new ConfigNode(ConfigNode.Kind.NULL, file, path, name, line, column, keyLine, keyColumn, "", null, null, null);
                default -> {
                    if (p.isCurrentAlias()) return alias(p.getText(), path, name, line, column, keyLine, keyColumn);
                    ConfigNode.ScalarType type = switch (t) {
                        case VALUE_NUMBER_INT -> ConfigNode.ScalarType.INTEGER;
                        case VALUE_NUMBER_FLOAT -> ConfigNode.ScalarType.DECIMAL;
                        case VALUE_TRUE, VALUE_FALSE -> ConfigNode.ScalarType.BOOLEAN;
                        default -> ConfigNode.ScalarType.STRING;
                    };
                    node = new ConfigNode(ConfigNode.Kind.SCALAR, file, path, name, line, column, keyLine, keyColumn, p.getText(), type, null, null);
                }
            }
            if (anchor != null) anchors.put(anchor.toString(), node);
            return node;
        }

        private ConfigNode alias(String anchor, String path, String name, int line, int column, int keyLine, int keyColumn) {
            ConfigNode target = anchors.get(anchor);
            if (target == null) {
                problems.add(new Problem(new SourceLocation(file, line, column, path),
                        (path.isEmpty() ? "" : path + ": ") + "unknown alias '*" + anchor + "'; define '&" + anchor + "' on an earlier value"));
                return new ConfigNode(ConfigNode.Kind.NULL, file, path, name, line, column, keyLine, keyColumn, "", null, null, null);
            }
            expanded += target.size;
            if (expanded > MAX_EXPANDED_NODES) {
                problems.add(new Problem(new SourceLocation(file, line, column, path), "aliases expand to more than "
                        + MAX_EXPANDED_NODES + " values; refusing to expand '*" + anchor + "'"));
                return new ConfigNode(ConfigNode.Kind.NULL, file, path, name, line, column, keyLine, keyColumn, "", null, null, null);
            }
            return target.relocate(path, name, keyLine, keyColumn);
        }

        /**
         * Reads a map. Merge keys are kept as slots in file order and expanded at the end, so that explicit
         * keys win over merged ones wherever they appear, and earlier merges win over later ones (YAML's rules).
         */
        private ConfigNode map(String path, String name, int line, int column, int keyLine, int keyColumn) throws IOException {
            YAMLParser p = parser;
            List<Object> slots = new ArrayList<>();
            Map<String, ConfigNode> explicit = new HashMap<>();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String key = p.currentName();
                JsonLocation kl = p.currentTokenLocation();
                p.nextToken();
                if (key.equals("<<")) {
                    ConfigNode merged = value(child(path, key), key, kl.getLineNr(), kl.getColumnNr());
                    List<ConfigNode> sources = merged.isList() ? merged.asListOrSingle() : List.of(merged);
                    List<ConfigNode> maps = new ArrayList<>();
                    for (ConfigNode s : sources) {
                        if (s.isMap()) maps.add(s);
                        else if (!s.isNull()) problems.add(s.problem("'<<' merges a map or a list of maps, got " + s.describe()));
                    }
                    slots.add(maps);
                    continue;
                }
                ConfigNode v = value(child(path, key), key, kl.getLineNr(), kl.getColumnNr());
                ConfigNode previous = explicit.putIfAbsent(key, v);
                if (previous != null) {
                    problems.add(new Problem(v.keyLocation(), (path.isEmpty() ? "" : path + ": ") + "duplicate key '" + key
                            + "' (first written at line " + previous.keyLocation().line() + ")"));
                    continue;
                }
                slots.add(v);
            }
            Map<String, ConfigNode> entries = new LinkedHashMap<>();
            Set<String> explicitKeys = new HashSet<>(explicit.keySet());
            for (Object slot : slots) {
                if (slot instanceof ConfigNode v) {
                    entries.put(v.name(), v);
                } else {
                    @SuppressWarnings("unchecked") List<ConfigNode> maps = (List<ConfigNode>) slot;
                    for (ConfigNode m : maps) {
                        for (ConfigNode c : m.rawEntries().values()) {
                            String k = c.name();
                            if (explicitKeys.contains(k) || entries.containsKey(k)) continue;
                            entries.put(k, c.relocate(child(path, k), k, c.keyLocation().line(), c.keyLocation().column()));
                        }
                    }
                }
            }
            return new ConfigNode(ConfigNode.Kind.MAP, file, path, name, line, column, keyLine, keyColumn, null, null, entries, null);
        }

        /** A located, human message for a YAML syntax error, without the parser's internals. */
        private Problem syntaxProblem(JacksonException e) {
            for (Throwable c = e; c != null; c = c.getCause()) {
                if (c instanceof org.yaml.snakeyaml.error.MarkedYAMLException m && m.getProblemMark() != null) {
                    var mark = m.getProblemMark();
                    StringBuilder msg = new StringBuilder("YAML syntax error: ").append(clean(m.getProblem()));
                    if (m.getContext() != null) {
                        msg.append(" (").append(clean(m.getContext()));
                        if (m.getContextMark() != null) {
                            msg.append(" at line ").append(m.getContextMark().getLine() + 1)
                                    .append(", column ").append(m.getContextMark().getColumn() + 1);
                        }
                        msg.append(')');
                    }
                    String problem = m.getProblem() == null ? "" : m.getProblem();
                    if (problem.startsWith("mapping values are not allowed")) {
                        msg.append(" — check the indentation, or quote a value that contains ': '");
                    } else if ((problem.startsWith("expected ',' or ']'") || problem.startsWith("expected ',' or '}'"))
                            && !problem.contains("<stream end>")) {
                        msg.append(" — inside [ ] or { } a value containing {, }, [, ] or ',' must be quoted,"
                                + " e.g. [\"GET /items/{id}\"], or use a block list ('- GET /items/{id}' on its own line)");
                    }
                    return new Problem(new SourceLocation(file, mark.getLine() + 1, mark.getColumn() + 1, ""), msg.toString());
                }
            }
            JsonLocation at = e.getLocation();
            String original = e.getOriginalMessage();
            String msg = original != null && original.startsWith("Expected a field name")
                    ? "a key must be plain text, not a list or a map"
                    : clean(original);
            return new Problem(new SourceLocation(file, at == null ? 0 : at.getLineNr(), at == null ? 0 : at.getColumnNr(), ""),
                    "YAML syntax error: " + msg);
        }

        private static String clean(String s) {
            if (s == null) return "invalid YAML";
            return s.strip().replace("\n", " ").replace("\t(TAB)", "tab");
        }
    }
}
