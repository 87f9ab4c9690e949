package dev.vigil.load.scenario;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;

/**
 * A string with {@code {{ expression }}} placeholders, compiled once when the scenario is read and rendered per
 * request. An expression is a variable name (a CSV column, a capture of an earlier step, a {@code variables:} entry)
 * or a helper call:
 * <ul>
 *   <li>{@code randomString(n)} — n random letters and digits</li>
 *   <li>{@code randomInt(a, b)} — a uniformly random integer in [a, b]</li>
 *   <li>{@code uuid()} — a random UUID</li>
 *   <li>{@code now()} — epoch milliseconds; {@code nowIso()} — the ISO-8601 instant</li>
 *   <li>{@code randomElement("a", "b", ...)} — one of the given strings</li>
 * </ul>
 * Immutable and thread-safe; rendering allocates only what the output needs.
 */
public final class Template {
    private static final char[] ALPHANUMERIC =
            "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789".toCharArray();
    static final Set<String> HELPERS = Set.of("randomString", "randomInt", "uuid", "now", "nowIso", "randomElement");

    private final String source;
    private final List<Part> parts;

    private Template(String source, List<Part> parts) {
        this.source = source;
        this.parts = List.copyOf(parts);
    }

    /** A template without placeholders. */
    public static Template literal(String text) {
        return new Template(text, text.isEmpty() ? List.of() : List.of(new Literal(text)));
    }

    /**
     * Compiles {@code text}.
     *
     * @throws IllegalArgumentException with a message for people when a placeholder is malformed or calls an
     *                                  unknown helper
     */
    public static Template compile(String text) {
        List<Part> parts = new ArrayList<>();
        int i = 0;
        while (i < text.length()) {
            int open = text.indexOf("{{", i);
            if (open < 0) {
                parts.add(new Literal(text.substring(i)));
                break;
            }
            if (open > i) parts.add(new Literal(text.substring(i, open)));
            int close = text.indexOf("}}", open + 2);
            if (close < 0) {
                throw new IllegalArgumentException("unclosed '{{' at character " + (open + 1) + " of \"" + text
                        + "\"; write '{{ name }}'");
            }
            parts.add(parseExpression(text.substring(open + 2, close).strip(), text));
            i = close + 2;
        }
        return new Template(text, parts);
    }

    /** True when rendering always gives the same text. */
    public boolean isConstant() {
        return parts.stream().allMatch(p -> p instanceof Literal);
    }

    /** Variable names the template reads, in order of appearance. */
    public List<String> variables() {
        return parts.stream().filter(p -> p instanceof Variable).map(p -> ((Variable) p).name()).toList();
    }

    public String source() { return source; }

    /** Renders with {@code vars} (returns null for an unknown name, which renders as an empty string). */
    public String render(Function<String, String> vars) {
        if (parts.size() == 1 && parts.get(0) instanceof Literal l) return l.text();
        StringBuilder out = new StringBuilder(source.length() + 16);
        renderTo(vars, out);
        return out.toString();
    }

    public void renderTo(Function<String, String> vars, StringBuilder out) {
        for (Part p : parts) {
            switch (p) {
                case Literal l -> out.append(l.text());
                case Variable v -> {
                    String value = vars.apply(v.name());
                    if (value != null) out.append(value);
                }
                case Call c -> c.renderTo(out);
            }
        }
    }

    @Override public String toString() { return source; }

    private static Part parseExpression(String expr, String text) {
        if (expr.isEmpty()) throw new IllegalArgumentException("empty placeholder '{{ }}' in \"" + text + "\"");
        int paren = expr.indexOf('(');
        if (paren < 0) {
            if (!isIdentifier(expr)) {
                throw new IllegalArgumentException("'" + expr + "' is not a variable name or helper call in \"" + text
                        + "\"; names are letters, digits, '_', '-' and '.'");
            }
            return new Variable(expr);
        }
        String name = expr.substring(0, paren).strip();
        if (!expr.endsWith(")")) {
            throw new IllegalArgumentException("missing ')' in '{{ " + expr + " }}'");
        }
        if (!HELPERS.contains(name)) {
            throw new IllegalArgumentException("unknown helper '" + name + "' in '{{ " + expr + " }}'; helpers are "
                    + "randomString(n), randomInt(a, b), uuid(), now(), nowIso(), randomElement(\"a\", \"b\")");
        }
        List<String> args = splitArgs(expr.substring(paren + 1, expr.length() - 1), expr);
        return Call.of(name, args, expr);
    }

    private static boolean isIdentifier(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(Character.isLetterOrDigit(c) || c == '_' || c == '-' || c == '.')) return false;
        }
        return true;
    }

    private static List<String> splitArgs(String body, String expr) {
        List<String> args = new ArrayList<>();
        if (body.isBlank()) return args;
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < body.length(); i++) {
            char c = body.charAt(i);
            if (c == '"') {
                quoted = !quoted;
                cur.append(c);
            } else if (c == ',' && !quoted) {
                args.add(cur.toString().strip());
                cur.setLength(0);
            } else {
                cur.append(c);
            }
        }
        if (quoted) throw new IllegalArgumentException("unclosed '\"' in '{{ " + expr + " }}'");
        args.add(cur.toString().strip());
        return args;
    }

    private sealed interface Part permits Literal, Variable, Call {}

    private record Literal(String text) implements Part {}

    private record Variable(String name) implements Part {}

    private record Call(String name, long a, long b, List<String> choices) implements Part {
        static Call of(String name, List<String> args, String expr) {
            return switch (name) {
                case "randomString" -> {
                    long n = intArgs(args, 1, expr)[0];
                    if (n < 1 || n > 65536) throw new IllegalArgumentException("randomString(n) needs 1 <= n <= 65536 in '{{ " + expr + " }}'");
                    yield new Call(name, n, 0, List.of());
                }
                case "randomInt" -> {
                    long[] ab = intArgs(args, 2, expr);
                    if (ab[0] > ab[1]) throw new IllegalArgumentException("randomInt(a, b) needs a <= b in '{{ " + expr + " }}'");
                    yield new Call(name, ab[0], ab[1], List.of());
                }
                case "randomElement" -> {
                    if (args.isEmpty()) throw new IllegalArgumentException("randomElement needs at least one \"string\" in '{{ " + expr + " }}'");
                    List<String> choices = new ArrayList<>();
                    for (String arg : args) {
                        if (arg.length() < 2 || !arg.startsWith("\"") || !arg.endsWith("\"")) {
                            throw new IllegalArgumentException("randomElement takes quoted strings, got " + arg + " in '{{ " + expr + " }}'");
                        }
                        choices.add(arg.substring(1, arg.length() - 1));
                    }
                    yield new Call(name, 0, 0, choices);
                }
                default -> {
                    intArgs(args, 0, expr);
                    yield new Call(name, 0, 0, List.of());
                }
            };
        }

        private static long[] intArgs(List<String> args, int n, String expr) {
            if (args.size() != n) {
                throw new IllegalArgumentException("'{{ " + expr + " }}' takes " + n + " argument" + (n == 1 ? "" : "s")
                        + ", got " + args.size());
            }
            long[] out = new long[n];
            for (int i = 0; i < n; i++) {
                try {
                    out[i] = Long.parseLong(args.get(i));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("'" + args.get(i) + "' is not an integer in '{{ " + expr + " }}'");
                }
            }
            return out;
        }

        void renderTo(StringBuilder out) {
            ThreadLocalRandom r = ThreadLocalRandom.current();
            switch (name) {
                case "randomString" -> {
                    for (int i = 0; i < a; i++) out.append(ALPHANUMERIC[r.nextInt(ALPHANUMERIC.length)]);
                }
                case "randomInt" -> out.append(b == Long.MAX_VALUE ? r.nextLong(a, b) : r.nextLong(a, b + 1));
                case "uuid" -> out.append(new UUID(r.nextLong() & ~0xF000L | 0x4000L,
                        r.nextLong() & 0x3FFFFFFFFFFFFFFFL | 0x8000000000000000L));
                case "now" -> out.append(System.currentTimeMillis());
                case "nowIso" -> out.append(java.time.Instant.now());
                case "randomElement" -> out.append(choices.get(r.nextInt(choices.size())));
                default -> throw new IllegalStateException(name);
            }
        }
    }
}
