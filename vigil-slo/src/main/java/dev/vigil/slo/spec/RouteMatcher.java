package dev.vigil.slo.spec;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Finds the route group of a request: the first group, in file order, with a pattern that matches the method
 * and path; the default group when none does.
 *
 * <p>Design: patterns are compiled once into arrays of literal segments (null for a {@code {param}} or
 * {@code *}) and bucketed by method, each bucket holding that method's patterns and the any-method ones in file
 * order. A lookup is one hash lookup on the method (request method strings cache their hash) and a scan of
 * that bucket comparing segments in place with {@link String#regionMatches}: no regex, no substring, no
 * allocation. For the few dozen patterns an SLO file has, a scan with early exit beats a trie that would have
 * to keep file order across branches.
 *
 * <p>Matching rules: the query string and fragment are ignored; one trailing {@code /} on the request path is
 * ignored; {@code {name}} and {@code *} match exactly one non-empty segment; a trailing {@code /**} matches the
 * rest of the path including nothing ({@code /static/**} matches {@code /static}); methods compare exactly
 * (HTTP methods are case-sensitive); path segments are compared as sent (not percent-decoded). An absolute
 * request target ({@code http://host/path}) is matched on its path.
 *
 * <p>Immutable and thread-safe.
 */
public final class RouteMatcher {
    private static final Compiled[] NONE = new Compiled[0];

    private final Map<String, Compiled[]> byMethod;
    private final Compiled[] anyMethod;
    private final String defaultGroup;

    private RouteMatcher(Map<String, Compiled[]> byMethod, Compiled[] anyMethod, String defaultGroup) {
        this.byMethod = byMethod;
        this.anyMethod = anyMethod;
        this.defaultGroup = defaultGroup;
    }

    /** Compiles the route groups of {@code spec}. */
    public static RouteMatcher of(SloSpec spec) {
        return of(spec.routeGroups());
    }

    /** Compiles {@code groups} (in match order; exactly one should be the default, else {@code "default"} is used). */
    public static RouteMatcher of(List<RouteGroup> groups) {
        List<Compiled> all = new ArrayList<>();
        Set<String> methods = new LinkedHashSet<>();
        String defaultGroup = SloFileReader.DEFAULT_GROUP;
        for (RouteGroup g : groups) {
            if (g.isDefault()) {
                defaultGroup = g.name();
                continue;
            }
            for (RoutePattern p : g.patterns()) {
                all.add(Compiled.of(g.name(), p));
                if (!p.method().equals("*")) methods.add(p.method());
            }
        }
        Map<String, Compiled[]> byMethod = new HashMap<>();
        for (String m : methods) {
            byMethod.put(m, all.stream().filter(c -> c.method == null || c.method.equals(m)).toArray(Compiled[]::new));
        }
        Compiled[] any = all.stream().filter(c -> c.method == null).toArray(Compiled[]::new);
        return new RouteMatcher(Map.copyOf(byMethod), any.length == 0 ? NONE : any, defaultGroup);
    }

    /** The default group's name. */
    public String defaultGroup() { return defaultGroup; }

    /**
     * The route group for a request.
     *
     * @param method the request method as sent, e.g. {@code GET}
     * @param path   the request target: a path with optional query ({@code /items/7?x=1}) or an absolute URI
     * @return the group's name (the very string in the spec); the default group when nothing matches
     */
    public String groupFor(String method, String path) {
        if (method == null || path == null) return defaultGroup;
        Compiled[] candidates = byMethod.get(method);
        if (candidates == null) candidates = anyMethod;
        if (candidates.length == 0) return defaultGroup;
        int start = pathStart(path);
        if (start < 0) return defaultGroup;
        int end = pathEnd(path, start);
        for (Compiled c : candidates) {
            if (c.matches(path, start, end)) return c.group;
        }
        return defaultGroup;
    }

    /** Index of the path's leading '/', skipping scheme and authority of an absolute URI; -1 when there is none. */
    private static int pathStart(String target) {
        if (!target.isEmpty() && target.charAt(0) == '/') return 0;
        int scheme = target.indexOf("://");
        if (scheme <= 0) return -1;
        int slash = target.indexOf('/', scheme + 3);
        if (slash < 0) return target.length(); // "http://host": an empty path, read as "/"
        int query = target.indexOf('?', scheme + 3);
        return query >= 0 && query < slash ? target.length() : slash;
    }

    private static int pathEnd(String target, int start) {
        for (int i = start; i < target.length(); i++) {
            char ch = target.charAt(i);
            if (ch == '?' || ch == '#') return i;
        }
        return target.length();
    }

    /** One pattern: method (null = any), literal segments (null = one-segment wildcard), and whether it ends in /**. */
    private static final class Compiled {
        final String group;
        final String method;
        final String[] segments;
        final boolean tail;

        private Compiled(String group, String method, String[] segments, boolean tail) {
            this.group = group;
            this.method = method;
            this.segments = segments;
            this.tail = tail;
        }

        static Compiled of(String group, RoutePattern p) {
            String path = p.path();
            List<String> segs = new ArrayList<>();
            boolean tail = false;
            if (!path.equals("/")) {
                for (String s : path.substring(1).split("/", -1)) {
                    if (s.equals("**")) {
                        tail = true;
                        break;
                    }
                    segs.add(s.equals("*") || (s.startsWith("{") && s.endsWith("}")) ? null : s);
                }
            }
            return new Compiled(group, p.method().equals("*") ? null : p.method(), segs.toArray(String[]::new), tail);
        }

        /** Whether {@code target[start, end)} (empty or starting with '/') matches. */
        boolean matches(String target, int start, int end) {
            int pos = start;
            for (String literal : segments) {
                if (pos >= end || target.charAt(pos) != '/') return false;
                pos++;
                int segEnd = pos;
                while (segEnd < end && target.charAt(segEnd) != '/') segEnd++;
                int len = segEnd - pos;
                if (literal == null) {
                    if (len == 0) return false;
                } else if (len != literal.length() || !target.regionMatches(pos, literal, 0, len)) {
                    return false;
                }
                pos = segEnd;
            }
            if (tail) return pos == end || target.charAt(pos) == '/';
            return pos == end || (pos == end - 1 && target.charAt(pos) == '/');
        }
    }
}
