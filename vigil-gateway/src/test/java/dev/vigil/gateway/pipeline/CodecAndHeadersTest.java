package dev.vigil.gateway.pipeline;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class CodecAndHeadersTest {
    private static EmbeddedChannel codec() {
        return new EmbeddedChannel(new ServerCodec(new HttpDecoderConfig().setMaxHeaderSize(8192)));
    }

    @Test void marksARequestWithBothFramingsAsAmbiguous() {
        EmbeddedChannel ch = codec();
        ch.writeInbound(Unpooled.copiedBuffer("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", StandardCharsets.US_ASCII));
        HttpRequest req = ch.readInbound();
        assertThat(req.decoderResult().isFailure()).isTrue();
        assertThat(req.decoderResult().cause()).isInstanceOf(ServerCodec.AmbiguousFramingException.class);
        Object o;
        while ((o = ch.readInbound()) != null) ReferenceCountUtil.release(o);
    }

    @Test void writesNoBodyForAHeadRequestEvenWhenTheResponseIsChunked() {
        EmbeddedChannel ch = codec();
        ch.writeInbound(Unpooled.copiedBuffer("HEAD / HTTP/1.1\r\nHost: x\r\n\r\n", StandardCharsets.US_ASCII));
        Object o;
        while ((o = ch.readInbound()) != null) ReferenceCountUtil.release(o);
        DefaultHttpResponse r = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        r.headers().set("transfer-encoding", "chunked");
        ch.writeOutbound(r, LastHttpContent.EMPTY_LAST_CONTENT);
        StringBuilder wire = new StringBuilder();
        ByteBuf b;
        while ((b = ch.readOutbound()) != null) {
            wire.append(b.toString(StandardCharsets.US_ASCII));
            b.release();
        }
        assertThat(wire.toString()).endsWith("\r\n\r\n").doesNotContain("0\r\n\r\n0");
        assertThat(wire.toString()).doesNotEndWith("0\r\n\r\n");
    }

    @Test void stripsHopByHopHeadersAndEveryHeaderNamedInConnection() {
        HttpHeaders h = new DefaultHttpHeaders();
        h.add("Connection", "keep-alive, X-Secret");
        h.add("Connection", "x-other");
        h.add("X-Secret", "1").add("X-Other", "2").add("Keep-Alive", "5").add("Upgrade", "h2c").add("TE", "trailers")
                .add("Proxy-Authorization", "Basic x").add("Proxy-Connection", "keep-alive").add("X-Kept", "yes")
                .add("TRAILER", "Expires").add("transfer-encoding", "chunked").add("Proxy-Authenticate", "Basic")
                .add("Te-Not", "kept").add("X-Upgrade", "kept");
        Forwarding.stripHopByHop(h);
        assertThat(h.names()).containsExactlyInAnyOrder("X-Kept", "Te-Not", "X-Upgrade");
    }

    @Test void connectionTokensNeverRemoveContentLengthOrHost() {
        HttpHeaders h = new DefaultHttpHeaders().add("Host", "a").add("Content-Length", "5")
                .add("Connection", "content-length, HOST, x-gone").add("X-Gone", "1");
        Forwarding.stripHopByHop(h);
        assertThat(h.names()).containsExactlyInAnyOrder("Host", "Content-Length");
    }

    @Test void aHeadWithoutHopByHopFieldsKeepsEveryField() {
        HttpHeaders h = new DefaultHttpHeaders().add("Host", "a").add("Accept", "*/*").add("X-Connection", "close");
        Forwarding.stripHopByHop(h);
        assertThat(h.names()).containsExactlyInAnyOrder("Host", "Accept", "X-Connection");
    }

    @Test void readsHostWithoutPortAndRejectsMalformedOnes() {
        assertThat(LimitsStage.hostOnly("API.Example.com:8080")).isEqualTo("api.example.com");
        assertThat(LimitsStage.hostOnly("[::1]:80")).isEqualTo("[::1]");
        assertThat(LimitsStage.hostOnly("a.test:http")).isNull();
        assertThat(LimitsStage.hostOnly("user@evil.test")).isNull();
        assertThat(LimitsStage.hostOnly("a b")).isNull();
        assertThat(LimitsStage.hostOnly("evil.test?.example.com")).isNull();
        assertThat(LimitsStage.hostOnly("a.example.com,evil.test")).isNull();
        assertThat(LimitsStage.hostOnly("evil.test#.example.com")).isNull();
        assertThat(LimitsStage.hostOnly("[::1;x]")).isNull();
        assertThat(LimitsStage.hostOnly("internal_api-2.example.com")).isEqualTo("internal_api-2.example.com");
        assertThat(LimitsStage.hostOnly("[2001:db8::1]:8443")).isEqualTo("[2001:db8::1]");
        assertThat(LimitsStage.hostOnly("127.0.0.1:80")).isEqualTo("127.0.0.1");
    }

    @Test void findsPathsTheUpstreamCouldReadAsAnotherPath() {
        for (String bad : new String[] {"/static/../account", "/static/..", "/a/./b", "/a/%2e%2e/b", "/a/%2E./b", "/static/..;/account",
                "/a%2fb", "/a%2Fb", "/a%5cb", "/a\\b", "/."}) {
            assertThat(LimitsStage.ambiguousPath(bad)).as(bad).isNotNull();
        }
        for (String good : new String[] {"/", "/a/b", "/.well-known/x", "/a..b/c.d", "/files/v1.2/..x", "/a;jsessionid=1/b", "/a%20b", "/a%2"}) {
            assertThat(LimitsStage.ambiguousPath(good)).as(good).isNull();
        }
    }

    @Test void keepsASaneRequestIdAndReplacesAnythingElse() {
        assertThat(LimitsStage.requestId("abc-123")).isEqualTo("abc-123");
        assertThat(LimitsStage.requestId("bad id with spaces")).matches("[0-9a-f]{32}");
        assertThat(LimitsStage.requestId("x".repeat(129))).matches("[0-9a-f]{32}");
        assertThat(LimitsStage.requestId(null)).matches("[0-9a-f]{32}").isNotEqualTo(LimitsStage.requestId(null));
    }

    @Test void keepsOnlyUsableTenantNames() {
        assertThat(TenantStage.tenant("acme-corp_1")).isEqualTo("acme-corp_1");
        assertThat(TenantStage.tenant(null)).isEqualTo("anonymous");
        assertThat(TenantStage.tenant("")).isEqualTo("anonymous");
        assertThat(TenantStage.tenant("drop table;")).isEqualTo("anonymous");
        assertThat(TenantStage.tenant("t".repeat(65))).isEqualTo("anonymous");
    }
}
