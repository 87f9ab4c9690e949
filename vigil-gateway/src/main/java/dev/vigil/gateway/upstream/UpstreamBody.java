package dev.vigil.gateway.upstream;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.DefaultByteBufHolder;

import java.util.List;
import java.util.Map;

/**
 * A piece of an upstream response body, already without its chunk framing, as {@link ResponseParser} found it in one
 * socket read. The {@link #last()} piece ends the response; after a chunked body it carries the trailer fields.
 */
public final class UpstreamBody extends DefaultByteBufHolder {
    private final boolean last;
    private final List<Map.Entry<String, String>> trailers;

    UpstreamBody(ByteBuf data, boolean last, List<Map.Entry<String, String>> trailers) {
        super(data);
        this.last = last;
        this.trailers = trailers;
    }

    public boolean last() { return last; }

    /** Trailer fields of a chunked body, in order; empty when none (and on every piece but the last). */
    public List<Map.Entry<String, String>> trailers() { return trailers; }
}
