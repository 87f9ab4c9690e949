package dev.vigil.load.scenario;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.json.JsonMapper;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A JSON body written as YAML, whose string values may hold {@code {{ }}} placeholders. Compiled into
 * literal JSON text and string templates, so rendering is string concatenation: a rendered value is
 * JSON-escaped and stays a JSON string.
 */
public final class JsonTemplate {
    private static final JsonMapper JSON = new JsonMapper();

    private final List<Object> parts; // String (literal JSON text) or Template (a string's contents)
    private final List<String> variables;

    private JsonTemplate(List<Object> parts) {
        this.parts = List.copyOf(parts);
        List<String> vars = new ArrayList<>();
        for (Object p : parts) if (p instanceof Template t) vars.addAll(t.variables());
        this.variables = List.copyOf(vars);
    }

    /**
     * @param tree maps (insertion-ordered), lists, strings, numbers, booleans and nulls, as read from the file
     * @throws IllegalArgumentException when a string holds a malformed placeholder
     */
    public static JsonTemplate of(Object tree) {
        List<Object> parts = new ArrayList<>();
        StringBuilder literal = new StringBuilder();
        build(tree, parts, literal);
        if (!literal.isEmpty()) parts.add(literal.toString());
        return new JsonTemplate(merge(parts));
    }

    private static void build(Object node, List<Object> parts, StringBuilder literal) {
        switch (node) {
            case null -> literal.append("null");
            case Map<?, ?> map -> {
                literal.append('{');
                boolean first = true;
                for (Map.Entry<?, ?> e : map.entrySet()) {
                    if (!first) literal.append(',');
                    first = false;
                    literal.append('"').append(JsonStringEncoder.getInstance().quoteAsString(String.valueOf(e.getKey())))
                            .append("\":");
                    build(e.getValue(), parts, literal);
                }
                literal.append('}');
            }
            case List<?> list -> {
                literal.append('[');
                for (int i = 0; i < list.size(); i++) {
                    if (i > 0) literal.append(',');
                    build(list.get(i), parts, literal);
                }
                literal.append(']');
            }
            case String s -> {
                Template t = Template.compile(s);
                literal.append('"');
                if (t.isConstant()) {
                    literal.append(JsonStringEncoder.getInstance().quoteAsString(s));
                } else {
                    parts.add(literal.toString());
                    literal.setLength(0);
                    parts.add(t);
                }
                literal.append('"');
            }
            case Number n -> literal.append(jsonOf(n));
            case Boolean b -> literal.append(b);
            default -> throw new IllegalArgumentException("unsupported JSON value: " + node);
        }
    }

    private static String jsonOf(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static List<Object> merge(List<Object> parts) {
        List<Object> out = new ArrayList<>();
        for (Object p : parts) {
            if (p instanceof String s && s.isEmpty()) continue;
            if (p instanceof String s && !out.isEmpty() && out.get(out.size() - 1) instanceof String prev) {
                out.set(out.size() - 1, prev + s);
            } else {
                out.add(p);
            }
        }
        return out;
    }

    public boolean isConstant() {
        return parts.stream().noneMatch(p -> p instanceof Template);
    }

    public List<String> variables() { return variables; }

    public String render(Function<String, String> vars) {
        if (parts.size() == 1 && parts.get(0) instanceof String s) return s;
        StringBuilder out = new StringBuilder();
        StringBuilder value = new StringBuilder();
        for (Object p : parts) {
            if (p instanceof String s) {
                out.append(s);
            } else {
                value.setLength(0);
                ((Template) p).renderTo(vars, value);
                JsonStringEncoder.getInstance().quoteAsString(value, out);
            }
        }
        return out.toString();
    }
}
