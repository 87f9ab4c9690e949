package dev.vigil.gateway.pipeline;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.DefaultByteBufHolder;

/**
 * A piece of a forwarded upstream response, already encoded for the client ({@link ForwardedResponse}), with what
 * the stages between the proxy and the codec need to know about it. The codec passes the bytes through unchanged.
 */
final class ResponseBytes extends DefaultByteBufHolder {
    /** The response's status on the piece that starts with its head; 0 on the pieces after it. */
    final int status;
    /** Body bytes in this piece, chunk framing not counted. */
    final long bodyBytes;
    /** The response's end. */
    final boolean last;

    ResponseBytes(ByteBuf bytes, int status, long bodyBytes, boolean last) {
        super(bytes);
        this.status = status;
        this.bodyBytes = bodyBytes;
        this.last = last;
    }

    /** The final status a written message starts (an object or a byte response head); 0 for anything else. */
    static int finalStatus(Object msg) {
        if (msg instanceof ResponseBytes b) return b.status;
        if (msg instanceof io.netty.handler.codec.http.HttpResponse r && r.status().code() >= 200) return r.status().code();
        return 0;
    }
}
