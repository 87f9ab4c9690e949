package dev.vigil.gateway.upstream;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.AsciiString;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class RequestEncoderTest {
    private static final AsciiString[] OMIT = {AsciiString.cached("x-forwarded-for"), AsciiString.cached("x-request-id")};

    private static String wire(EmbeddedChannel ch) {
        StringBuilder out = new StringBuilder();
        for (ByteBuf b; (b = ch.readOutbound()) != null; ) {
            out.append(b.toString(StandardCharsets.ISO_8859_1));
            b.release();
        }
        return out.toString();
    }

    @Test void writesTheClientsFieldsMinusTheOmittedOnesThenTheGatewaysOwn() {
        EmbeddedChannel ch = new EmbeddedChannel(new RequestEncoder());
        HttpHeaders fields = new DefaultHttpHeaders().add("Host", "api.test").add("X-Forwarded-For", "6.6.6.6")
                .add("Accept", "*/*").add("x-request-id", "forged");
        ch.writeOutbound(new ForwardedRequest(HttpMethod.GET, "/a?b=1", fields, OMIT,
                new CharSequence[] {"x-forwarded-for", "10.0.0.1", "x-request-id", "rid"}, false), LastHttpContent.EMPTY_LAST_CONTENT);
        assertThat(wire(ch)).isEqualTo("GET /a?b=1 HTTP/1.1\r\nHost: api.test\r\nAccept: */*\r\n"
                + "x-forwarded-for: 10.0.0.1\r\nx-request-id: rid\r\n\r\n");
        ch.finishAndReleaseAll();
    }

    @Test void writesACharacterBeyondLatin1AsAQuestionMarkNeverAsItsLowByte() {
        EmbeddedChannel ch = new EmbeddedChannel(new RequestEncoder());
        // U+010A's low byte is LF: written as is, it would end the field and start one the config never named.
        ch.writeOutbound(new ForwardedRequest(HttpMethod.GET, "/", new DefaultHttpHeaders().add("Host", "h"), OMIT,
                new CharSequence[] {"x-tenant", "\u010Aevil: 1"}, false));
        assertThat(wire(ch)).isEqualTo("GET / HTTP/1.1\r\nHost: h\r\nx-tenant: ?evil: 1\r\n\r\n");
        ch.finishAndReleaseAll();
    }

    @Test void chunkFramesAChunkedBodyAndPassesALengthFramedOneAsItIs() {
        EmbeddedChannel chunked = new EmbeddedChannel(new RequestEncoder());
        chunked.writeOutbound(new ForwardedRequest(HttpMethod.POST, "/up", new DefaultHttpHeaders().add("Host", "h")
                        .add("Transfer-Encoding", "chunked"), OMIT, new CharSequence[0], true),
                new DefaultHttpContent(Unpooled.copiedBuffer("hello", StandardCharsets.US_ASCII)),
                new DefaultHttpContent(Unpooled.EMPTY_BUFFER),
                new DefaultLastHttpContent(Unpooled.copiedBuffer("!", StandardCharsets.US_ASCII)));
        assertThat(wire(chunked)).isEqualTo("POST /up HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "5\r\nhello\r\n1\r\n!\r\n0\r\n\r\n");
        chunked.finishAndReleaseAll();

        EmbeddedChannel sized = new EmbeddedChannel(new RequestEncoder());
        sized.writeOutbound(new ForwardedRequest(HttpMethod.PUT, "/up", new DefaultHttpHeaders().add("Host", "h")
                        .add("Content-Length", "5"), OMIT, new CharSequence[0], false),
                new DefaultLastHttpContent(Unpooled.copiedBuffer("hello", StandardCharsets.US_ASCII)));
        assertThat(wire(sized)).isEqualTo("PUT /up HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n\r\nhello");
        sized.finishAndReleaseAll();
    }

    @Test void framesALargeChunkWithoutCopyingIt() {
        EmbeddedChannel ch = new EmbeddedChannel(new RequestEncoder());
        String big = "z".repeat(20_000);
        ch.writeOutbound(new ForwardedRequest(HttpMethod.POST, "/", new DefaultHttpHeaders().add("Host", "h")
                        .add("Transfer-Encoding", "chunked"), OMIT, new CharSequence[0], true),
                new DefaultLastHttpContent(Unpooled.copiedBuffer(big, StandardCharsets.US_ASCII)));
        assertThat(wire(ch)).endsWith("\r\n\r\n4e20\r\n" + big + "\r\n0\r\n\r\n");
        ch.finishAndReleaseAll();
    }
}
