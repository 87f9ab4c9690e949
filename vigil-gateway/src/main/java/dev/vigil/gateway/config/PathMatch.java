package dev.vigil.gateway.config;

import java.util.List;

/** How a route matches the request path: a literal prefix, or a pattern with {@code {name}} segments and a trailing {@code /**}. */
public sealed interface PathMatch {
    boolean matches(String path);

    record Prefix(String prefix) implements PathMatch {
        public Prefix {
            if (prefix == null || !prefix.startsWith("/")) throw new IllegalArgumentException("prefix must start with '/': " + prefix);
        }

        @Override public boolean matches(String path) { return path.startsWith(prefix); }

        @Override public String toString() { return prefix + "*"; }
    }

    /** {@code /landing-pages/{id}}: each {@code {name}} matches exactly one non-empty segment; a trailing {@code /**} matches any rest. */
    record Pattern(String pattern, List<String> segments, boolean anyRest) implements PathMatch {
        public Pattern {
            segments = List.copyOf(segments);
        }

        public static Pattern of(String pattern) {
            if (pattern == null || !pattern.startsWith("/")) throw new IllegalArgumentException("path must start with '/': " + pattern);
            String p = pattern;
            boolean rest = false;
            if (p.equals("/**")) return new Pattern(pattern, List.of(), true);
            if (p.endsWith("/**")) {
                rest = true;
                p = p.substring(0, p.length() - 3);
            }
            List<String> segs = p.equals("/") ? List.of() : List.of(p.substring(1).split("/", -1));
            for (String s : segs) {
                if (s.contains("*")) throw new IllegalArgumentException("'**' is only allowed as the last segment: " + pattern);
                if (s.startsWith("{") != s.endsWith("}")) throw new IllegalArgumentException("unbalanced '{' in " + pattern);
            }
            return new Pattern(pattern, segs, rest);
        }

        @Override public boolean matches(String path) {
            int pos = 1; // after the leading '/'
            int n = path.length();
            if (n == 0 || path.charAt(0) != '/') return false;
            for (String seg : segments) {
                if (pos > n) return false;
                int end = path.indexOf('/', pos);
                if (end < 0) end = n;
                if (seg.startsWith("{")) {
                    if (end == pos) return false;
                } else if (end - pos != seg.length() || !path.regionMatches(pos, seg, 0, seg.length())) {
                    return false;
                }
                pos = end + 1;
            }
            if (anyRest) return true;
            // Exact: everything consumed (a trailing slash is a different resource).
            return pos == n + 1 || (segments.isEmpty() && n == 1);
        }

        @Override public String toString() { return pattern; }
    }
}
