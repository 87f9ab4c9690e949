package dev.vigil.gateway.policy.cache;

import dev.vigil.gateway.policy.Header;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * A complete response (fully read body), as fetched from the upstream or served from the cache.
 *
 * @param status  HTTP status
 * @param headers header fields in upstream order
 * @param body    the body; never modified after construction
 */
public record UpstreamResponse(int status, List<Header> headers, byte[] body) {
    public UpstreamResponse {
        headers = List.copyOf(headers);
        Objects.requireNonNull(body, "body");
    }

    /** The first value of a header, case-insensitive; {@code null} when absent. */
    public String header(String name) {
        for (Header h : headers) if (h.name().equalsIgnoreCase(name)) return h.value();
        return null;
    }

    /** All values of a header joined with {@code ", "}; {@code null} when absent. */
    String joined(String name) {
        StringBuilder sb = null;
        for (Header h : headers) {
            if (h.name().equalsIgnoreCase(name)) {
                if (sb == null) sb = new StringBuilder(h.value());
                else sb.append(", ").append(h.value());
            }
        }
        return sb == null ? null : sb.toString();
    }

    /** A copy with {@code name} set to {@code value} (replacing any existing field). */
    UpstreamResponse with(String name, String value) {
        List<Header> out = new ArrayList<>(headers.size() + 1);
        String lower = name.toLowerCase(Locale.ROOT);
        for (Header h : headers) if (!h.name().toLowerCase(Locale.ROOT).equals(lower)) out.add(h);
        out.add(new Header(name, value));
        return new UpstreamResponse(status, out, body);
    }

    /** The same response without its body (answer to HEAD). */
    UpstreamResponse withoutBody() {
        return new UpstreamResponse(status, headers, new byte[0]);
    }
}
