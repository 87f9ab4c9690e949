package dev.vigil.gateway.upstream;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.AbstractReferenceCounted;
import io.netty.util.AsciiString;
import io.netty.util.ReferenceCounted;

import java.nio.charset.StandardCharsets;
import java.util.function.BiConsumer;

/**
 * An upstream response head as {@link ResponseParser} found it: a copy of the bytes exactly as received (a plain
 * array: reading it byte by byte costs no reference-count or bounds checks, and it holds no network buffer), plus
 * where each field line is and what the gateway needs to know about it (status, framing, keep-alive, which fields
 * never cross the gateway).
 * Nothing is decoded into a header map: the common case copies the kept field lines to the client as they are
 * ({@code ForwardedHead}); {@link #toHttpResponse()} builds Netty's object form for the stages that need one.
 *
 * <p>When the whole body was already received with the head ({@code Content-Length} framing, or no body at all),
 * it comes along as {@link #completeBody()} and no {@link UpstreamBody} follows. Reference counted: releasing the
 * head releases its complete body.
 */
public final class UpstreamHead extends AbstractReferenceCounted {
    /** How the body that follows the head is delimited. */
    public enum Framing { NONE, CONTENT_LENGTH, CHUNKED, CLOSE }

    /** The head as received, status line to the empty line's CRLF. */
    private final byte[] bytes;
    private final int statusLineEnd;
    private final int status;
    private final boolean http11;
    private final int[] fields;
    private final int fieldCount;
    /** Bit i set: field i is hop-by-hop. */
    private final long[] dropped;
    private final Framing framing;
    private final long contentLength;
    private final boolean keepAlive;
    private final String keepAliveParameter;
    private ByteBuf completeBody;

    UpstreamHead(byte[] bytes, int statusLineEnd, int status, boolean http11, int[] fields, int fieldCount,
                 long[] dropped, Framing framing, long contentLength, boolean keepAlive, String keepAliveParameter) {
        this.bytes = bytes;
        this.statusLineEnd = statusLineEnd;
        this.status = status;
        this.http11 = http11;
        this.fields = fields;
        this.fieldCount = fieldCount;
        this.dropped = dropped;
        this.framing = framing;
        this.contentLength = contentLength;
        this.keepAlive = keepAlive;
        this.keepAliveParameter = keepAliveParameter;
    }

    public int status() { return status; }

    public boolean informational() { return status < 200; }

    /** The upstream allows this connection to be reused once the response is complete. */
    public boolean keepAlive() { return keepAlive; }

    /** The {@code Keep-Alive} field's value (e.g. {@code timeout=5}); null when absent. */
    public String keepAliveParameter() { return keepAliveParameter; }

    public Framing framing() { return framing; }

    /** The declared length for {@link Framing#CONTENT_LENGTH}; -1 otherwise. */
    public long contentLength() { return contentLength; }

    /** The whole body, received with the head (empty for a bodiless response); null when body pieces follow. */
    public ByteBuf completeBody() { return completeBody; }

    void completeBody(ByteBuf body) { this.completeBody = body; }

    public int fieldCount() { return fieldCount; }

    /**
     * Whether field {@code i} never crosses the gateway: a hop-by-hop field (RFC 9110 §7.6.1's fixed list, or named
     * in the response's {@code Connection}), or a {@code Content-Length} that does not frame the body (overruled by
     * the chunks or the close, or a repeat of the first).
     */
    public boolean hopByHop(int i) { return (dropped[i >>> 6] & (1L << i)) != 0; }

    /** Whether field {@code i}'s name is {@code name}, a lower-case ASCII name, ignoring the field's case. */
    public boolean nameIs(int i, AsciiString name) {
        int start = fields[4 * i], end = fields[4 * i + 1];
        return end - start == name.length() && ResponseParser.nameEquals(bytes, start, name);
    }

    /**
     * Copies the lines of fields {@code from} to {@code to} (exclusive) exactly as received, CRLFs included: the
     * fields a proxy keeps are usually one run of lines, so forwarding them is one copy.
     */
    public void copyFields(int from, int to, ByteBuf out) {
        if (from >= to) return;
        int start = fields[4 * from];
        int end = to < fieldCount ? fields[4 * to] : bytes.length - 2;
        out.writeBytes(bytes, start, end - start);
    }

    /** Copies what follows the status line's version ({@code " 200 OK"}, the space before the reason always there) and a CRLF. */
    public void copyStatusAfterVersion(ByteBuf out) {
        out.writeBytes(bytes, 8, 4); // " 200" after "HTTP/1.x"
        out.writeByte(' ');
        if (statusLineEnd > 13) out.writeBytes(bytes, 13, statusLineEnd - 13);
        out.writeShort(CRLF);
    }

    String name(int i) {
        return new String(bytes, fields[4 * i], fields[4 * i + 1] - fields[4 * i], StandardCharsets.ISO_8859_1);
    }

    String value(int i) {
        return new String(bytes, fields[4 * i + 2], fields[4 * i + 3] - fields[4 * i + 2], StandardCharsets.ISO_8859_1);
    }

    /** Every end-to-end field, in order, as text. */
    public void forEachEndToEndField(BiConsumer<String, String> visitor) {
        for (int i = 0; i < fieldCount; i++) {
            if (!hopByHop(i)) visitor.accept(name(i), value(i));
        }
    }

    /**
     * Netty's object form of this head, every field included (hop-by-hop ones too, as a decoder would give them,
     * but no Content-Length that does not frame the body),
     * for the stages that read or store responses as objects. The complete body, if any, is not part of it.
     */
    public HttpResponse toHttpResponse() {
        int reasonStart = Math.min(statusLineEnd, 13);
        String reason = new String(bytes, reasonStart, statusLineEnd - reasonStart, StandardCharsets.ISO_8859_1);
        HttpResponse r = new DefaultHttpResponse(http11 ? HttpVersion.HTTP_1_1 : HttpVersion.HTTP_1_0,
                new HttpResponseStatus(status, reason));
        HttpHeaders h = r.headers();
        for (int i = 0; i < fieldCount; i++) {
            // A Content-Length the parser overruled (chunks, the close, a repeat) never reaches a client.
            if (hopByHop(i) && nameIs(i, CONTENT_LENGTH)) continue;
            h.add(name(i), value(i));
        }
        return r;
    }

    @Override public ReferenceCounted touch(Object hint) {
        if (completeBody != null) completeBody.touch(hint);
        return this;
    }

    @Override protected void deallocate() {
        if (completeBody != null) completeBody.release();
    }

    @Override public String toString() {
        return "UpstreamHead(" + status + ", " + framing + (framing == Framing.CONTENT_LENGTH ? " " + contentLength : "")
                + (keepAlive ? ", keep-alive" : ", close") + ")";
    }

    private static final AsciiString CONTENT_LENGTH = AsciiString.cached("content-length");
    static final short CRLF = ('\r' << 8) | '\n';
}
