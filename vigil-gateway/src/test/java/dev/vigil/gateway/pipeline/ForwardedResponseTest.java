package dev.vigil.gateway.pipeline;

import dev.vigil.gateway.policy.Header;
import dev.vigil.gateway.upstream.ResponseParser;
import dev.vigil.gateway.upstream.UpstreamBody;
import dev.vigil.gateway.upstream.UpstreamHead;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The byte-level client response: the same head rules the telemetry stage and {@link Forwarding#clientResponse}
 * apply to object responses, checked on the exact bytes a client would read.
 */
class ForwardedResponseTest {
    private final EmbeddedChannel upstream = new EmbeddedChannel(new ResponseParser(64 * 1024));
    private final List<Object> toRelease = new ArrayList<>();

    @AfterEach void release() {
        for (Object o : toRelease) io.netty.util.ReferenceCountUtil.release(o);
        upstream.finishAndReleaseAll();
    }

    private List<Object> parse(boolean headRequest, String wire) {
        ((ResponseParser) upstream.pipeline().first()).expect(headRequest);
        upstream.writeInbound(Unpooled.copiedBuffer(wire, StandardCharsets.ISO_8859_1));
        List<Object> out = new ArrayList<>();
        Object o;
        while ((o = upstream.readInbound()) != null) {
            out.add(o);
            toRelease.add(o);
        }
        return out;
    }

    private static Exchange exchange() {
        Exchange ex = new Exchange();
        ex.requestId = "rid-1";
        return ex;
    }

    private String text(ResponseBytes b) {
        toRelease.add(b);
        return b.content().toString(StandardCharsets.ISO_8859_1);
    }

    @Test void copiesEndToEndFieldsAsReceivedAndReplacesTheOnesTheGatewaySets() {
        List<Object> in = parse(false, "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nConnection: keep-alive, X-Secret\r\n"
                + "X-Secret: s\r\nKeep-Alive: timeout=5\r\nX-Request-Id: upstreams-own\r\nratelimit: upstream\r\n"
                + "Content-Length: 5\r\n\r\nhello");
        UpstreamHead h = (UpstreamHead) in.get(0);
        Exchange ex = exchange();
        ex.responseHeaders = List.of(new Header("RateLimit", "limit=10, remaining=9"));
        ForwardedResponse f = ForwardedResponse.start(h, ex);
        ResponseBytes b = f.head(h, ex, ByteBufAllocator.DEFAULT);
        assertThat(b.status).isEqualTo(200);
        assertThat(b.last).isTrue();
        assertThat(b.bodyBytes).isEqualTo(5);
        assertThat(text(b)).isEqualTo("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n"
                + "x-request-id: rid-1\r\nRateLimit: limit=10, remaining=9\r\n\r\nhello");
    }

    @Test void saysCloseWhenTheConnectionWillCloseAndKeepAliveToAnHttp10ClientThatKeepsIt() {
        UpstreamHead h = (UpstreamHead) parse(false, "HTTP/1.1 204 No Content\r\nX-A: 1\r\n\r\n").get(0);
        Exchange closing = exchange();
        closing.keepAlive = false;
        assertThat(text(ForwardedResponse.start(h, closing).head(h, closing, ByteBufAllocator.DEFAULT)))
                .isEqualTo("HTTP/1.1 204 No Content\r\nX-A: 1\r\nx-request-id: rid-1\r\nconnection: close\r\n\r\n");
        Exchange old = exchange();
        old.http10 = true;
        assertThat(text(ForwardedResponse.start(h, old).head(h, old, ByteBufAllocator.DEFAULT)))
                .isEqualTo("HTTP/1.0 204 No Content\r\nX-A: 1\r\nx-request-id: rid-1\r\nconnection: keep-alive\r\n\r\n");
    }

    @Test void reChunksAChunkedBodyForAnHttp11ClientWithoutTheUpstreamsLengthAndKeepsItsTrailers() {
        List<Object> in = parse(false, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Length: 99\r\n\r\n"
                + "3;ext=1\r\nabc\r\n");
        UpstreamHead h = (UpstreamHead) in.get(0);
        Exchange ex = exchange();
        ForwardedResponse f = ForwardedResponse.start(h, ex);
        ResponseBytes head = f.head(h, ex, ByteBufAllocator.DEFAULT);
        assertThat(head.last).isFalse();
        assertThat(text(head)).isEqualTo("HTTP/1.1 200 OK\r\nx-request-id: rid-1\r\ntransfer-encoding: chunked\r\n\r\n");
        StringBuilder body = new StringBuilder();
        for (Object o : in.subList(1, in.size())) body.append(text(f.body((UpstreamBody) o, ByteBufAllocator.DEFAULT)));
        for (Object o : parse(false, "2\r\nde\r\n0\r\nX-Checksum: 42\r\n\r\n")) {
            ResponseBytes piece = f.body((UpstreamBody) o, ByteBufAllocator.DEFAULT);
            if (((UpstreamBody) o).last()) assertThat(piece.last).isTrue();
            body.append(text(piece));
        }
        assertThat(body.toString()).isEqualTo("3\r\nabc\r\n2\r\nde\r\n0\r\nX-Checksum: 42\r\n\r\n");
        assertThat(ex.keepAlive).isTrue();
    }

    @Test void sendsAChunkedBodyToAnHttp10ClientAsPlainBytesEndedByTheClose() {
        List<Object> in = parse(false, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n");
        UpstreamHead h = (UpstreamHead) in.get(0);
        assertThat(in).hasSize(1); // the whole body came with the head
        Exchange ex = exchange();
        ex.http10 = true;
        ResponseBytes b = ForwardedResponse.start(h, ex).head(h, ex, ByteBufAllocator.DEFAULT);
        assertThat(ex.keepAlive).isFalse();
        assertThat(text(b)).isEqualTo("HTTP/1.0 200 OK\r\nx-request-id: rid-1\r\nconnection: close\r\n\r\nabc");
        assertThat(b.last).isTrue();
    }

    @Test void framesABodyDelimitedByTheCloseAsChunksForAnHttp11Client() {
        List<Object> in = parse(false, "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\npart");
        UpstreamHead h = (UpstreamHead) in.get(0);
        Exchange ex = exchange();
        ForwardedResponse f = ForwardedResponse.start(h, ex);
        assertThat(text(f.head(h, ex, ByteBufAllocator.DEFAULT)))
                .isEqualTo("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nx-request-id: rid-1\r\ntransfer-encoding: chunked\r\n\r\n");
        assertThat(text(f.body((UpstreamBody) in.get(1), ByteBufAllocator.DEFAULT))).isEqualTo("4\r\npart\r\n");
        upstream.finish();
        UpstreamBody end = upstream.readInbound();
        toRelease.add(end);
        assertThat(end.last()).isTrue();
        assertThat(text(f.body(end, ByteBufAllocator.DEFAULT))).isEqualTo("0\r\n\r\n");
    }

    @Test void keepsTheLengthOfTheBodyAHeadRequestWouldHaveGot() {
        UpstreamHead h = (UpstreamHead) parse(true, "HTTP/1.1 200 OK\r\nContent-Length: 1234\r\n\r\n").get(0);
        Exchange ex = exchange();
        ResponseBytes b = ForwardedResponse.start(h, ex).head(h, ex, ByteBufAllocator.DEFAULT);
        assertThat(text(b)).isEqualTo("HTTP/1.1 200 OK\r\nContent-Length: 1234\r\nx-request-id: rid-1\r\n\r\n");
        assertThat(b.last).isTrue();
        assertThat(b.bodyBytes).isZero();
    }

    @Test void sendsALargeCompleteBodyBehindItsHeadWithoutCopyingItIntoTheHead() {
        String big = "x".repeat(40_000);
        UpstreamHead h = (UpstreamHead) parse(false, "HTTP/1.1 200 OK\r\nContent-Length: 40000\r\n\r\n" + big).get(0);
        Exchange ex = exchange();
        ResponseBytes b = ForwardedResponse.start(h, ex).head(h, ex, ByteBufAllocator.DEFAULT);
        ByteBuf all = b.content();
        assertThat(all).isInstanceOf(io.netty.buffer.CompositeByteBuf.class);
        assertThat(text(b)).isEqualTo("HTTP/1.1 200 OK\r\nContent-Length: 40000\r\nx-request-id: rid-1\r\n\r\n" + big);
        assertThat(b.bodyBytes).isEqualTo(40_000);
    }

    @Test void reChunksALargePieceAsAComposite() {
        String big = "y".repeat(20_000);
        List<Object> in = parse(false, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" + Integer.toHexString(20_000)
                + "\r\n" + big + "\r\n");
        UpstreamHead h = (UpstreamHead) in.get(0);
        Exchange ex = exchange();
        ForwardedResponse f = ForwardedResponse.start(h, ex);
        text(f.head(h, ex, ByteBufAllocator.DEFAULT));
        StringBuilder body = new StringBuilder();
        for (Object o : in.subList(1, in.size())) body.append(text(f.body((UpstreamBody) o, ByteBufAllocator.DEFAULT)));
        assertThat(body.toString()).isEqualTo(Integer.toHexString(20_000) + "\r\n" + big + "\r\n");
    }

    @Test void endsAnEmptyChunkedBodyOnceForAnHttp11Client() {
        List<Object> in = parse(false, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n");
        UpstreamHead h = (UpstreamHead) in.get(0);
        assertThat(in).hasSize(1);
        Exchange ex = exchange();
        assertThat(text(ForwardedResponse.start(h, ex).head(h, ex, ByteBufAllocator.DEFAULT)))
                .isEqualTo("HTTP/1.1 200 OK\r\nx-request-id: rid-1\r\ntransfer-encoding: chunked\r\n\r\n0\r\n\r\n");
    }

    @Test void sendsOneContentLengthWhenTheUpstreamRepeatedIt() {
        UpstreamHead h = (UpstreamHead) parse(false, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 2\r\n\r\nok").get(0);
        Exchange ex = exchange();
        assertThat(text(ForwardedResponse.start(h, ex).head(h, ex, ByteBufAllocator.DEFAULT)))
                .isEqualTo("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nx-request-id: rid-1\r\n\r\nok");
    }
}
