package dev.vigil.gateway.upstream;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.util.AsciiString;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads HTTP/1.1 responses off an upstream connection without building header maps: it finds the field lines of
 * the head and emits an {@link UpstreamHead} holding a copy of the head's bytes with their positions, then the body
 * as {@link UpstreamBody} slices of the received buffers (no copy), or a single {@link UpstreamMalformed} when the
 * upstream broke the protocol.
 *
 * <h2>Why not Netty's HttpClientCodec</h2>
 * A proxy forwards nearly every response field unchanged, so decoding each name and value into a hashed header map
 * and encoding them again for the client is work spent on fields nobody reads: with the request side's equivalent
 * ({@link RequestEncoder}) it was about 15 % of the gateway's CPU per request (BENCHMARKS.md). This parser looks at the few fields the proxy acts on (framing, {@code Connection},
 * {@code Keep-Alive}) and marks the hop-by-hop ones; the rest stay bytes. A response whose body arrived with its
 * head travels as one message.
 *
 * <h2>Strictness</h2>
 * What a proxy must not pass on is refused (RFC 9112): a status line that is not {@code HTTP/1.0} or
 * {@code HTTP/1.1} with a three-digit code, a field name with a character that is not a token character or with
 * whitespace before its colon, control characters in a value (a bare CR could split the response for a client),
 * lines not ended by CRLF, obsolete line folding, a head over the size limit, a {@code Content-Length} that is not a
 * number or that differs between fields, a bad chunk size. With both {@code Transfer-Encoding} and
 * {@code Content-Length} the former wins and the connection is not reused (RFC 9112 §6.3). A
 * {@code Transfer-Encoding} that does not end in {@code chunked} is delimited by the close.
 *
 * <p>The connection must say before each request whether it is a HEAD ({@link #expect}): the response to a HEAD
 * has no body whatever its fields say. Bytes that arrive when no response is expected are malformed too.
 * One instance per connection; confined to its event loop.
 */
public final class ResponseParser extends ByteToMessageDecoder {
    private enum State { HEAD, BODY_LENGTH, CHUNK_SIZE, CHUNK_DATA, CHUNK_END, TRAILERS, BODY_CLOSE, IDLE, BROKEN }

    /** The longest chunk-size line accepted, extensions included. */
    static final int MAX_CHUNK_LINE_BYTES = 4096;

    private static final AsciiString CONTENT_LENGTH = AsciiString.cached("content-length");
    private static final AsciiString TRANSFER_ENCODING = AsciiString.cached("transfer-encoding");
    private static final AsciiString CONNECTION = AsciiString.cached("connection");
    private static final AsciiString KEEP_ALIVE = AsciiString.cached("keep-alive");
    private static final AsciiString TRAILER = AsciiString.cached("trailer");
    /** More {@code Connection} options than any real response names: refused rather than matched field by field. */
    private static final int MAX_CONNECTION_OPTIONS = 32;

    private static final boolean[] TCHAR = new boolean[256];

    static {
        for (char c = '0'; c <= '9'; c++) TCHAR[c] = true;
        for (char c = 'a'; c <= 'z'; c++) TCHAR[c] = true;
        for (char c = 'A'; c <= 'Z'; c++) TCHAR[c] = true;
        for (char c : "!#$%&'*+-.^_`|~".toCharArray()) TCHAR[c] = true;
    }

    private static final AsciiString CHUNKED = AsciiString.cached("chunked");

    private final int maxHeadBytes;
    /** The head being parsed, copied out of the buffer. */
    private byte[] scratch = new byte[1024];
    private State state = State.HEAD;
    private boolean headRequest;
    private long remaining;
    /** Bytes of the head or trailer section being received already searched for its end (whole lines). */
    private int scanned;
    private int[] fields = new int[4 * 16];

    public ResponseParser(int maxHeadBytes) {
        this.maxHeadBytes = maxHeadBytes;
    }

    /**
     * A request is about to be sent on this connection; its response is read next. {@code headRequest}: it is a
     * HEAD, so the response has no body.
     */
    public void expect(boolean headRequest) {
        this.headRequest = headRequest;
        if (state == State.IDLE) state = State.HEAD;
    }

    @Override protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        // ByteToMessageDecoder hands each call an empty list: everything after bodyStart is the current response's
        // body, and headOfThisRead is its head when that was decoded in this call too.
        UpstreamHead headOfThisRead = null;
        int bodyStart = 0;
        while (in.isReadable()) {
            switch (state) {
                case HEAD -> {
                    UpstreamHead h = head(in, out);
                    if (h == null) return; // incomplete, or broken
                    out.add(h);
                    if (!h.informational() && h.completeBody() == null) {
                        headOfThisRead = h;
                        bodyStart = out.size();
                    }
                }
                case BODY_LENGTH, CHUNK_DATA -> {
                    int n = (int) Math.min(in.readableBytes(), remaining);
                    remaining -= n;
                    boolean end = remaining == 0;
                    boolean last = end && state == State.BODY_LENGTH;
                    out.add(new UpstreamBody(in.readRetainedSlice(n), last, List.of()));
                    if (end) state = state == State.BODY_LENGTH ? State.IDLE : State.CHUNK_END;
                }
                case CHUNK_END -> {
                    if (in.readableBytes() < 2) return;
                    if (in.readShort() != UpstreamHead.CRLF) {
                        broken(in, out, "chunk data not followed by CRLF");
                        return;
                    }
                    state = State.CHUNK_SIZE;
                }
                case CHUNK_SIZE -> {
                    if (!chunkSize(in, out)) return;
                }
                case TRAILERS -> {
                    List<Map.Entry<String, String>> trailers = trailers(in, out);
                    if (trailers == null) return;
                    state = State.IDLE;
                    // The last data piece decoded in this read, if any, becomes the last piece: one message less.
                    if (out.size() > bodyStart) {
                        UpstreamBody prev = (UpstreamBody) out.remove(out.size() - 1);
                        out.add(new UpstreamBody(prev.content(), true, trailers));
                    } else {
                        out.add(new UpstreamBody(Unpooled.EMPTY_BUFFER, true, trailers));
                    }
                    // A head and its whole body (one piece, no trailers) from one read travel as one message.
                    if (headOfThisRead != null && trailers.isEmpty() && out.size() - bodyStart == 1) {
                        headOfThisRead.completeBody(((UpstreamBody) out.remove(bodyStart)).content());
                    }
                }
                case BODY_CLOSE -> out.add(new UpstreamBody(in.readRetainedSlice(in.readableBytes()), false, List.of()));
                case IDLE -> {
                    broken(in, out, "bytes from the upstream while no response was expected");
                    return;
                }
                case BROKEN -> {
                    in.skipBytes(in.readableBytes());
                    return;
                }
            }
        }
    }

    @Override protected void decodeLast(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
        if (in.isReadable()) decode(ctx, in, out);
        if (state == State.BODY_CLOSE) {
            state = State.IDLE;
            out.add(new UpstreamBody(Unpooled.EMPTY_BUFFER, true, List.of()));
        }
    }

    /**
     * Parses a complete head at the reader index; null (nothing consumed) when incomplete or broken. The head's
     * end is found on the buffer (a vectorised search for LF), then the head is copied once into a scratch array
     * and parsed there: byte-by-byte reads of a ByteBuf each check its reference count and bounds.
     */
    private UpstreamHead head(ByteBuf in, List<Object> out) {
        int headLength = headLength(in);
        if (headLength == -2) return brokenNull(in, out, "response head larger than " + maxHeadBytes + " bytes");
        if (headLength < 0) return null;
        byte[] a = copy(in, headLength);
        int lineEnd = lineEnd(a, 0, headLength);
        if (lineEnd < 0) return brokenNull(in, out, "response line not ended by CRLF");
        // Status line: HTTP/1.x SP 3DIGIT [SP reason]
        if (lineEnd < 12 || !startsWithHttp1(a) || a[8] != ' ' || (lineEnd > 12 && a[12] != ' ')) {
            return brokenNull(in, out, "malformed status line");
        }
        boolean http11 = a[7] == '1';
        int status = 0;
        for (int k = 9; k < 12; k++) {
            byte d = a[k];
            if (d < '0' || d > '9') return brokenNull(in, out, "malformed status code");
            status = status * 10 + (d - '0');
        }
        if (status < 100) return brokenNull(in, out, "malformed status code");
        if (hasControl(a, 13, lineEnd)) return brokenNull(in, out, "control character in the reason phrase");

        int count = 0;
        long contentLength = -1;
        boolean chunked = false, transferEncoding = false, close = false, keepAliveToken = false;
        String keepAliveParameter = null;
        List<String> connectionTokens = null;
        int p = lineEnd + 2;
        while (true) {
            int end = lineEnd(a, p, headLength);
            if (end < 0) return brokenNull(in, out, "response field not ended by CRLF");
            if (end == p) break; // the empty line: end of the head
            int nameEnd = p;
            while (nameEnd < end && TCHAR[a[nameEnd] & 0xff]) nameEnd++;
            if (nameEnd == p) {
                return brokenNull(in, out, a[p] == ' ' || a[p] == '\t' ? "obsolete line folding in a response field" : "malformed response field name");
            }
            if (nameEnd == end || a[nameEnd] != ':') return brokenNull(in, out, "malformed response field name");
            int vs = nameEnd + 1, ve = end;
            while (vs < ve && isOws(a[vs])) vs++;
            while (ve > vs && isOws(a[ve - 1])) ve--;
            if (hasControl(a, vs, ve)) return brokenNull(in, out, "control character in a response field value");
            if (4 * count + 4 > fields.length) fields = Arrays.copyOf(fields, fields.length * 2);
            fields[4 * count] = p;
            fields[4 * count + 1] = nameEnd;
            fields[4 * count + 2] = vs;
            fields[4 * count + 3] = ve;
            int nameLength = nameEnd - p;
            if (nameLength == 14 && nameEquals(a, p, CONTENT_LENGTH)) {
                long v = digits(a, vs, ve);
                if (v < 0 || (contentLength >= 0 && contentLength != v)) return brokenNull(in, out, "invalid or conflicting Content-Length");
                contentLength = v;
            } else if (nameLength == 17 && nameEquals(a, p, TRANSFER_ENCODING)) {
                transferEncoding = true;
                chunked = lastCodingIsChunked(a, vs, ve); // a later field's codings follow an earlier one's
            } else if (nameLength == 10 && nameEquals(a, p, CONNECTION)) {
                for (String token : new String(a, vs, ve - vs, StandardCharsets.ISO_8859_1).split(",")) {
                    String t = token.trim().toLowerCase(Locale.ROOT);
                    if (t.equals("close")) {
                        close = true;
                    } else if (t.equals("keep-alive")) {
                        keepAliveToken = true;
                    } else if (!t.isEmpty() && !t.equals("content-length")) {
                        // Content-Length is the response's framing, never a connection option.
                        if (connectionTokens == null) connectionTokens = new ArrayList<>(2);
                        connectionTokens.add(t);
                        if (connectionTokens.size() > MAX_CONNECTION_OPTIONS) return brokenNull(in, out, "too many Connection options");
                    }
                }
            } else if (nameLength == 10 && keepAliveParameter == null && nameEquals(a, p, KEEP_ALIVE)) {
                keepAliveParameter = new String(a, vs, ve - vs, StandardCharsets.ISO_8859_1);
            }
            count++;
            p = end + 2;
        }

        boolean keepAlive = !close && (http11 || keepAliveToken); // close wins in either version (RFC 9112 §9.3)
        boolean bodyless = headRequest || status < 200 || status == 204 || status == 304;
        UpstreamHead.Framing framing;
        if (bodyless) {
            framing = UpstreamHead.Framing.NONE;
        } else if (transferEncoding) {
            // RFC 9112 §6.3: Transfer-Encoding overrides Content-Length; a response carrying both is suspect, so
            // the connection is not reused. A coding other than chunked last: the body ends with the connection.
            if (contentLength >= 0) keepAlive = false;
            framing = chunked ? UpstreamHead.Framing.CHUNKED : UpstreamHead.Framing.CLOSE;
        } else if (contentLength >= 0) {
            framing = UpstreamHead.Framing.CONTENT_LENGTH;
        } else {
            framing = UpstreamHead.Framing.CLOSE;
        }
        if (framing == UpstreamHead.Framing.CLOSE) keepAlive = false;

        // Never forwarded: hop-by-hop fields; a Content-Length the chunks or the close overrule; repeats of an equal
        // Content-Length (strict clients refuse a response with two).
        boolean lengthForwarded = framing == UpstreamHead.Framing.CONTENT_LENGTH || framing == UpstreamHead.Framing.NONE;
        boolean lengthSeen = false;
        long[] dropped = new long[(count + 63) >>> 6];
        for (int i = 0; i < count; i++) {
            boolean drop = hopByHop(a, i, connectionTokens);
            if (!drop && fields[4 * i + 1] - fields[4 * i] == 14 && nameEquals(a, fields[4 * i], CONTENT_LENGTH)) {
                drop = !lengthForwarded || lengthSeen;
                lengthSeen = true;
            }
            if (drop) dropped[i >>> 6] |= 1L << i;
        }

        in.skipBytes(headLength);
        UpstreamHead h = new UpstreamHead(Arrays.copyOf(a, headLength), lineEnd, status, http11,
                Arrays.copyOf(fields, 4 * count), count, dropped, framing,
                framing == UpstreamHead.Framing.CONTENT_LENGTH ? contentLength : -1, keepAlive, keepAliveParameter);
        if (status < 200) {
            state = State.HEAD; // informational: the final response follows
            return h;
        }
        switch (framing) {
            case NONE -> {
                h.completeBody(Unpooled.EMPTY_BUFFER);
                state = State.IDLE;
            }
            case CONTENT_LENGTH -> {
                if (contentLength <= in.readableBytes()) {
                    h.completeBody(contentLength == 0 ? Unpooled.EMPTY_BUFFER : in.readRetainedSlice((int) contentLength));
                    state = State.IDLE;
                } else {
                    remaining = contentLength;
                    state = State.BODY_LENGTH;
                }
            }
            case CHUNKED -> state = State.CHUNK_SIZE;
            case CLOSE -> state = State.BODY_CLOSE;
        }
        return h;
    }

    /**
     * The length of the head at the reader index, up to and including the empty line's LF: -1 while incomplete, -2
     * when it is (or already has become) larger than the limit. Lines are only delimited here, not checked.
     */
    private int headLength(ByteBuf in) {
        return blockLength(in, false);
    }

    /**
     * The length of a block of lines (a head, or a trailer section, which may be empty) ending in an empty line, at
     * the reader index; -1 while incomplete, -2 when over the limit. Resumes where the previous call stopped, so a
     * block arriving a byte at a time is scanned once, not once per read.
     */
    private int blockLength(ByteBuf in, boolean mayBeEmpty) {
        int from = in.readerIndex();
        int limit = Math.min(in.writerIndex(), from + maxHeadBytes);
        int p = from + scanned;
        while (true) {
            int lf = in.indexOf(p, limit, (byte) '\n');
            if (lf < 0) {
                scanned = p - from; // the start of the incomplete line
                return in.readableBytes() >= maxHeadBytes ? -2 : -1;
            }
            if (lf - p <= 1 && (p > from || mayBeEmpty)) { // an empty line (or a bare LF, refused by the parse)
                scanned = 0;
                return lf + 1 - from;
            }
            p = lf + 1;
        }
    }

    /** Parses a chunk-size line (copied out of the buffer, like a head); false when incomplete or broken. */
    private boolean chunkSize(ByteBuf in, List<Object> out) {
        int base = in.readerIndex();
        int lf = in.indexOf(base, in.writerIndex(), (byte) '\n');
        if (lf < 0) {
            if (in.readableBytes() > MAX_CHUNK_LINE_BYTES) broken(in, out, "chunk size line too long");
            return false;
        }
        int length = lf + 1 - base;
        if (length - 2 > MAX_CHUNK_LINE_BYTES) {
            broken(in, out, "chunk size line too long");
            return false;
        }
        byte[] a = copy(in, length);
        int end = lineEnd(a, 0, length);
        if (end < 0) {
            broken(in, out, "chunk size not ended by CRLF");
            return false;
        }
        long size = 0;
        int k = 0;
        for (; k < end; k++) {
            int d = Character.digit((char) (a[k] & 0xff), 16);
            if (d < 0) break;
            if (k >= 15) {
                broken(in, out, "chunk size too large");
                return false;
            }
            size = size * 16 + d;
        }
        if (k == 0) {
            broken(in, out, "malformed chunk size");
            return false;
        }
        // chunk-ext: BWS ";" ..., no control characters
        while (k < end && isOws(a[k])) k++;
        if (k < end && a[k] != ';') {
            broken(in, out, "malformed chunk size");
            return false;
        }
        if (hasControl(a, k, end)) {
            broken(in, out, "control character in a chunk extension");
            return false;
        }
        in.skipBytes(length);
        if (size == 0) {
            state = State.TRAILERS;
        } else {
            remaining = size;
            state = State.CHUNK_DATA;
        }
        return true;
    }

    /**
     * The trailer section after the last chunk; null when incomplete or broken. Fields that may not be trailers
     * (framing, {@code Trailer}, hop-by-hop ones: RFC 9110 §6.5.1) are dropped rather than forwarded.
     */
    private List<Map.Entry<String, String>> trailers(ByteBuf in, List<Object> out) {
        int length = blockLength(in, true);
        if (length == -2) {
            broken(in, out, "trailer section larger than " + maxHeadBytes + " bytes");
            return null;
        }
        if (length < 0) return null;
        byte[] a = copy(in, length);
        List<Map.Entry<String, String>> trailers = List.of();
        int p = 0;
        while (true) {
            int end = lineEnd(a, p, length);
            if (end < 0) {
                broken(in, out, "trailer field not ended by CRLF");
                return null;
            }
            if (end == p) {
                in.skipBytes(length);
                return trailers;
            }
            int colon = p;
            while (colon < end && TCHAR[a[colon] & 0xff]) colon++;
            if (colon == p || colon == end || a[colon] != ':') {
                broken(in, out, "malformed trailer field");
                return null;
            }
            int vs = colon + 1, ve = end;
            while (vs < ve && isOws(a[vs])) vs++;
            while (ve > vs && isOws(a[ve - 1])) ve--;
            if (hasControl(a, vs, ve)) {
                broken(in, out, "control character in a trailer field");
                return null;
            }
            if (!notATrailer(a, p, colon - p)) {
                if (trailers.isEmpty()) trailers = new ArrayList<>(2);
                trailers.add(Map.entry(new String(a, p, colon - p, StandardCharsets.ISO_8859_1),
                        new String(a, vs, ve - vs, StandardCharsets.ISO_8859_1)));
            }
            p = end + 2;
        }
    }

    private static boolean notATrailer(byte[] a, int at, int length) {
        if (length == CONTENT_LENGTH.length() && nameEquals(a, at, CONTENT_LENGTH)) return true;
        if (length == TRAILER.length() && nameEquals(a, at, TRAILER)) return true;
        for (AsciiString hop : HopByHop.NAMES) {
            if (hop.length() == length && nameEquals(a, at, hop)) return true;
        }
        return false;
    }

    /** The first {@code length} readable bytes, copied into the scratch array (not consumed). */
    private byte[] copy(ByteBuf in, int length) {
        if (scratch.length < length) scratch = new byte[Math.max(length, 2 * scratch.length)];
        in.getBytes(in.readerIndex(), scratch, 0, length);
        return scratch;
    }

    /** The index of the CR of the CRLF ending the line at {@code from}; -1 for a bare LF or CR, or no LF. */
    private static int lineEnd(byte[] a, int from, int limit) {
        for (int k = from; k < limit; k++) {
            byte b = a[k];
            if (b == '\r') return k + 1 < limit && a[k + 1] == '\n' ? k : -1;
            if (b == '\n') return -1;
        }
        return -1;
    }

    /** Whether {@code a[from, to)} holds a control character other than HTAB (or DEL). */
    private static boolean hasControl(byte[] a, int from, int to) {
        for (int k = from; k < to; k++) {
            int b = a[k] & 0xff;
            if ((b < 0x20 && b != '\t') || b == 0x7f) return true;
        }
        return false;
    }

    private static boolean startsWithHttp1(byte[] a) {
        return a[0] == 'H' && a[1] == 'T' && a[2] == 'T' && a[3] == 'P' && a[4] == '/' && a[5] == '1' && a[6] == '.'
                && (a[7] == '1' || a[7] == '0');
    }

    /** Whether {@code a} spells {@code name} (a lower-case ASCII name) at {@code at}, ignoring case. */
    static boolean nameEquals(byte[] a, int at, AsciiString name) {
        for (int k = 0; k < name.length(); k++) {
            if (lower(a[at + k]) != name.byteAt(k)) return false;
        }
        return true;
    }

    /** A non-negative decimal of at most 18 digits; -1 otherwise. */
    private static long digits(byte[] a, int from, int to) {
        if (to <= from || to - from > 18) return -1;
        long v = 0;
        for (int k = from; k < to; k++) {
            byte d = a[k];
            if (d < '0' || d > '9') return -1;
            v = v * 10 + (d - '0');
        }
        return v;
    }

    private static boolean lastCodingIsChunked(byte[] a, int from, int to) {
        int comma = to;
        while (comma > from && a[comma - 1] != ',') comma--;
        int s = comma, e = to;
        while (s < e && isOws(a[s])) s++;
        while (e > s && isOws(a[e - 1])) e--;
        return e - s == 7 && nameEquals(a, s, CHUNKED);
    }

    private boolean hopByHop(byte[] a, int i, List<String> connectionTokens) {
        int start = fields[4 * i], length = fields[4 * i + 1] - start;
        for (AsciiString hop : HopByHop.NAMES) {
            if (hop.length() == length && nameEquals(a, start, hop)) return true;
        }
        if (connectionTokens != null) {
            for (String t : connectionTokens) {
                if (t.length() == length && nameEquals(a, start, new AsciiString(t))) return true;
            }
        }
        return false;
    }

    private UpstreamHead brokenNull(ByteBuf in, List<Object> out, String reason) {
        broken(in, out, reason);
        return null;
    }

    private void broken(ByteBuf in, List<Object> out, String reason) {
        state = State.BROKEN;
        in.skipBytes(in.readableBytes());
        out.add(new UpstreamMalformed(reason));
    }

    private static boolean isOws(byte b) {
        return b == ' ' || b == '\t';
    }

    /** ASCII lower case of a byte. */
    private static byte lower(byte b) {
        return b >= 'A' && b <= 'Z' ? (byte) (b + 32) : b;
    }
}
