package dev.vigil.gateway.policy.cache;

import java.util.Locale;

/** The Cache-Control directives a shared cache acts on (RFC 9111 §5.2, RFC 5861). Seconds; -1 = absent. */
record CacheControl(boolean noStore, boolean noCache, boolean isPrivate, boolean isPublic, boolean mustRevalidate,
                    long maxAge, long sMaxAge, long staleWhileRevalidate, long staleIfError) {

    static final CacheControl NONE = new CacheControl(false, false, false, false, false, -1, -1, -1, -1);

    static CacheControl parse(String value) {
        if (value == null || value.isBlank()) return NONE;
        boolean noStore = false, noCache = false, priv = false, pub = false, mustRevalidate = false;
        long maxAge = -1, sMaxAge = -1, swr = -1, sie = -1;
        for (String part : value.split(",")) {
            String d = part.trim();
            int eq = d.indexOf('=');
            String name = (eq < 0 ? d : d.substring(0, eq)).trim().toLowerCase(Locale.ROOT);
            String arg = eq < 0 ? null : d.substring(eq + 1).trim();
            switch (name) {
                case "no-store" -> noStore = true;
                // no-cache="field" only restricts fields; treated as plain no-cache (safe side)
                case "no-cache" -> noCache = true;
                case "private" -> priv = true;
                case "public" -> pub = true;
                case "must-revalidate", "proxy-revalidate" -> mustRevalidate = true;
                case "max-age" -> maxAge = seconds(arg);
                case "s-maxage" -> sMaxAge = seconds(arg);
                case "stale-while-revalidate" -> swr = seconds(arg);
                case "stale-if-error" -> sie = seconds(arg);
                default -> { }
            }
        }
        return new CacheControl(noStore, noCache, priv, pub, mustRevalidate, maxAge, sMaxAge, swr, sie);
    }

    /** delta-seconds; an invalid value counts as 0 (RFC 9111 §1.2.2: treat as stale), huge values are capped. */
    private static long seconds(String arg) {
        if (arg == null) return 0;
        String a = arg.startsWith("\"") && arg.endsWith("\"") && arg.length() >= 2 ? arg.substring(1, arg.length() - 1) : arg;
        if (a.isEmpty() || !a.chars().allMatch(Character::isDigit)) return 0;
        if (a.length() > 10) return Integer.MAX_VALUE;
        return Math.min(Long.parseLong(a), Integer.MAX_VALUE);
    }
}
