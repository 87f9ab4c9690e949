package dev.vigil.slo.spec;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Finds the route group of a request: the first group, in file order, with a pattern that matches the method
 * and path; the default group when none does.
 *
 * <p>Design: per method, the patterns that apply to it (its own and the any-method ones) are compiled once into
 * a segment trie. Each node has a hash table of literal children, one child for a {@code {param}}/{@code *}
 * segment, and the smallest file-order index of the patterns that end there or continue with {@code /**}. A
 * lookup walks the path once, trying the literal and the parameter branch and keeping the smallest index found;
 * a branch whose smallest reachable index cannot beat the best so far is pruned. Literal children are looked up
 * by hashing the segment in place (the same hash as {@link String#hashCode}) and comparing with
 * {@link String#regionMatches}: no regex, no substring, no allocation. Cost grows with the path's depth, not
 * with the number of routes.
 *
 * <p>Matching rules: the query string and fragment are ignored; one trailing {@code /} on the request path is
 * ignored; {@code {name}} and {@code *} match exactly one non-empty segment; a trailing {@code /**} matches the
 * rest of the path including nothing ({@code /static/**} matches {@code /static}); methods compare exactly
 * (HTTP methods are case-sensitive), except that a {@code HEAD} request no {@code HEAD} or any-method pattern matches
 * falls back to the {@code GET} patterns (RFC 9110: HEAD is GET without the content); path segments are compared as sent (not percent-decoded). An absolute
 * request target ({@code http://host/path}) is matched on its path.
 *
 * <p>Immutable and thread-safe.
 */
public final class RouteMatcher {
    private static final int NONE = Integer.MAX_VALUE;

    private final Map<String, Node> byMethod;
    private final Node anyMethod;
    private final String[] groupOfPattern;
    private final String defaultGroup;
    /** The GET trie, for HEAD requests no HEAD pattern matches; null when the file has no GET pattern. */
    private final Node getRoutes;

    private RouteMatcher(Map<String, Node> byMethod, Node anyMethod, String[] groupOfPattern, String defaultGroup) {
        this.byMethod = byMethod;
        this.getRoutes = byMethod.get("GET");
        this.anyMethod = anyMethod;
        this.groupOfPattern = groupOfPattern;
        this.defaultGroup = defaultGroup;
    }

    /** Compiles the route groups of {@code spec}. */
    public static RouteMatcher of(SloSpec spec) {
        return of(spec.routeGroups());
    }

    /** Compiles {@code groups} (in match order; exactly one should be the default, else {@code "default"} is used). */
    public static RouteMatcher of(List<RouteGroup> groups) {
        List<RoutePattern> patterns = new ArrayList<>();
        List<String> owners = new ArrayList<>();
        Set<String> methods = new LinkedHashSet<>();
        String defaultGroup = SloFileReader.DEFAULT_GROUP;
        for (RouteGroup g : groups) {
            if (g.isDefault()) {
                defaultGroup = g.name();
                continue;
            }
            for (RoutePattern p : g.patterns()) {
                patterns.add(p);
                owners.add(g.name());
                if (!p.method().equals("*")) methods.add(p.method());
            }
        }
        Map<String, Node> byMethod = new HashMap<>();
        for (String m : methods) byMethod.put(m, trie(patterns, m));
        return new RouteMatcher(Map.copyOf(byMethod), trie(patterns, null), owners.toArray(String[]::new), defaultGroup);
    }

    /** The trie of the patterns that apply to {@code method} (null: only any-method patterns), indexed by file order. */
    private static Node trie(List<RoutePattern> patterns, String method) {
        Node root = new Node();
        for (int i = 0; i < patterns.size(); i++) {
            RoutePattern p = patterns.get(i);
            if (!p.method().equals("*") && !p.method().equals(method)) continue;
            Node n = root;
            n.minIndex = Math.min(n.minIndex, i);
            boolean tail = false;
            if (!p.path().equals("/")) {
                for (String seg : p.path().substring(1).split("/", -1)) {
                    if (seg.equals("**")) {
                        tail = true;
                        break;
                    }
                    n = seg.equals("*") || (seg.startsWith("{") && seg.endsWith("}")) ? n.paramChild() : n.literalChild(seg);
                    n.minIndex = Math.min(n.minIndex, i);
                }
            }
            if (tail) n.tailIndex = Math.min(n.tailIndex, i);
            else n.endIndex = Math.min(n.endIndex, i);
        }
        root.freeze();
        return root;
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
        Node root = byMethod.get(method);
        if (root == null) root = anyMethod;
        // RFC 9110 §9.3.2: HEAD is GET without the content. A HEAD request the file does not route on its own
        // (no HEAD or any-method pattern matches) is judged with the GET route it mirrors.
        boolean headAsGet = getRoutes != null && method.equals("HEAD");
        if (root.minIndex == NONE && !headAsGet) return defaultGroup;
        int start = pathStart(path);
        if (start < 0) return defaultGroup;
        int end = pathEnd(path, start);
        int best = search(root, path, start, end, NONE);
        if (best == NONE && headAsGet) best = search(getRoutes, path, start, end, NONE);
        return best == NONE ? defaultGroup : groupOfPattern[best];
    }

    /**
     * Smallest pattern index matching {@code target[pos, end)} below {@code n}, or {@code best} if none is smaller.
     * {@code pos} is at a '/' or at the end.
     */
    private static int search(Node n, String target, int pos, int end, int best) {
        if (n.minIndex >= best) return best;
        if (n.tailIndex < best && (pos == end || target.charAt(pos) == '/')) best = n.tailIndex;
        if (pos == end || (pos == end - 1 && target.charAt(pos) == '/')) {
            return Math.min(best, n.endIndex);
        }
        if (target.charAt(pos) != '/') return best;
        int from = pos + 1;
        int segEnd = from;
        int hash = 0;
        while (segEnd < end) {
            char ch = target.charAt(segEnd);
            if (ch == '/') break;
            hash = 31 * hash + ch;
            segEnd++;
        }
        int len = segEnd - from;
        if (len == 0) return best;
        Node literal = n.literal(target, from, len, hash);
        if (literal != null) best = search(literal, target, segEnd, end, best);
        if (n.param != null) best = search(n.param, target, segEnd, end, best);
        return best;
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

    /** A trie node. Mutable while the trie is built, then frozen and only read. */
    private static final class Node {
        private Map<String, Node> building = new LinkedHashMap<>();
        private String[] keys = new String[0];
        private int[] hashes = new int[0];
        private Node[] children = new Node[0];
        private int mask = -1;
        Node param;
        /** Smallest index of a pattern ending exactly here; of one continuing with /**; of any in this subtree. */
        int endIndex = NONE;
        int tailIndex = NONE;
        int minIndex = NONE;

        Node literalChild(String segment) {
            return building.computeIfAbsent(segment, k -> new Node());
        }

        Node paramChild() {
            if (param == null) param = new Node();
            return param;
        }

        /** Moves literal children into an open-addressing table (load factor at most 1/2) and freezes the subtree. */
        void freeze() {
            int capacity = Integer.highestOneBit(Math.max(1, building.size() * 2 - 1)) << 1;
            keys = new String[capacity];
            hashes = new int[capacity];
            children = new Node[capacity];
            mask = capacity - 1;
            for (Map.Entry<String, Node> e : building.entrySet()) {
                int h = e.getKey().hashCode();
                int i = spread(h) & mask;
                while (keys[i] != null) i = (i + 1) & mask;
                keys[i] = e.getKey();
                hashes[i] = h;
                children[i] = e.getValue();
                e.getValue().freeze();
            }
            if (param != null) param.freeze();
            building = null;
        }

        Node literal(String target, int from, int len, int hash) {
            int i = spread(hash) & mask;
            String k;
            while ((k = keys[i]) != null) {
                if (hashes[i] == hash && k.length() == len && target.regionMatches(from, k, 0, len)) return children[i];
                i = (i + 1) & mask;
            }
            return null;
        }

        private static int spread(int h) {
            return h ^ (h >>> 16);
        }
    }
}
