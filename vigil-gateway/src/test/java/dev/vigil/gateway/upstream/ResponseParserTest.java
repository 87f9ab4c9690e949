package dev.vigil.gateway.upstream;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.AsciiString;
import io.netty.util.ReferenceCounted;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;

class ResponseParserTest {
    private static final String CONTENT_LENGTH_RESPONSE =
            "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 12\r\n\r\nhello, world";
    private static final String CHUNKED_WITH_TRAILERS =
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nTrailer: X-Checksum, X-Other\r\n\r\n"
                    + "5;name=\"value\"\r\nhello\r\n7\r\n, world\r\n0\r\nX-Checksum: 1a2b\r\nX-Other:  two \r\n\r\n";
    private static final String CHUNKED_WITHOUT_TRAILERS =
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n7\r\n, world\r\n0\r\n\r\n";
    private static final String NEXT_RESPONSE = "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n";

    /**
     * One upstream connection: the parser in an {@link EmbeddedChannel}, every buffer written to it and every message
     * read from it, so that {@link #close} can release the messages and check that no buffer is left retained.
     */
    private static final class Wire {
        final ResponseParser parser;
        final EmbeddedChannel channel;
        final List<ByteBuf> written = new ArrayList<>();
        final List<Object> read = new ArrayList<>();

        Wire(int maxHeadBytes) {
            parser = new ResponseParser(maxHeadBytes);
            channel = new EmbeddedChannel(parser);
        }

        Wire() {
            this(64 * 1024);
        }

        /** Writes each part as one socket read and returns the messages they produced. */
        List<Object> feed(String... parts) {
            for (String part : parts) {
                if (part.isEmpty()) continue;
                ByteBuf buf = Unpooled.copiedBuffer(part, US_ASCII);
                written.add(buf);
                channel.writeInbound(buf);
            }
            return drain();
        }

        /** Feeds a whole response as the gateway would see it: expect, then the bytes. */
        List<Object> respond(String response) {
            parser.expect(false);
            return feed(response);
        }

        /** The end of the stream: the upstream closed the connection. */
        List<Object> finish() {
            channel.finish();
            return drain();
        }

        private List<Object> drain() {
            List<Object> messages = new ArrayList<>();
            for (Object m; (m = channel.readInbound()) != null; ) messages.add(m);
            read.addAll(messages);
            return messages;
        }

        /** Closes the connection, releases every message read and checks that nothing is still retained. */
        void close() {
            channel.finishAndReleaseAll();
            drain();
            List<ByteBuf> bodies = new ArrayList<>();
            for (Object m : read) {
                if (m instanceof UpstreamHead h && h.completeBody() != null) bodies.add(h.completeBody());
                if (m instanceof UpstreamBody b) bodies.add(b.content());
            }
            for (Object m : read) {
                if (m instanceof ReferenceCounted rc) rc.release();
            }
            for (Object m : read) {
                if (m instanceof UpstreamHead h) assertThat(h.refCnt()).as("head %s", h).isZero();
            }
            // Unpooled.EMPTY_BUFFER cannot be released: its count stays 1 for ever.
            for (ByteBuf b : bodies) {
                if (b != Unpooled.EMPTY_BUFFER) assertThat(b.refCnt()).as("a body buffer").isZero();
            }
            for (ByteBuf b : written) assertThat(b.refCnt()).as("a received buffer").isZero();
        }
    }

    /** A response and what it must parse into, whichever way its bytes are split into reads. */
    record Sample(String name, String wire, int status, UpstreamHead.Framing framing, boolean keepAlive, String body,
                  List<Map.Entry<String, String>> trailers) {
        @Override public String toString() { return name; }
    }

    static Stream<Sample> samples() {
        return Stream.of(
                new Sample("content-length", CONTENT_LENGTH_RESPONSE, 200, UpstreamHead.Framing.CONTENT_LENGTH, true,
                        "hello, world", List.of()),
                new Sample("chunked with an extension and trailers", CHUNKED_WITH_TRAILERS, 200,
                        UpstreamHead.Framing.CHUNKED, true, "hello, world",
                        List.of(Map.entry("X-Checksum", "1a2b"), Map.entry("X-Other", "two"))),
                new Sample("chunked without trailers", CHUNKED_WITHOUT_TRAILERS, 200, UpstreamHead.Framing.CHUNKED, true,
                        "hello, world", List.of()));
    }

    private static String text(ByteBuf b) {
        return b.toString(US_ASCII);
    }

    private static UpstreamHead onlyHead(List<Object> messages) {
        assertThat(messages).hasSize(1);
        assertThat(messages.get(0)).isInstanceOf(UpstreamHead.class);
        return (UpstreamHead) messages.get(0);
    }

    /**
     * The messages of one whole response: a final head, then either nothing (the head carries the complete body) or
     * body pieces of which exactly the final one is last. Their bytes together are the body.
     */
    private static void assertWholeResponse(List<Object> messages, Sample s) {
        assertThat(messages).as("messages").isNotEmpty().noneMatch(UpstreamMalformed.class::isInstance);
        assertThat(messages.get(0)).isInstanceOf(UpstreamHead.class);
        UpstreamHead head = (UpstreamHead) messages.get(0);
        assertThat(head.status()).isEqualTo(s.status());
        assertThat(head.informational()).isFalse();
        assertThat(head.framing()).isEqualTo(s.framing());
        assertThat(head.keepAlive()).isEqualTo(s.keepAlive());
        StringBuilder body = new StringBuilder();
        if (head.completeBody() != null) {
            assertThat(messages).as("nothing follows a head with its complete body").hasSize(1);
            assertThat(s.trailers()).as("a head with its complete body has no trailers").isEmpty();
            body.append(text(head.completeBody()));
        } else {
            List<Object> pieces = messages.subList(1, messages.size());
            assertThat(pieces).isNotEmpty().allMatch(UpstreamBody.class::isInstance);
            for (int k = 0; k < pieces.size(); k++) {
                UpstreamBody piece = (UpstreamBody) pieces.get(k);
                boolean isFinal = k == pieces.size() - 1;
                assertThat(piece.last()).as("piece %d of %d is last", k, pieces.size()).isEqualTo(isFinal);
                assertThat(piece.trailers()).isEqualTo(isFinal ? s.trailers() : List.of());
                body.append(text(piece.content()));
            }
        }
        assertThat(body.toString()).isEqualTo(s.body());
    }

    // --- Framing -----------------------------------------------------------------------------------------------------

    @Test void deliversAContentLengthResponseInOneBufferAsOneHeadWithItsBody() {
        Wire wire = new Wire();
        UpstreamHead head = onlyHead(wire.respond(CONTENT_LENGTH_RESPONSE));
        assertThat(head.status()).isEqualTo(200);
        assertThat(head.keepAlive()).isTrue();
        assertThat(head.framing()).isEqualTo(UpstreamHead.Framing.CONTENT_LENGTH);
        assertThat(head.contentLength()).isEqualTo(12);
        assertThat(text(head.completeBody())).isEqualTo("hello, world");
        assertThat(wire.finish()).isEmpty();
        wire.close();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    void parsesTheSameResponseWhicheverByteItIsSplitAt(Sample s) {
        for (int split = 0; split <= s.wire().length(); split++) {
            Wire wire = new Wire();
            wire.parser.expect(false);
            List<Object> messages = wire.feed(s.wire().substring(0, split), s.wire().substring(split));
            assertThat(wire.finish()).as("split at %d", split).isEmpty();
            assertWholeResponse(messages, s);
            wire.close();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    void parsesTheSameResponseFedOneByteAtATime(Sample s) {
        Wire wire = new Wire();
        wire.parser.expect(false);
        List<Object> messages = new ArrayList<>();
        for (int k = 0; k < s.wire().length(); k++) messages.addAll(wire.feed(s.wire().substring(k, k + 1)));
        assertThat(wire.finish()).isEmpty();
        assertWholeResponse(messages, s);
        wire.close();
    }

    @Test void foldsAChunkedBodyOfOneChunkWithoutTrailersIntoTheHead() {
        Wire wire = new Wire();
        UpstreamHead head = onlyHead(wire.respond(
                "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n"));
        assertThat(head.framing()).isEqualTo(UpstreamHead.Framing.CHUNKED);
        assertThat(head.contentLength()).isEqualTo(-1);
        assertThat(text(head.completeBody())).isEqualTo("hello");
        assertThat(wire.finish()).isEmpty();
        wire.close();
    }

    @Test void foldsAnEmptyChunkedBodyIntoTheHead() {
        Wire wire = new Wire();
        UpstreamHead head = onlyHead(wire.respond("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"));
        assertThat(head.completeBody().readableBytes()).isZero();
        wire.close();
    }

    @Test void deliversTrailersOfAOneChunkBodyOnTheLastPieceAfterTheHead() {
        Wire wire = new Wire();
        List<Object> messages = wire.respond(
                "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\nX-Checksum: 1a2b\r\n\r\n");
        assertThat(messages).hasSize(2);
        UpstreamHead head = (UpstreamHead) messages.get(0);
        assertThat(head.completeBody()).isNull();
        UpstreamBody last = (UpstreamBody) messages.get(1);
        assertThat(last.last()).isTrue();
        assertThat(text(last.content())).isEqualTo("hello");
        assertThat(last.trailers()).containsExactly(Map.entry("X-Checksum", "1a2b"));
        wire.close();
    }

    @Test void endsACloseDelimitedBodyWithAnEmptyLastPieceWhenTheUpstreamCloses() {
        Wire wire = new Wire();
        List<Object> messages = wire.respond("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nhello");
        assertThat(messages).hasSize(2);
        UpstreamHead head = (UpstreamHead) messages.get(0);
        assertThat(head.framing()).isEqualTo(UpstreamHead.Framing.CLOSE);
        assertThat(head.keepAlive()).isFalse();
        assertThat(head.contentLength()).isEqualTo(-1);
        assertThat(head.completeBody()).isNull();
        UpstreamBody first = (UpstreamBody) messages.get(1);
        assertThat(first.last()).isFalse();
        assertThat(text(first.content())).isEqualTo("hello");

        List<Object> more = wire.feed(", world");
        assertThat(more).hasSize(1);
        assertThat(((UpstreamBody) more.get(0)).last()).isFalse();
        assertThat(text(((UpstreamBody) more.get(0)).content())).isEqualTo(", world");

        List<Object> end = wire.finish();
        assertThat(end).hasSize(1);
        UpstreamBody last = (UpstreamBody) end.get(0);
        assertThat(last.last()).isTrue();
        assertThat(last.content().readableBytes()).isZero();
        assertThat(last.trailers()).isEmpty();
        wire.close();
    }

    @Test void delimitsABodyByTheCloseWhenTheLastTransferCodingIsNotChunked() {
        Wire wire = new Wire();
        List<Object> messages = wire.respond("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked, gzip\r\n\r\nzipped");
        UpstreamHead head = (UpstreamHead) messages.get(0);
        assertThat(head.framing()).isEqualTo(UpstreamHead.Framing.CLOSE);
        assertThat(head.keepAlive()).isFalse();
        assertThat(text(((UpstreamBody) messages.get(1)).content())).isEqualTo("zipped");
        wire.close();
    }

    @Test void expectsNoBodyForAHeadRequestWhateverTheContentLengthSays() {
        Wire wire = new Wire();
        wire.parser.expect(true);
        UpstreamHead head = onlyHead(wire.feed("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n"));
        assertThat(head.framing()).isEqualTo(UpstreamHead.Framing.NONE);
        assertThat(head.completeBody().readableBytes()).isZero();
        assertThat(head.keepAlive()).isTrue();
        // No body is awaited: the next response on the connection is read as a head.
        assertThat(onlyHead(wire.respond(NEXT_RESPONSE)).status()).isEqualTo(200);
        wire.close();
    }

    @Test void expectsNoBodyAfterA204OrA304() {
        for (String response : List.of(
                "HTTP/1.1 204 No Content\r\nContent-Length: 100\r\n\r\n",
                "HTTP/1.1 304 Not Modified\r\nContent-Length: 100\r\n\r\n",
                "HTTP/1.1 304 Not Modified\r\nTransfer-Encoding: chunked\r\n\r\n")) {
            Wire wire = new Wire();
            UpstreamHead head = onlyHead(wire.respond(response));
            assertThat(head.framing()).as(response).isEqualTo(UpstreamHead.Framing.NONE);
            assertThat(head.completeBody().readableBytes()).isZero();
            assertThat(head.keepAlive()).isTrue();
            assertThat(onlyHead(wire.respond(NEXT_RESPONSE)).status()).isEqualTo(200);
            wire.close();
        }
    }

    @Test void deliversInformationalHeadsBeforeTheFinalOne() {
        Wire wire = new Wire();
        List<Object> messages = wire.respond("HTTP/1.1 100 Continue\r\n\r\n"
                + "HTTP/1.1 103 Early Hints\r\nLink: </style.css>; rel=preload; as=style\r\n\r\n"
                + "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nhi");
        assertThat(messages).hasSize(3).allMatch(UpstreamHead.class::isInstance);
        UpstreamHead hundred = (UpstreamHead) messages.get(0);
        assertThat(hundred.status()).isEqualTo(100);
        assertThat(hundred.informational()).isTrue();
        assertThat(hundred.framing()).isEqualTo(UpstreamHead.Framing.NONE);
        UpstreamHead hints = (UpstreamHead) messages.get(1);
        assertThat(hints.status()).isEqualTo(103);
        assertThat(hints.informational()).isTrue();
        List<Map.Entry<String, String>> fields = new ArrayList<>();
        hints.forEachEndToEndField((n, v) -> fields.add(Map.entry(n, v)));
        assertThat(fields).containsExactly(Map.entry("Link", "</style.css>; rel=preload; as=style"));
        UpstreamHead last = (UpstreamHead) messages.get(2);
        assertThat(last.status()).isEqualTo(200);
        assertThat(last.informational()).isFalse();
        assertThat(text(last.completeBody())).isEqualTo("hi");
        wire.close();
    }

    @Test void letsTransferEncodingWinOverContentLengthButDoesNotReuseTheConnection() {
        Wire wire = new Wire();
        List<Object> messages = wire.respond(
                "HTTP/1.1 200 OK\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n");
        UpstreamHead head = onlyHead(messages);
        assertThat(head.framing()).isEqualTo(UpstreamHead.Framing.CHUNKED);
        assertThat(head.keepAlive()).isFalse();
        assertThat(head.contentLength()).isEqualTo(-1);
        assertThat(text(head.completeBody())).isEqualTo("hello");
        wire.close();
    }

    @Test void acceptsRepeatedEqualContentLengths() {
        Wire wire = new Wire();
        UpstreamHead head = onlyHead(wire.respond("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 2\r\n\r\nhi"));
        assertThat(head.contentLength()).isEqualTo(2);
        assertThat(text(head.completeBody())).isEqualTo("hi");
        wire.close();
    }

    @Test void parsesTwoResponsesInSequenceOnOneConnection() {
        Wire wire = new Wire();
        UpstreamHead first = onlyHead(wire.respond(CONTENT_LENGTH_RESPONSE));
        assertThat(text(first.completeBody())).isEqualTo("hello, world");
        List<Object> second = wire.respond(CHUNKED_WITH_TRAILERS);
        assertWholeResponse(second, samples().toList().get(1));
        UpstreamHead third = onlyHead(wire.respond("HTTP/1.1 404 Not Found\r\nContent-Length: 4\r\n\r\nnope"));
        assertThat(third.status()).isEqualTo(404);
        assertThat(text(third.completeBody())).isEqualTo("nope");
        assertThat(wire.finish()).isEmpty();
        wire.close();
    }

    // --- Keep-alive --------------------------------------------------------------------------------------------------

    private static UpstreamHead headOf(String response) {
        Wire wire = new Wire();
        UpstreamHead head = onlyHead(wire.respond(response));
        wire.close();
        return head; // released: only its plain fields may be read
    }

    @Test void keepsAnHttp11ConnectionAliveUnlessTheUpstreamSaysClose() {
        assertThat(headOf("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n").keepAlive()).isTrue();
        assertThat(headOf("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 0\r\n\r\n").keepAlive()).isFalse();
        assertThat(headOf("HTTP/1.1 200 OK\r\nconnection: X-Foo, Close\r\nContent-Length: 0\r\n\r\n").keepAlive()).isFalse();
    }

    @Test void keepsAnHttp10ConnectionAliveOnlyWhenTheUpstreamSaysKeepAlive() {
        assertThat(headOf("HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n").keepAlive()).isFalse();
        UpstreamHead head = headOf(
                "HTTP/1.0 200 OK\r\nConnection: Keep-Alive\r\nKeep-Alive: timeout=5, max=100\r\nContent-Length: 0\r\n\r\n");
        assertThat(head.keepAlive()).isTrue();
        assertThat(head.keepAliveParameter()).isEqualTo("timeout=5, max=100");
    }

    @Test void givesTheKeepAliveParameterOrNullWhenThereIsNone() {
        assertThat(headOf("HTTP/1.1 200 OK\r\nKeep-Alive:  timeout=7 \r\nContent-Length: 0\r\n\r\n").keepAliveParameter())
                .isEqualTo("timeout=7");
        assertThat(headOf("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n").keepAliveParameter()).isNull();
    }

    @Test void closesAnHttp10ConnectionThatSaysBothKeepAliveAndClose() {
        assertThat(headOf("HTTP/1.0 200 OK\r\nConnection: keep-alive, close\r\nContent-Length: 0\r\n\r\n").keepAlive())
                .isFalse();
    }

    // --- Fields ------------------------------------------------------------------------------------------------------

    private static final String HOP_BY_HOP_RESPONSE = "HTTP/1.1 200 OK\r\n"
            + "Connection: keep-alive, X-Secret\r\n"      // 0
            + "KEEP-ALIVE: timeout=5\r\n"                 // 1
            + "Content-Type: text/plain\r\n"              // 2
            + "transfer-encoding: chunked\r\n"            // 3
            + "Upgrade: h2c\r\n"                          // 4
            + "TE: trailers\r\n"                          // 5
            + "Trailer: X-Checksum\r\n"                   // 6
            + "Proxy-Connection: keep-alive\r\n"          // 7
            + "Proxy-Authenticate: Basic realm=\"x\"\r\n" // 8
            + "Proxy-Authorization: Basic abc\r\n"        // 9
            + "x-secret: s\r\n"                           // 10
            + "Cache-Control:  no-cache \r\n"             // 11
            + "\r\n0\r\n\r\n";

    @Test void marksTheFixedHopByHopFieldsAndThoseNamedInConnection() {
        Wire wire = new Wire();
        UpstreamHead head = onlyHead(wire.respond(HOP_BY_HOP_RESPONSE));
        assertThat(head.fieldCount()).isEqualTo(12);
        List<Integer> hopByHop = new ArrayList<>();
        for (int i = 0; i < head.fieldCount(); i++) if (head.hopByHop(i)) hopByHop.add(i);
        assertThat(hopByHop).containsExactly(0, 1, 3, 4, 5, 6, 7, 8, 9, 10);
        assertThat(head.nameIs(1, AsciiString.cached("keep-alive"))).isTrue();
        assertThat(head.nameIs(10, AsciiString.cached("x-secret"))).isTrue();
        assertThat(head.nameIs(2, AsciiString.cached("content-length"))).isFalse();
        List<Map.Entry<String, String>> endToEnd = new ArrayList<>();
        head.forEachEndToEndField((n, v) -> endToEnd.add(Map.entry(n, v)));
        assertThat(endToEnd).containsExactly(Map.entry("Content-Type", "text/plain"), Map.entry("Cache-Control", "no-cache"));
        wire.close();
    }

    @Test void neverTreatsContentLengthAsHopByHopEvenWhenConnectionNamesIt() {
        Wire wire = new Wire();
        UpstreamHead head = onlyHead(wire.respond("HTTP/1.1 200 OK\r\n"
                + "Connection: content-length, x-secret\r\n" // 0
                + "Content-Length: 2\r\n"                    // 1
                + "X-Secret: s\r\n"                          // 2
                + "X-Spaced: \t  padded value \t\r\n"        // 3
                + "X-Empty:\r\n"                             // 4
                + "Date: Mon, 01 Jan 2024 00:00:00 GMT\r\n"  // 5
                + "\r\nhi"));
        assertThat(head.hopByHop(0)).isTrue();
        assertThat(head.hopByHop(1)).isFalse();
        assertThat(head.hopByHop(2)).isTrue();
        assertThat(head.framing()).isEqualTo(UpstreamHead.Framing.CONTENT_LENGTH);
        assertThat(text(head.completeBody())).isEqualTo("hi");
        List<Map.Entry<String, String>> endToEnd = new ArrayList<>();
        head.forEachEndToEndField((n, v) -> endToEnd.add(Map.entry(n, v)));
        assertThat(endToEnd).containsExactly(Map.entry("Content-Length", "2"), Map.entry("X-Spaced", "padded value"),
                Map.entry("X-Empty", ""), Map.entry("Date", "Mon, 01 Jan 2024 00:00:00 GMT"));
        wire.close();
    }

    @Test void marksHopByHopFieldsBeyondTheSixtyFourthField() {
        StringBuilder response = new StringBuilder("HTTP/1.1 200 OK\r\n");
        for (int i = 0; i < 70; i++) response.append(i == 66 ? "Upgrade: h2c\r\n" : "X-F" + i + ": v\r\n");
        response.append("Content-Length: 0\r\n\r\n");
        Wire wire = new Wire();
        UpstreamHead head = onlyHead(wire.respond(response.toString()));
        assertThat(head.fieldCount()).isEqualTo(71);
        for (int i = 0; i < head.fieldCount(); i++) assertThat(head.hopByHop(i)).as("field %d", i).isEqualTo(i == 66);
        wire.close();
    }

    @Test void buildsNettysResponseWithEveryFieldIncludingHopByHopOnes() {
        Wire wire = new Wire();
        UpstreamHead head = onlyHead(wire.respond(HOP_BY_HOP_RESPONSE));
        HttpResponse r = head.toHttpResponse();
        assertThat(r.status().code()).isEqualTo(200);
        assertThat(r.status().reasonPhrase()).isEqualTo("OK");
        assertThat(r.protocolVersion()).isEqualTo(HttpVersion.HTTP_1_1);
        assertThat(r.headers().entries().stream().map(e -> Map.entry(e.getKey(), e.getValue()))).containsExactly(
                Map.entry("Connection", "keep-alive, X-Secret"),
                Map.entry("KEEP-ALIVE", "timeout=5"),
                Map.entry("Content-Type", "text/plain"),
                Map.entry("transfer-encoding", "chunked"),
                Map.entry("Upgrade", "h2c"),
                Map.entry("TE", "trailers"),
                Map.entry("Trailer", "X-Checksum"),
                Map.entry("Proxy-Connection", "keep-alive"),
                Map.entry("Proxy-Authenticate", "Basic realm=\"x\""),
                Map.entry("Proxy-Authorization", "Basic abc"),
                Map.entry("x-secret", "s"),
                Map.entry("Cache-Control", "no-cache"));
        wire.close();
    }

    @Test void buildsNettysResponseForAnHttp10StatusWithAMultiWordReasonOrNone() {
        Wire wire = new Wire();
        HttpResponse notFound = onlyHead(wire.respond("HTTP/1.0 404 Not Found Here\r\nContent-Length: 0\r\n\r\n")).toHttpResponse();
        assertThat(notFound.protocolVersion()).isEqualTo(HttpVersion.HTTP_1_0);
        assertThat(notFound.status().code()).isEqualTo(404);
        assertThat(notFound.status().reasonPhrase()).isEqualTo("Not Found Here");
        wire.close();
        Wire bare = new Wire();
        HttpResponse noReason = onlyHead(bare.respond("HTTP/1.1 200\r\nContent-Length: 0\r\n\r\n")).toHttpResponse();
        assertThat(noReason.status().code()).isEqualTo(200);
        assertThat(noReason.status().reasonPhrase()).isEmpty();
        bare.close();
    }

    private static String statusAfterVersion(String response) {
        Wire wire = new Wire();
        UpstreamHead head = onlyHead(wire.respond(response));
        ByteBuf out = Unpooled.buffer();
        head.copyStatusAfterVersion(out);
        String s = text(out);
        out.release();
        wire.close();
        return s;
    }

    @Test void copiesTheStatusAfterTheVersionExactly() {
        assertThat(statusAfterVersion("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n")).isEqualTo(" 200 OK\r\n");
        assertThat(statusAfterVersion("HTTP/1.0 503 Service Unavailable\r\nContent-Length: 0\r\n\r\n"))
                .isEqualTo(" 503 Service Unavailable\r\n");
        assertThat(statusAfterVersion("HTTP/1.1 200\r\nContent-Length: 0\r\n\r\n")).isEqualTo(" 200 \r\n");
        assertThat(statusAfterVersion("HTTP/1.1 200 \r\nContent-Length: 0\r\n\r\n")).isEqualTo(" 200 \r\n");
    }

    @Test void copiesRunsOfFieldLinesExactlyAsReceived() {
        Wire wire = new Wire();
        UpstreamHead head = onlyHead(wire.respond(
                "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nX-Odd:\t two  words \t\r\nX-Empty:\r\nContent-Length: 0\r\n\r\n"));
        ByteBuf out = Unpooled.buffer();
        head.copyFields(0, head.fieldCount(), out);
        assertThat(text(out)).isEqualTo(
                "Content-Type: text/plain\r\nX-Odd:\t two  words \t\r\nX-Empty:\r\nContent-Length: 0\r\n");
        out.clear();
        head.copyFields(1, 3, out);
        assertThat(text(out)).isEqualTo("X-Odd:\t two  words \t\r\nX-Empty:\r\n");
        out.clear();
        head.copyFields(2, 2, out);
        assertThat(out.readableBytes()).isZero();
        out.release();
        wire.close();
    }

    // --- Malformed responses -----------------------------------------------------------------------------------------

    static Stream<Arguments> malformedHeads() {
        return Stream.of(
                Arguments.of("HTTP/2 status line", "HTTP/2 200 OK\r\nContent-Length: 0\r\n\r\n"),
                Arguments.of("two-digit status", "HTTP/1.1 20 OK\r\nContent-Length: 0\r\n\r\n"),
                Arguments.of("four-digit status", "HTTP/1.1 2000 OK\r\nContent-Length: 0\r\n\r\n"),
                Arguments.of("status below 100", "HTTP/1.1 099 Odd\r\nContent-Length: 0\r\n\r\n"),
                Arguments.of("ICY status line", "ICY 200 OK\r\nContent-Length: 0\r\n\r\n"),
                Arguments.of("lower-case version", "http/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"),
                Arguments.of("control character in the reason", "HTTP/1.1 200 O\u0001K\r\nContent-Length: 0\r\n\r\n"),
                Arguments.of("bare LF after the status line", "HTTP/1.1 200 OK\nContent-Length: 0\r\n\r\n"),
                Arguments.of("bare LF after a field", "HTTP/1.1 200 OK\r\nContent-Length: 0\n\r\n"),
                Arguments.of("bare LF ending the head", "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\n"),
                Arguments.of("bare CR inside a field value", "HTTP/1.1 200 OK\r\nX-A: a\rb\r\nContent-Length: 0\r\n\r\n"),
                Arguments.of("obs-fold with a space", "HTTP/1.1 200 OK\r\nX-A: a\r\n b\r\nContent-Length: 0\r\n\r\n"),
                Arguments.of("obs-fold with a tab", "HTTP/1.1 200 OK\r\nX-A: a\r\n\tb\r\nContent-Length: 0\r\n\r\n"),
                Arguments.of("space before the colon", "HTTP/1.1 200 OK\r\nContent-Length : 0\r\n\r\n"),
                Arguments.of("empty field name", "HTTP/1.1 200 OK\r\n: nameless\r\nContent-Length: 0\r\n\r\n"),
                Arguments.of("field without a colon", "HTTP/1.1 200 OK\r\nX-A\r\nContent-Length: 0\r\n\r\n"),
                Arguments.of("non-token name character", "HTTP/1.1 200 OK\r\nX(A): a\r\nContent-Length: 0\r\n\r\n"),
                Arguments.of("NUL in a value", "HTTP/1.1 200 OK\r\nX-A: a\u0000b\r\nContent-Length: 0\r\n\r\n"),
                Arguments.of("ESC in a value", "HTTP/1.1 200 OK\r\nX-A: a\u001bb\r\nContent-Length: 0\r\n\r\n"),
                Arguments.of("DEL in a value", "HTTP/1.1 200 OK\r\nX-A: a\u007fb\r\nContent-Length: 0\r\n\r\n"),
                Arguments.of("Content-Length 12a", "HTTP/1.1 200 OK\r\nContent-Length: 12a\r\n\r\n"),
                Arguments.of("negative Content-Length", "HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n"),
                Arguments.of("empty Content-Length", "HTTP/1.1 200 OK\r\nContent-Length:\r\n\r\n"),
                Arguments.of("two different Content-Lengths", "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\nhi"),
                Arguments.of("list of Content-Lengths", "HTTP/1.1 200 OK\r\nContent-Length: 2, 3\r\n\r\nhi"));
    }

    /** Checks that nothing at all comes after the malformed message, whatever arrives next. */
    private static void assertSilentAfterwards(Wire wire) {
        assertThat(wire.feed("more garbage\r\n\r\n")).isEmpty();
        assertThat(wire.respond(NEXT_RESPONSE)).isEmpty();
        wire.parser.expect(true);
        assertThat(wire.feed(NEXT_RESPONSE)).isEmpty();
        assertThat(wire.finish()).isEmpty();
    }

    private static void assertOnlyMalformed(List<Object> messages) {
        assertThat(messages).hasSize(1);
        assertThat(messages.get(0)).isInstanceOf(UpstreamMalformed.class);
        assertThat(((UpstreamMalformed) messages.get(0)).reason()).isNotBlank();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedHeads")
    void refusesAMalformedHeadOnceAndThenIgnoresTheConnection(String name, String response) {
        Wire wire = new Wire();
        assertOnlyMalformed(wire.respond(response));
        assertSilentAfterwards(wire);
        wire.close();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedHeads")
    void refusesAMalformedHeadFedOneByteAtATime(String name, String response) {
        Wire wire = new Wire();
        wire.parser.expect(false);
        List<Object> messages = new ArrayList<>();
        for (int k = 0; k < response.length(); k++) messages.addAll(wire.feed(response.substring(k, k + 1)));
        assertOnlyMalformed(messages);
        assertSilentAfterwards(wire);
        wire.close();
    }

    static Stream<Arguments> malformedBodies() {
        String head = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n";
        return Stream.of(
                Arguments.of("chunk size zz", head + "zz\r\nhello\r\n0\r\n\r\n"),
                Arguments.of("chunk size of 16 hex digits", head + "0000000000000005\r\nhello\r\n0\r\n\r\n"),
                Arguments.of("chunk size followed by junk", head + "5 x\r\nhello\r\n0\r\n\r\n"),
                Arguments.of("chunk size ended by a bare LF", head + "5\nhello\r\n0\r\n\r\n"),
                Arguments.of("control character in a chunk extension", head + "5;a=\u0001\r\nhello\r\n0\r\n\r\n"),
                Arguments.of("chunk size line too long", head + "5;" + "x".repeat(ResponseParser.MAX_CHUNK_LINE_BYTES) + "\r\nhello\r\n0\r\n\r\n"),
                Arguments.of("chunk data not followed by CRLF", head + "5\r\nhelloXX0\r\n\r\n"),
                Arguments.of("chunk data followed by a bare LF", head + "5\r\nhello\n0\r\n\r\n"),
                Arguments.of("malformed trailer", head + "5\r\nhello\r\n0\r\nX-A : b\r\n\r\n"),
                Arguments.of("control character in a trailer", head + "5\r\nhello\r\n0\r\nX-A: \u0000\r\n\r\n"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedBodies")
    void refusesAMalformedBodyOnceAfterWhatCameBeforeIt(String name, String response) {
        for (boolean oneByteAtATime : new boolean[] {false, true}) {
            Wire wire = new Wire();
            wire.parser.expect(false);
            List<Object> messages = new ArrayList<>();
            if (oneByteAtATime) {
                for (int k = 0; k < response.length(); k++) messages.addAll(wire.feed(response.substring(k, k + 1)));
            } else {
                messages.addAll(wire.feed(response));
            }
            assertThat(messages).as("one byte at a time: %s", oneByteAtATime).isNotEmpty();
            assertThat(messages.get(0)).isInstanceOf(UpstreamHead.class);
            assertThat(messages.get(messages.size() - 1)).isInstanceOf(UpstreamMalformed.class);
            assertThat(messages.subList(0, messages.size() - 1)).noneMatch(UpstreamMalformed.class::isInstance);
            assertThat(messages.subList(1, messages.size() - 1)).allMatch(m -> m instanceof UpstreamBody b && !b.last());
            assertSilentAfterwards(wire);
            wire.close();
        }
    }

    @Test void refusesBytesThatArriveBeforeTheNextRequestIsSent() {
        Wire wire = new Wire();
        onlyHead(wire.respond(CONTENT_LENGTH_RESPONSE));
        assertOnlyMalformed(wire.feed(NEXT_RESPONSE));
        assertSilentAfterwards(wire);
        wire.close();
    }

    @Test void refusesBytesThatFollowACompleteResponseInTheSameRead() {
        Wire wire = new Wire();
        List<Object> messages = wire.respond(CONTENT_LENGTH_RESPONSE + NEXT_RESPONSE);
        assertThat(messages).hasSize(2);
        assertThat(text(((UpstreamHead) messages.get(0)).completeBody())).isEqualTo("hello, world");
        assertThat(messages.get(1)).isInstanceOf(UpstreamMalformed.class);
        assertSilentAfterwards(wire);
        wire.close();
    }

    @Test void acceptsAChunkSizeOfFifteenHexDigits() {
        Wire wire = new Wire();
        List<Object> messages = wire.respond("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n000000000000005\r\nhel");
        assertThat(messages).hasSize(2);
        assertThat(text(((UpstreamBody) messages.get(1)).content())).isEqualTo("hel");
        wire.close();
    }

    // --- Head size limit ---------------------------------------------------------------------------------------------

    private static String headOfLength(int length) {
        String start = "HTTP/1.1 200 OK\r\nContent-Length: 0\r\nX-Pad: ";
        return start + "a".repeat(length - start.length() - 4) + "\r\n\r\n";
    }

    @Test void acceptsAHeadExactlyAsLargeAsTheLimitEvenOneByteAtATime() {
        String response = headOfLength(256);
        assertThat(response).hasSize(256);
        Wire whole = new Wire(256);
        assertThat(onlyHead(whole.respond(response)).status()).isEqualTo(200);
        whole.close();
        Wire bytes = new Wire(256);
        bytes.parser.expect(false);
        List<Object> messages = new ArrayList<>();
        for (int k = 0; k < response.length(); k++) messages.addAll(bytes.feed(response.substring(k, k + 1)));
        assertThat(onlyHead(messages).status()).isEqualTo(200);
        bytes.close();
    }

    @Test void refusesACompleteHeadLargerThanTheLimit() {
        Wire wire = new Wire(256);
        assertOnlyMalformed(wire.respond(headOfLength(257)));
        assertSilentAfterwards(wire);
        wire.close();
        Wire longLine = new Wire(256);
        assertOnlyMalformed(longLine.respond("HTTP/1.1 200 OK\r\nX-Big: " + "a".repeat(300) + "\r\nContent-Length: 0\r\n\r\n"));
        longLine.close();
    }

    @Test void refusesAnIncompleteHeadOnceItOutgrowsTheLimit() {
        Wire wire = new Wire(256);
        wire.parser.expect(false);
        assertThat(wire.feed("HTTP/1.1 200 OK\r\nX-Big: " + "a".repeat(200))).isEmpty();
        assertOnlyMalformed(wire.feed("a".repeat(100)));
        assertSilentAfterwards(wire);
        wire.close();
        Wire oneRead = new Wire(256);
        assertOnlyMalformed(oneRead.respond("HTTP/1.1 200 OK\r\nX-Big: " + "a".repeat(300)));
        oneRead.close();
        Wire statusLine = new Wire(256);
        assertOnlyMalformed(statusLine.respond("HTTP/1.1 200 " + "O".repeat(300)));
        statusLine.close();
    }

    @Test void refusesATrailerSectionThatOutgrowsTheLimitWhileIncomplete() {
        Wire wire = new Wire(256);
        List<Object> messages = wire.respond("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n"
                + "X-Big: " + "a".repeat(300));
        assertThat(messages.get(messages.size() - 1)).isInstanceOf(UpstreamMalformed.class);
        wire.close();
    }

    @Test void refusesATrailerSectionLargerThanTheLimitEvenWhenItArrivesWhole() {
        Wire wire = new Wire(256);
        List<Object> messages = wire.respond("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n"
                + "X-Big: " + "a".repeat(300) + "\r\n\r\n");
        assertThat(messages.get(messages.size() - 1)).isInstanceOf(UpstreamMalformed.class);
        wire.close();
    }

    @Test void forwardsNoContentLengthThatTheChunksOrTheCloseOverruleAndOnlyTheFirstOfEqualOnes() {
        Wire wire = new Wire();
        UpstreamHead chunked = (UpstreamHead) wire.respond("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n").get(0);
        assertThat(chunked.toHttpResponse().headers().contains("content-length")).isFalse();
        List<String> endToEnd = new ArrayList<>();
        chunked.forEachEndToEndField((n, v) -> endToEnd.add(n));
        assertThat(endToEnd).isEmpty();
        wire.close();

        Wire gzip = new Wire();
        UpstreamHead closeDelimited = (UpstreamHead) gzip.respond("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\nContent-Length: 5\r\n\r\n").get(0);
        assertThat(closeDelimited.framing()).isEqualTo(UpstreamHead.Framing.CLOSE);
        assertThat(closeDelimited.toHttpResponse().headers().contains("content-length")).isFalse();
        gzip.close();

        Wire twice = new Wire();
        UpstreamHead repeated = (UpstreamHead) twice.respond("HTTP/1.1 200 OK\r\nContent-Length: 2\r\ncontent-length: 2\r\n\r\nok").get(0);
        assertThat(repeated.hopByHop(0)).isFalse();
        assertThat(repeated.hopByHop(1)).isTrue();
        assertThat(repeated.toHttpResponse().headers().getAll("content-length")).containsExactly("2");
        twice.close();
    }

    @Test void dropsTrailerFieldsThatMayNotBeTrailers() {
        Wire wire = new Wire();
        List<Object> messages = wire.respond("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\n"
                + "Content-Length: 99\r\nTransfer-Encoding: chunked\r\nTrailer: X\r\nConnection: close\r\nX-Checksum: 7\r\n\r\n");
        UpstreamBody last = (UpstreamBody) messages.get(messages.size() - 1);
        assertThat(last.last()).isTrue();
        assertThat(last.trailers()).containsExactly(Map.entry("X-Checksum", "7"));
        wire.close();
    }

    @Test void refusesMoreConnectionOptionsThanAnyRealResponseNames() {
        Wire wire = new Wire();
        StringBuilder options = new StringBuilder("x0");
        for (int i = 1; i <= 40; i++) options.append(", x").append(i);
        List<Object> messages = wire.respond("HTTP/1.1 200 OK\r\nConnection: " + options + "\r\nContent-Length: 0\r\n\r\n");
        assertThat(messages).singleElement().isInstanceOf(UpstreamMalformed.class);
        wire.close();
    }

    @Test void findsTheEndOfALargeHeadArrivingAByteAtATime() {
        // 60 KiB of fields, one byte per read: a rescan per read would be ~2·10⁹ byte comparisons; a resumed scan is linear.
        StringBuilder head = new StringBuilder("HTTP/1.1 200 OK\r\n");
        while (head.length() < 60 * 1024) head.append("X-Filler: ").append("f".repeat(100)).append("\r\n");
        head.append("Content-Length: 0\r\n\r\n");
        Wire wire = new Wire();
        wire.parser.expect(false);
        String[] bytes = head.toString().split("");
        List<Object> messages = wire.feed(bytes);
        assertThat(messages).singleElement().isInstanceOf(UpstreamHead.class);
        wire.close();
    }
}
