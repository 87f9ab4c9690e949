package dev.vigil.gateway.policy.ratelimit;

import dev.vigil.gateway.policy.Header;
import dev.vigil.gateway.policy.Problem;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * HTTP rendering of a {@link RateLimitDecision}, following draft-ietf-httpapi-ratelimit-headers
 * (revision 10/11): both fields are Structured Field Lists whose members are a quoted policy
 * identifier with parameters.
 *
 * <pre>
 * RateLimit-Policy: "burst";q=100;w=1;vigil-burst=20, "daily";q=1000000;w=86400
 * RateLimit: "burst";r=19;t=1, "daily";r=999999;t=52000
 * </pre>
 *
 * A rate limit (GCRA) advertises its sustained rate as {@code q} per {@code w} seconds and its burst
 * in the vendor parameter {@code vigil-burst}; its {@code r} is what may be sent back to back now
 * (at most the burst), its {@code t} the seconds until the burst is fully restored — or, when it
 * refused the request, until it admits one again (the same moment as {@code Retry-After}, as the
 * draft asks). A quota's {@code t} is the seconds until its fixed window restarts.
 */
public final class RateLimitHttp {

    public static final String POLICY_HEADER = "RateLimit-Policy";
    public static final String RATELIMIT_HEADER = "RateLimit";
    public static final String RETRY_AFTER_HEADER = "Retry-After";

    /** Problem type registered by the draft for an exceeded quota. */
    public static final String QUOTA_EXCEEDED_TYPE = "https://iana.org/assignments/http-problem-types#quota-exceeded";
    public static final String STATE_UNAVAILABLE_TYPE = "https://vigil.dev/problems/rate-limit-state-unavailable";

    private RateLimitHttp() {}

    /** {@code RateLimit-Policy} value, or {@code null} when no policy applied (send no field). */
    public static String policyField(RateLimitDecision d) {
        if (d.policies().isEmpty()) return null;
        StringBuilder sb = new StringBuilder(64);
        for (PolicyState p : d.policies()) {
            if (!sb.isEmpty()) sb.append(", ");
            appendPolicy(sb, p.name(), p.quota(), p.windowSeconds(), p.burst());
        }
        return sb.toString();
    }

    /** {@code RateLimit} value, or {@code null} when no policy applied. */
    public static String rateLimitField(RateLimitDecision d) {
        if (d.policies().isEmpty()) return null;
        StringBuilder sb = new StringBuilder(64);
        for (PolicyState p : d.policies()) {
            if (!sb.isEmpty()) sb.append(", ");
            appendString(sb, p.name());
            sb.append(";r=").append(p.remaining()).append(";t=").append(p.resetSeconds());
        }
        return sb.toString();
    }

    /** {@code Retry-After} value in delay-seconds, or {@code null} when the request was allowed. */
    public static String retryAfter(RateLimitDecision d) {
        return d.allowed() ? null : Long.toString(d.retryAfterSeconds());
    }

    /**
     * Every header field the decision calls for, ready to add to the response (allowed or refused):
     * {@code RateLimit-Policy} and {@code RateLimit} when policies applied, {@code Retry-After} when refused.
     */
    public static List<Header> responseHeaders(RateLimitDecision d) {
        List<Header> out = new ArrayList<>(3);
        String policy = policyField(d);
        if (policy != null) {
            out.add(new Header(POLICY_HEADER, policy));
            out.add(new Header(RATELIMIT_HEADER, rateLimitField(d)));
        }
        if (!d.allowed()) out.add(new Header(RETRY_AFTER_HEADER, retryAfter(d)));
        return out;
    }

    /** RFC 9457 body for a refused request (429, or 503 when refused by fail-closed). */
    public static Problem problem(RateLimitDecision d) {
        if (d.allowed()) throw new IllegalArgumentException("the request was allowed; there is no problem to report");
        if (d.degraded()) {
            return new Problem(STATE_UNAVAILABLE_TYPE, "Rate limit state unavailable", 503,
                    "The rate limiter's shared state cannot be reached and this route fails closed; retry in "
                            + d.retryAfterSeconds() + " s.", Map.of());
        }
        List<String> violated = d.policies().stream().filter(PolicyState::violated).map(PolicyState::name).toList();
        return new Problem(QUOTA_EXCEEDED_TYPE, "Request cannot be satisfied as assigned quota has been exceeded", 429,
                "Limit " + String.join(", ", violated) + " exceeded; retry in " + d.retryAfterSeconds() + " s.",
                Map.of("violated-policies", violated));
    }

    private static void appendPolicy(StringBuilder sb, String name, long q, long w, long burst) {
        appendString(sb, name);
        sb.append(";q=").append(q).append(";w=").append(w);
        if (burst > 0) sb.append(";vigil-burst=").append(burst);
    }

    /** sf-string: printable ASCII with {@code "} and {@code \} escaped; anything else becomes {@code ?}. */
    private static void appendString(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') sb.append('\\').append(c);
            else if (c >= 0x20 && c < 0x7f) sb.append(c);
            else sb.append('?');
        }
        sb.append('"');
    }
}
