package dev.vigil.load.engine;

import io.netty.buffer.ByteBuf;
import io.netty.util.ByteProcessor;

import java.nio.charset.StandardCharsets;

/**
 * Parses HTTP/1.x responses straight off the connection's bytes, in place. A load generator reads far more
 * responses than it looks at: this parser notes only the status, the framing headers ({@code Content-Length},
 * {@code Transfer-Encoding}, {@code Connection}) and, when a step captures from them, the other headers and the
 * body — no per-response header map or message objects. Netty's {@code HttpResponseDecoder} hashed and stored
 * every header of every response, which was the largest share of vigil's CPU per request in the wrk comparison
 * ({@code bench/load-vs-wrk.sh}).
 *
 * <p>Supports: interim 1xx responses (skipped), bodies framed by Content-Length, chunked transfer coding (with
 * extensions and trailers), bodies delimited by connection close, and bodiless 204/304. Not thread-safe: one per
 * connection, on its event loop.
 */
final class ResponseParser {
    /** Receives what a response holds; {@link #onResponse} once it is complete. */
    interface Listener {
        boolean wantsHeaders();

        boolean wantsBody();

        void onHeader(String name, String value);

        /** A part of the body: {@code length} bytes of {@code data} from {@code index}; copy them to keep them. */
        void onBody(ByteBuf data, int index, int length);

        void onResponse(int status, boolean keepAlive);
    }

    /** A response that is not HTTP/1.x or breaks its own framing. */
    static final class MalformedResponse extends Exception {
        MalformedResponse(String message) {
            super(message, null, false, false);
        }
    }

    static final int MAX_LINE = 8192;
    static final int MAX_HEADER_BYTES = 65536;

    private enum State { STATUS, HEADERS, BODY, UNTIL_CLOSE, CHUNK_SIZE, CHUNK_DATA, CHUNK_END, TRAILERS }

    private State state = State.STATUS;
    private int status;
    private boolean http11;
    private long contentLength;
    private boolean chunked;
    private int connectionHeader; // 0 none, 1 close, 2 keep-alive
    private long remaining;
    private int headerBytes;

    /** True between a response's first byte and its end. */
    boolean inResponse() {
        return state != State.STATUS;
    }

    /** Consumes as much of {@code in} as forms whole lines or body bytes; the rest stays for the next read. */
    void parse(ByteBuf in, Listener listener) throws MalformedResponse {
        while (in.isReadable()) {
            switch (state) {
                case STATUS -> {
                    int eol = lineEnd(in);
                    if (eol < 0) return;
                    int start = in.readerIndex();
                    int len = lineLength(in, start, eol);
                    in.readerIndex(eol + 1);
                    if (len == 0) continue; // tolerate stray CRLF between responses
                    statusLine(in, start, len);
                    headerBytes = 0;
                    contentLength = -1;
                    chunked = false;
                    connectionHeader = 0;
                    state = State.HEADERS;
                }
                case HEADERS -> {
                    int eol = lineEnd(in);
                    if (eol < 0) return;
                    int start = in.readerIndex();
                    int len = lineLength(in, start, eol);
                    in.readerIndex(eol + 1);
                    headerBytes += len + 2;
                    if (headerBytes > MAX_HEADER_BYTES) throw new MalformedResponse("headers larger than 64 KiB");
                    if (len > 0) {
                        header(in, start, len, listener);
                        continue;
                    }
                    endOfHeaders(listener);
                }
                case BODY -> {
                    int n = (int) Math.min(remaining, in.readableBytes());
                    if (listener.wantsBody()) listener.onBody(in, in.readerIndex(), n);
                    in.skipBytes(n);
                    remaining -= n;
                    if (remaining == 0) complete(listener);
                }
                case UNTIL_CLOSE -> {
                    int n = in.readableBytes();
                    if (listener.wantsBody()) listener.onBody(in, in.readerIndex(), n);
                    in.skipBytes(n);
                }
                case CHUNK_SIZE -> {
                    int eol = lineEnd(in);
                    if (eol < 0) return;
                    int start = in.readerIndex();
                    int len = lineLength(in, start, eol);
                    in.readerIndex(eol + 1);
                    long size = chunkSize(in, start, len);
                    if (size == 0) {
                        state = State.TRAILERS;
                    } else {
                        remaining = size;
                        state = State.CHUNK_DATA;
                    }
                }
                case CHUNK_DATA -> {
                    int n = (int) Math.min(remaining, in.readableBytes());
                    if (listener.wantsBody()) listener.onBody(in, in.readerIndex(), n);
                    in.skipBytes(n);
                    remaining -= n;
                    if (remaining == 0) state = State.CHUNK_END;
                }
                case CHUNK_END -> {
                    int eol = lineEnd(in);
                    if (eol < 0) return;
                    int len = lineLength(in, in.readerIndex(), eol);
                    in.readerIndex(eol + 1);
                    if (len != 0) throw new MalformedResponse("chunk data longer than its size");
                    state = State.CHUNK_SIZE;
                }
                case TRAILERS -> {
                    int eol = lineEnd(in);
                    if (eol < 0) return;
                    int len = lineLength(in, in.readerIndex(), eol);
                    in.readerIndex(eol + 1);
                    if (len == 0) complete(listener);
                }
            }
        }
    }

    /**
     * The connection closed. Completes a body that runs until close and returns true; false when no response was
     * in progress; throws when a response was cut short.
     */
    boolean closed(Listener listener) throws MalformedResponse {
        if (state == State.UNTIL_CLOSE) {
            complete(listener);
            return true;
        }
        if (state != State.STATUS) throw new MalformedResponse("connection closed mid-response");
        return false;
    }

    private void complete(Listener listener) {
        boolean keepAlive = state != State.UNTIL_CLOSE && (http11 ? connectionHeader != 1 : connectionHeader == 2);
        state = State.STATUS;
        listener.onResponse(status, keepAlive);
    }

    private void endOfHeaders(Listener listener) throws MalformedResponse {
        if (status < 200) { // interim response (100 Continue, 103 Early Hints): the real one follows
            state = State.STATUS;
            return;
        }
        if (status == 204 || status == 304) {
            complete(listener);
        } else if (chunked) {
            state = State.CHUNK_SIZE;
        } else if (contentLength >= 0) {
            remaining = contentLength;
            if (remaining == 0) complete(listener);
            else state = State.BODY;
        } else {
            connectionHeader = 1; // the body ends when the connection does: it cannot be reused
            state = State.UNTIL_CLOSE;
        }
    }

    private void statusLine(ByteBuf in, int start, int len) throws MalformedResponse {
        // HTTP/1.1 200 OK
        if (len < 12 || in.getByte(start) != 'H' || in.getByte(start + 4) != '/' || in.getByte(start + 8) != ' ') {
            throw new MalformedResponse("not an HTTP/1.x status line: " + text(in, start, Math.min(len, 64)));
        }
        http11 = in.getByte(start + 5) == '1' && in.getByte(start + 7) == '1';
        int s = 0;
        for (int i = 9; i < 12; i++) {
            byte b = in.getByte(start + i);
            if (b < '0' || b > '9') throw new MalformedResponse("bad status code: " + text(in, start, Math.min(len, 64)));
            s = s * 10 + (b - '0');
        }
        status = s;
    }

    private void header(ByteBuf in, int start, int len, Listener listener) throws MalformedResponse {
        int colon = in.indexOf(start, start + len, (byte) ':');
        if (colon < 0) throw new MalformedResponse("header line without ':': " + text(in, start, Math.min(len, 64)));
        int nameLen = colon - start;
        int v = colon + 1;
        int end = start + len;
        while (v < end && (in.getByte(v) == ' ' || in.getByte(v) == '\t')) v++;
        while (end > v && (in.getByte(end - 1) == ' ' || in.getByte(end - 1) == '\t')) end--;
        if (nameIs(in, start, nameLen, "content-length")) {
            long n = 0;
            if (v == end) throw new MalformedResponse("empty Content-Length");
            for (int i = v; i < end; i++) {
                byte b = in.getByte(i);
                if (b < '0' || b > '9' || n > Long.MAX_VALUE / 10) throw new MalformedResponse("bad Content-Length");
                n = n * 10 + (b - '0');
            }
            if (contentLength >= 0 && contentLength != n) throw new MalformedResponse("conflicting Content-Length");
            contentLength = n;
        } else if (nameIs(in, start, nameLen, "transfer-encoding")) {
            chunked = containsIgnoreCase(in, v, end, "chunked");
        } else if (nameIs(in, start, nameLen, "connection")) {
            if (containsIgnoreCase(in, v, end, "close")) connectionHeader = 1;
            else if (containsIgnoreCase(in, v, end, "keep-alive")) connectionHeader = 2;
        }
        if (listener.wantsHeaders()) listener.onHeader(text(in, start, nameLen), text(in, v, end - v));
    }

    private static long chunkSize(ByteBuf in, int start, int len) throws MalformedResponse {
        long size = 0;
        int digits = 0;
        for (int i = start; i < start + len; i++) {
            byte b = in.getByte(i);
            int d = b >= '0' && b <= '9' ? b - '0' : b >= 'a' && b <= 'f' ? b - 'a' + 10 : b >= 'A' && b <= 'F' ? b - 'A' + 10 : -1;
            if (d < 0) {
                if (b == ';' || b == ' ' || b == '\t') break; // chunk extension
                throw new MalformedResponse("bad chunk size");
            }
            if (++digits > 15) throw new MalformedResponse("chunk size too large");
            size = size * 16 + d;
        }
        if (digits == 0) throw new MalformedResponse("missing chunk size");
        return size;
    }

    /** Index of the next LF, or -1 when the line is not complete yet (a too-long line is malformed). */
    private static int lineEnd(ByteBuf in) throws MalformedResponse {
        int eol = in.forEachByte(in.readerIndex(), Math.min(in.readableBytes(), MAX_LINE + 2), ByteProcessor.FIND_LF);
        if (eol < 0 && in.readableBytes() > MAX_LINE) throw new MalformedResponse("line longer than 8 KiB");
        return eol;
    }

    /** Length of the line from {@code start} to the LF at {@code eol}, without the CR before it. */
    private static int lineLength(ByteBuf in, int start, int eol) {
        int len = eol - start;
        if (len > 0 && in.getByte(eol - 1) == '\r') len--;
        return len;
    }

    private static boolean nameIs(ByteBuf in, int start, int len, String lowerName) {
        if (len != lowerName.length()) return false;
        for (int i = 0; i < len; i++) {
            int b = in.getByte(start + i);
            if (b >= 'A' && b <= 'Z') b += 32;
            if (b != lowerName.charAt(i)) return false;
        }
        return true;
    }

    private static boolean containsIgnoreCase(ByteBuf in, int from, int to, String lowerWord) {
        int n = lowerWord.length();
        outer:
        for (int i = from; i + n <= to; i++) {
            for (int j = 0; j < n; j++) {
                int b = in.getByte(i + j);
                if (b >= 'A' && b <= 'Z') b += 32;
                if (b != lowerWord.charAt(j)) continue outer;
            }
            return true;
        }
        return false;
    }

    private static String text(ByteBuf in, int start, int len) {
        return in.toString(start, len, StandardCharsets.ISO_8859_1);
    }
}
