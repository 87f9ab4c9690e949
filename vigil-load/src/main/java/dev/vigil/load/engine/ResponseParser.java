package dev.vigil.load.engine;

import io.netty.buffer.ByteBuf;

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

    /** The current line, copied out of the buffer: scanning a byte[] is far cheaper than per-byte getByte(). */
    private final byte[] line = new byte[MAX_LINE];
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
                    int len = nextLine(in);
                    if (len < 0) return;
                    if (len == 0) continue; // tolerate stray CRLF between responses
                    statusLine(len);
                    headerBytes = 0;
                    contentLength = -1;
                    chunked = false;
                    connectionHeader = 0;
                    state = State.HEADERS;
                }
                case HEADERS -> {
                    int len = nextLine(in);
                    if (len < 0) return;
                    headerBytes += len + 2;
                    if (headerBytes > MAX_HEADER_BYTES) throw new MalformedResponse("headers larger than 64 KiB");
                    if (len > 0) {
                        header(len, listener);
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
                    int len = nextLine(in);
                    if (len < 0) return;
                    long size = chunkSize(len);
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
                    int len = nextLine(in);
                    if (len < 0) return;
                    if (len != 0) throw new MalformedResponse("chunk data longer than its size");
                    state = State.CHUNK_SIZE;
                }
                case TRAILERS -> {
                    int len = nextLine(in);
                    if (len < 0) return;
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

    private void statusLine(int len) throws MalformedResponse {
        byte[] l = line;
        // HTTP/1.1 200 OK
        if (len < 12 || l[0] != 'H' || l[4] != '/' || l[8] != ' ') {
            throw new MalformedResponse("not an HTTP/1.x status line: " + text(0, Math.min(len, 64)));
        }
        http11 = l[5] == '1' && l[7] == '1';
        int s = 0;
        for (int i = 9; i < 12; i++) {
            byte b = l[i];
            if (b < '0' || b > '9') throw new MalformedResponse("bad status code: " + text(0, Math.min(len, 64)));
            s = s * 10 + (b - '0');
        }
        status = s;
    }

    private void header(int len, Listener listener) throws MalformedResponse {
        byte[] l = line;
        int colon = -1;
        for (int i = 0; i < len; i++) {
            if (l[i] == ':') {
                colon = i;
                break;
            }
        }
        if (colon < 0) throw new MalformedResponse("header line without ':': " + text(0, Math.min(len, 64)));
        int v = colon + 1;
        int end = len;
        while (v < end && (l[v] == ' ' || l[v] == '\t')) v++;
        while (end > v && (l[end - 1] == ' ' || l[end - 1] == '\t')) end--;
        if (nameIs(colon, "content-length")) {
            long n = 0;
            if (v == end) throw new MalformedResponse("empty Content-Length");
            for (int i = v; i < end; i++) {
                byte b = l[i];
                if (b < '0' || b > '9' || n > Long.MAX_VALUE / 10) throw new MalformedResponse("bad Content-Length");
                n = n * 10 + (b - '0');
            }
            if (contentLength >= 0 && contentLength != n) throw new MalformedResponse("conflicting Content-Length");
            contentLength = n;
        } else if (nameIs(colon, "transfer-encoding")) {
            chunked = containsIgnoreCase(v, end, "chunked");
        } else if (nameIs(colon, "connection")) {
            if (containsIgnoreCase(v, end, "close")) connectionHeader = 1;
            else if (containsIgnoreCase(v, end, "keep-alive")) connectionHeader = 2;
        }
        if (listener.wantsHeaders()) listener.onHeader(text(0, colon), text(v, end - v));
    }

    private long chunkSize(int len) throws MalformedResponse {
        byte[] l = line;
        long size = 0;
        int digits = 0;
        for (int i = 0; i < len; i++) {
            byte b = l[i];
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

    /**
     * Copies the next line (without CR LF) into {@link #line} and consumes it; returns its length, or -1 when the
     * line is not complete yet (a line longer than {@link #MAX_LINE} is malformed).
     */
    private int nextLine(ByteBuf in) throws MalformedResponse {
        int start = in.readerIndex();
        int eol = in.indexOf(start, start + Math.min(in.readableBytes(), MAX_LINE + 2), (byte) '\n');
        if (eol < 0) {
            if (in.readableBytes() > MAX_LINE) throw new MalformedResponse("line longer than 8 KiB");
            return -1;
        }
        int len = eol - start;
        if (len > 0 && in.getByte(eol - 1) == '\r') len--;
        if (len > MAX_LINE) throw new MalformedResponse("line longer than 8 KiB");
        in.getBytes(start, line, 0, len);
        in.readerIndex(eol + 1);
        return len;
    }

    /** The header name in line[0, nameLen) equals {@code lowerName}, ignoring ASCII case. */
    private boolean nameIs(int nameLen, String lowerName) {
        if (nameLen != lowerName.length()) return false;
        for (int i = 0; i < nameLen; i++) {
            int b = line[i];
            if (b >= 'A' && b <= 'Z') b += 32;
            if (b != lowerName.charAt(i)) return false;
        }
        return true;
    }

    private boolean containsIgnoreCase(int from, int to, String lowerWord) {
        int n = lowerWord.length();
        outer:
        for (int i = from; i + n <= to; i++) {
            for (int j = 0; j < n; j++) {
                int b = line[i + j];
                if (b >= 'A' && b <= 'Z') b += 32;
                if (b != lowerWord.charAt(j)) continue outer;
            }
            return true;
        }
        return false;
    }

    private String text(int start, int len) {
        return new String(line, start, len, StandardCharsets.ISO_8859_1);
    }
}
