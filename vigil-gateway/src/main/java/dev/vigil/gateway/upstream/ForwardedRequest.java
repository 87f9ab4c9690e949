package dev.vigil.gateway.upstream;

import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.util.AsciiString;

/**
 * A request head as the gateway sends it upstream: the client's fields minus those the gateway replaces or drops,
 * then the gateway's own, in that order. {@link RequestEncoder} writes it in one pass over the client's fields,
 * so forwarding edits no header map (each set or remove there hashes the name).
 *
 * @param omit    lower-case names of client fields not to send; must include every name in {@code added}
 * @param added   the gateway's fields as name, value, name, value …
 * @param chunked the body follows in chunks (the client's was chunked); otherwise as declared by Content-Length
 */
public record ForwardedRequest(HttpMethod method, String target, HttpHeaders fields, AsciiString[] omit,
                               CharSequence[] added, boolean chunked) {
    /** Whether the client's field {@code name} is sent. */
    boolean keeps(CharSequence name) {
        int n = name.length();
        for (AsciiString o : omit) {
            if (o.length() == n && o.contentEqualsIgnoreCase(name)) return false;
        }
        return true;
    }
}
