package dev.vigil.gateway.policy.cache;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Cache keys. The primary key covers method class (GET/HEAD share one), host, path, the query with
 * its parameters sorted, the tenant and the route's configured vary headers; a response with its
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
        if (cfg.varyByTenant()) sb.append("\nt=").append(req.tenant());
        for (String h : cfg.varyHeaders()) sb.append('\n').append(h).append('=').append(normaliseValue(req.headers().get(h)));
        return sb.toString();
    }

    static String secondary(String primary, List<String> varyNames, CacheRequest req) {
        StringBuilder sb = new StringBuilder(primary).append('\u0000');
        for (String h : varyNames) sb.append('\n').append(h).append('=').append(normaliseValue(req.headers().get(h)));
        return sb.toString();
    }

    /** Parameters sorted (stable for equal names: their relative order is kept), empty ones dropped. */
    static String normaliseQuery(String query) {
        if (query == null || query.isEmpty()) return "";
        String[] params = Arrays.stream(query.split("&")).filter(p -> !p.isEmpty()).toArray(String[]::new);
        Arrays.sort(params, (a, b) -> name(a).compareTo(name(b)));
        return String.join("&", params);
    }

    private static String name(String param) {
        int eq = param.indexOf('=');
        return eq < 0 ? param : param.substring(0, eq);
    }

    /** RFC 9111 §4.1: values are compared after whitespace normalisation; absent differs from empty. */
    static String normaliseValue(String v) {
        if (v == null) return "\u0000";
        return v.trim().replaceAll("\\s*,\\s*", ",").replaceAll("\\s+", " ");
    }
}
