package dev.vigil.gateway.pipeline;

import dev.vigil.gateway.policy.Header;
import dev.vigil.gateway.upstream.UpstreamBody;
import dev.vigil.gateway.upstream.UpstreamHead;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.CompositeByteBuf;
import io.netty.util.AsciiString;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * An upstream response re-framed for the client as bytes, without Netty's HTTP objects: the status line with the
 * client's version, the upstream's end-to-end field lines copied as received (runs of lines, one copy each), then
 * the fields the gateway sets
 * ({@code X-Request-Id}, a policy's fields such as RateLimit, {@code Connection}, {@code Transfer-Encoding}).
 *
 * <p>The same rules as {@link Forwarding#clientResponse} and the telemetry stage apply to object responses: a
 * field the gateway sets replaces the upstream's of that name; a body delimited by chunks or by the close is sent
 * chunked to an HTTP/1.1 client and close-delimited to an HTTP/1.0 one (whose connection then closes). One instance
 * per response; confined to the client connection's event loop.
 */
final class ForwardedResponse {
    /** A body up to this size is copied behind its head (one buffer, one write); a larger one goes as a slice. */
    private static final int COPY_BODY_BYTES = 16 * 1024;
    private static final byte[] HTTP_1_1 = "HTTP/1.1".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] HTTP_1_0 = "HTTP/1.0".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] LAST_CHUNK = "0\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final short CRLF = ('\r' << 8) | '\n';

    private final boolean chunked;
    private final int status;

    private ForwardedResponse(boolean chunked, int status) {
        this.chunked = chunked;
        this.status = status;
    }

    /**
     * Starts forwarding {@code head} (a final response) for {@code ex}: decides the client's framing (clearing
     * {@code ex.keepAlive} when only a close can end the body) and returns the encoder for its pieces.
     */
    static ForwardedResponse start(UpstreamHead head, Exchange ex) {
        UpstreamHead.Framing f = head.framing();
        boolean unframed = f == UpstreamHead.Framing.CHUNKED || f == UpstreamHead.Framing.CLOSE;
        if (unframed && ex.http10) ex.keepAlive = false;
        return new ForwardedResponse(unframed && !ex.http10, head.status());
    }

    /** The head (and the complete body, when it came with the head) as the message for the client. */
    ResponseBytes head(UpstreamHead h, Exchange ex, ByteBufAllocator alloc) {
        ByteBuf body = h.completeBody();
        int bodyLength = body == null ? 0 : body.readableBytes();
        boolean copyBody = body != null && bodyLength <= COPY_BODY_BYTES;
        ByteBuf out = alloc.buffer(256 + 64 * h.fieldCount() + (copyBody ? bodyLength + 16 : 0));
        out.writeBytes(ex.http10 ? HTTP_1_0 : HTTP_1_1);
        h.copyStatusAfterVersion(out);
        List<Header> set = ex.responseHeaders;
        AsciiString[] setNames = set == null ? null : lowerCaseNames(set);
        int run = 0; // the first field of the current run of kept fields
        for (int i = 0; i < h.fieldCount(); i++) {
            boolean kept = !h.hopByHop(i) && !(ex.requestId != null && h.nameIs(i, VigilHeaders.REQUEST_ID))
                    && !(setNames != null && setByGateway(h, i, setNames));
            if (!kept) {
                h.copyFields(run, i, out);
                run = i + 1;
            }
        }
        h.copyFields(run, h.fieldCount(), out);
        if (ex.requestId != null) field(out, VigilHeaders.REQUEST_ID, ex.requestId);
        if (set != null) for (Header s : set) field(out, s.name(), s.value());
        if (!ex.keepAlive) {
            field(out, "connection", "close");
        } else if (ex.http10) {
            field(out, "connection", "keep-alive");
        }
        if (chunked) field(out, "transfer-encoding", "chunked");
        out.writeShort(CRLF);
        if (body == null) return new ResponseBytes(out, status, 0, false);
        if (copyBody) {
            if (chunked) {
                if (bodyLength > 0) chunk(out, body, bodyLength); // an empty body is the last chunk alone
                lastChunk(out, List.of());
            } else {
                out.writeBytes(body, body.readerIndex(), bodyLength);
            }
            return new ResponseBytes(out, status, bodyLength, true);
        }
        CompositeByteBuf all = alloc.compositeBuffer(4); // head, chunk size, data, chunk end: no consolidating copy
        all.addComponent(true, out);
        appendPiece(all, body.retainedSlice(), true, List.of(), alloc);
        return new ResponseBytes(all, status, bodyLength, true);
    }

    /** A body piece as the message for the client. */
    ResponseBytes body(UpstreamBody piece, ByteBufAllocator alloc) {
        ByteBuf data = piece.content();
        int n = data.readableBytes();
        if (!chunked) return new ResponseBytes(data.retain(), 0, n, piece.last());
        if (n <= COPY_BODY_BYTES) {
            ByteBuf out = alloc.buffer(n + 32);
            if (n > 0) chunk(out, data, n);
            if (piece.last()) lastChunk(out, piece.trailers());
            return new ResponseBytes(out, 0, n, piece.last());
        }
        CompositeByteBuf all = alloc.compositeBuffer(3);
        appendPiece(all, data.retain(), piece.last(), piece.trailers(), alloc);
        return new ResponseBytes(all, 0, n, piece.last());
    }

    /** Adds {@code data} (owned) chunk-framed to {@code all}, and the last chunk when {@code last}. */
    private void appendPiece(CompositeByteBuf all, ByteBuf data, boolean last, List<Map.Entry<String, String>> trailers,
                             ByteBufAllocator alloc) {
        int n = data.readableBytes();
        if (!chunked) {
            all.addComponent(true, data);
            return;
        }
        ByteBuf prefix = alloc.buffer(18);
        prefix.writeCharSequence(Integer.toHexString(n), StandardCharsets.US_ASCII);
        prefix.writeShort(CRLF);
        all.addComponent(true, prefix);
        all.addComponent(true, data);
        ByteBuf suffix = alloc.buffer(last ? 64 : 2);
        suffix.writeShort(CRLF);
        if (last) lastChunk(suffix, trailers);
        all.addComponent(true, suffix);
    }

    private static void chunk(ByteBuf out, ByteBuf data, int n) {
        out.writeCharSequence(Integer.toHexString(n), StandardCharsets.US_ASCII);
        out.writeShort(CRLF);
        out.writeBytes(data, data.readerIndex(), n);
        out.writeShort(CRLF);
    }

    private static void lastChunk(ByteBuf out, List<Map.Entry<String, String>> trailers) {
        out.writeBytes(LAST_CHUNK);
        for (Map.Entry<String, String> t : trailers) field(out, t.getKey(), t.getValue());
        out.writeShort(CRLF);
    }

    private static boolean setByGateway(UpstreamHead h, int i, AsciiString[] names) {
        for (AsciiString n : names) {
            if (h.nameIs(i, n)) return true;
        }
        return false;
    }

    private static AsciiString[] lowerCaseNames(List<Header> set) {
        AsciiString[] names = new AsciiString[set.size()];
        for (int k = 0; k < names.length; k++) names[k] = new AsciiString(set.get(k).name().toLowerCase(java.util.Locale.ROOT));
        return names;
    }

    private static void field(ByteBuf out, CharSequence name, CharSequence value) {
        ByteBufUtil.writeAscii(out, name);
        out.writeByte(':');
        out.writeByte(' ');
        out.writeCharSequence(value, StandardCharsets.ISO_8859_1);
        out.writeShort(CRLF);
    }
}
