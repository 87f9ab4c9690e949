package dev.vigil.gateway.pipeline;

import io.netty.util.AsciiString;

/** Header names the gateway adds or rewrites. */
public final class VigilHeaders {
    private VigilHeaders() {}

    public static final AsciiString REQUEST_ID = AsciiString.cached("x-request-id");
    public static final AsciiString X_FORWARDED_FOR = AsciiString.cached("x-forwarded-for");
    public static final AsciiString X_FORWARDED_PROTO = AsciiString.cached("x-forwarded-proto");
    public static final AsciiString X_FORWARDED_HOST = AsciiString.cached("x-forwarded-host");
    public static final AsciiString FORWARDED = AsciiString.cached("forwarded");
    /** Hop-by-hop (RFC 9112 does not define it, but HTTP/1.0-era servers send it); Netty deprecated its constant. */
    public static final AsciiString KEEP_ALIVE = AsciiString.cached("keep-alive");
}
