package dev.vigil.load.scenario;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The subset of JSONPath a capture needs: {@code $}, {@code .name}, {@code ['name']} and {@code [index]}
 * (negative indexes count from the end), e.g. {@code $.data.items[0].id}. Compiled once, thread-safe.
 */
public final class JsonPath {
    private final String source;
    private final List<Object> segments; // String field names and Integer indexes

    private JsonPath(String source, List<Object> segments) {
        this.source = source;
        this.segments = List.copyOf(segments);
    }

    /** @throws IllegalArgumentException naming what is wrong with {@code path} */
    public static JsonPath compile(String path) {
        if (!path.startsWith("$")) throw new IllegalArgumentException("a JSON path starts with '$', e.g. $.id: " + path);
        List<Object> segments = new ArrayList<>();
        int i = 1;
        while (i < path.length()) {
            char c = path.charAt(i);
            if (c == '.') {
                int end = i + 1;
                while (end < path.length() && path.charAt(end) != '.' && path.charAt(end) != '[') end++;
                if (end == i + 1) throw new IllegalArgumentException("empty field name at character " + (i + 1) + " of " + path);
                segments.add(path.substring(i + 1, end));
                i = end;
            } else if (c == '[') {
                int close = path.indexOf(']', i);
                if (close < 0) throw new IllegalArgumentException("unclosed '[' at character " + (i + 1) + " of " + path);
                String inside = path.substring(i + 1, close).strip();
                if (inside.length() >= 2 && (inside.startsWith("'") && inside.endsWith("'")
                        || inside.startsWith("\"") && inside.endsWith("\""))) {
                    segments.add(inside.substring(1, inside.length() - 1));
                } else {
                    try {
                        segments.add(Integer.valueOf(inside));
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException("'[" + inside + "]' is neither an index nor a quoted name in " + path);
                    }
                }
                i = close + 1;
            } else {
                throw new IllegalArgumentException("unexpected '" + c + "' at character " + (i + 1) + " of " + path
                        + "; write $.field, $.list[0] or $['odd name']");
            }
        }
        return new JsonPath(path, segments);
    }

    /** The value at this path as text (scalars as written, objects and arrays as JSON), or empty when absent. */
    public Optional<String> read(JsonNode root) {
        JsonNode node = root;
        for (Object s : segments) {
            if (node == null) return Optional.empty();
            if (s instanceof String field) {
                node = node.isObject() ? node.get(field) : null;
            } else {
                int index = (Integer) s;
                if (!node.isArray()) return Optional.empty();
                node = node.get(index < 0 ? node.size() + index : index);
            }
        }
        if (node == null || node.isNull() || node.isMissingNode()) return Optional.empty();
        return Optional.of(node.isValueNode() ? node.asText() : node.toString());
    }

    @Override public String toString() { return source; }
}
