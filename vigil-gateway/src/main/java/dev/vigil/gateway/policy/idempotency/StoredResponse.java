package dev.vigil.gateway.policy.idempotency;

import dev.vigil.gateway.policy.Header;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * A response kept for replay: status, end-to-end headers and the complete body.
 *
 * @param status  HTTP status
 * @param headers end-to-end headers as the upstream sent them (see {@link #keep})
 * @param body    the whole body (never shared: do not modify)
 */
public record StoredResponse(int status, List<Header> headers, byte[] body) {

    public static final String REPLAYED_HEADER = "Idempotent-Replayed";

    /** Headers never stored: hop-by-hop, framing recomputed on replay, and per-request policy fields. */
    private static final Set<String> DROPPED = Set.of("connection", "keep-alive", "proxy-connection", "transfer-encoding",
            "te", "trailer", "upgrade", "content-length", "date", "ratelimit", "ratelimit-policy", "retry-after",
            "x-cache", "idempotent-replayed");

    public StoredResponse {
        if (status < 100 || status > 599) throw new IllegalArgumentException("status must be 100-599: " + status);
        headers = List.copyOf(headers);
        Objects.requireNonNull(body, "body");
    }

    /** Keeps only the headers worth replaying. */
    public static List<Header> keep(List<Header> headers) {
        List<Header> kept = new ArrayList<>(headers.size());
        for (Header h : headers) if (!DROPPED.contains(h.name().toLowerCase(Locale.ROOT))) kept.add(h);
        return kept;
    }

    /** Headers to send on a replay: the stored ones plus {@code Idempotent-Replayed: true}. */
    public List<Header> replayHeaders() {
        List<Header> out = new ArrayList<>(headers);
        out.add(new Header(REPLAYED_HEADER, "true"));
        return out;
    }
}
