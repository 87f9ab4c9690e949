package dev.vigil.gateway.policy.cache;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Cache keys. The primary key covers method class (GET/HEAD share one), host, path, the query with
 * its parameters sorted, the Host field with its port, the tenant and the route's configured vary headers; a response with its
 * own {@code Vary} adds a secondary part with the request's values for those headers.
 * Parts are separated by characters that cannot appear in them unescaped (newline, NUL).
 */
final class CacheKeys {
    private CacheKeys() {}

    /** Host and path: what a purge names. */
    static String pathKey(String host, String path) {
        return host.toLowerCase(Locale.ROOT) + "\n" + path;
    }

    static String primary(CacheRequest req, CacheConfig cfg) {
        StringBuilder sb = new StringBuilder(128);
        sb.append(pathKey(req.host(), req.path())).append('\n').append(normaliseQuery(req.query()));
        // The Host field as the upstream receives it, port included: the route matched the host alone, but an
        // upstream that builds links from Host ("Location: http://api.example.com:1/…") answers each port apart.
        String authority = req.headers().get("Host");
        if (authority != null) sb.append("\nhost=").append(authority.trim().toLowerCase(Locale.ROOT));
        if (cfg.varyByTenant()) sb.append("\nt=").append(req.tenant());
        for (String h : cfg.varyHeaders()) sb.append('\n').append(h).append('=').append(normaliseValue(req.headers().get(h)));
        return sb.toString();
    }

    static String secondary(String primary, List<String> varyNames, CacheRequest req) {
        StringBuilder sb = new StringBuilder(primary).append('\u0000');
        for (String h : varyNames) sb.append('\n').append(h).append('=').append(normaliseValue(req.headers().get(h)));
        return sb.toString();
    }

    /** Parameters sorted by name (stable for equal names: their relative order is kept), empty ones dropped. */
    static String normaliseQuery(String query) {
        if (query == null || query.isEmpty()) return "";
        if (query.indexOf('&') < 0) return query;       // one parameter: nothing to sort
        String[] params = query.split("&");
        int n = 0;
        for (String p : params) if (!p.isEmpty()) params[n++] = p;
        String[] kept = n == params.length ? params : Arrays.copyOf(params, n);
        Arrays.sort(kept, (a, b) -> name(a).compareTo(name(b)));
        return String.join("&", kept);
    }

    private static String name(String param) {
        int eq = param.indexOf('=');
        return eq < 0 ? param : param.substring(0, eq);
    }

    /**
     * RFC 9111 §4.1: values are compared after whitespace normalisation (trimmed, no spaces around
     * commas, runs of whitespace as one space); absent differs from empty. No regex: this runs per request.
     */
    static String normaliseValue(String v) {
        if (v == null) return "\u0000";
        int start = 0, end = v.length();
        while (start < end && isSpace(v.charAt(start))) start++;
        while (end > start && isSpace(v.charAt(end - 1))) end--;
        boolean clean = true;
        for (int i = start; i < end && clean; i++) {
            char c = v.charAt(i);
            if (c == '\t' || (c == ' ' && (i + 1 >= end || isSpace(v.charAt(i + 1)) || v.charAt(i + 1) == ',' || v.charAt(i - 1) == ','))) {
                clean = false;
            }
        }
        if (clean) return v.substring(start, end);
        StringBuilder sb = new StringBuilder(end - start);
        for (int i = start; i < end; i++) {
            char c = v.charAt(i);
            if (isSpace(c)) {
                int j = i;
                while (j < end && isSpace(v.charAt(j))) j++;
                boolean nearComma = (j < end && v.charAt(j) == ',') || (!sb.isEmpty() && sb.charAt(sb.length() - 1) == ',');
                if (!nearComma) sb.append(' ');
                i = j - 1;
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    private static boolean isSpace(char c) { return c == ' ' || c == '\t'; }
}
