package dev.vigil.bench;

import dev.vigil.gateway.upstream.ForwardedRequest;
import dev.vigil.gateway.upstream.RequestEncoder;
import dev.vigil.gateway.upstream.ResponseParser;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpRequestEncoder;
import io.netty.handler.codec.http.HttpResponseDecoder;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.AsciiString;
import io.netty.util.ReferenceCountUtil;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * The upstream side of one proxied exchange, the gateway's codec against Netty's: reading a typical response (an
 * nginx static answer: eight fields, a 13-byte body, one socket read) and writing a typical forwarded request
 * head (the client's five fields plus the four the gateway sets). {@code codec=netty} is what the gateway used
 * before session 4 ({@code HttpResponseDecoder}, and {@code HttpRequestEncoder} after setting the forwarded fields
 * in the header map); {@code codec=vigil} is {@link ResponseParser} and {@link RequestEncoder}. Both run in an
 * {@link EmbeddedChannel}, whose own cost is in both figures.
 *
 * <pre>java -jar bench/target/benchmarks.jar UpstreamCodecBenchmark -prof gc</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class UpstreamCodecBenchmark {
    private static final String RESPONSE = "HTTP/1.1 200 OK\r\nServer: nginx/1.22.1\r\nDate: Wed, 25 Nov 2026 15:03:47 GMT\r\n"
            + "Content-Type: text/plain\r\nContent-Length: 13\r\nLast-Modified: Wed, 25 Nov 2026 14:40:00 GMT\r\n"
            + "Connection: keep-alive\r\nETag: \"6921c0a0-d\"\r\nAccept-Ranges: bytes\r\n\r\nhello, world\n";
    private static final AsciiString[] OMIT = {AsciiString.cached("x-forwarded-for"), AsciiString.cached("x-forwarded-proto"),
            AsciiString.cached("x-forwarded-host"), AsciiString.cached("x-request-id")};

    @Param({"vigil", "netty"})
    String codec;

    private ByteBuf response;
    private EmbeddedChannel upstream;
    private ResponseParser parser;
    private HttpHeaders clientFields;

    @Setup
    public void setUp() {
        response = Unpooled.directBuffer().writeBytes(RESPONSE.getBytes(StandardCharsets.US_ASCII));
        if (codec.equals("vigil")) {
            parser = new ResponseParser(64 * 1024);
            upstream = new EmbeddedChannel(new RequestEncoder(), parser);
        } else {
            upstream = new EmbeddedChannel(new HttpRequestEncoder(), new HttpResponseDecoder());
        }
        clientFields = new DefaultHttpHeaders().add("Host", "api.example.com").add("User-Agent", "bench/1.0")
                .add("Accept", "application/json").add("Accept-Encoding", "gzip").add("Authorization", "Bearer abc.def.ghi");
    }

    @Benchmark
    public void readResponse(Blackhole bh) {
        if (parser != null) parser.expect(false);
        upstream.writeInbound(response.retainedDuplicate());
        Object m;
        while ((m = upstream.readInbound()) != null) {
            bh.consume(m);
            ReferenceCountUtil.release(m);
        }
    }

    @Benchmark
    public void writeRequestHead(Blackhole bh) {
        if (parser != null) {
            upstream.writeOutbound(new ForwardedRequest(HttpMethod.GET, "/api/v1/items/42?expand=true", clientFields, OMIT,
                    new CharSequence[] {"x-forwarded-for", "10.1.2.3", "x-forwarded-proto", "http",
                            "x-forwarded-host", "api.example.com", "x-request-id", "0baf0620aea43f174bf0aae2476ddea5"}, false),
                    LastHttpContent.EMPTY_LAST_CONTENT);
        } else {
            // What Forwarding did before: edits of the decoded request's header map in place (the same edits every
            // time, so the map stays as after the first), then Netty's encoder.
            HttpHeaders h = clientFields;
            h.set("x-forwarded-for", "10.1.2.3").set("x-forwarded-proto", "http").set("x-forwarded-host", "api.example.com");
            for (String name : new String[] {"forwarded", "x-real-ip", "true-client-ip", "x-client-ip", "x-forwarded-port", "x-forwarded-prefix"}) {
                h.remove(name);
            }
            h.set("x-request-id", "0baf0620aea43f174bf0aae2476ddea5");
            HttpRequest r = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/api/v1/items/42?expand=true", h);
            upstream.writeOutbound(r, LastHttpContent.EMPTY_LAST_CONTENT);
        }
        Object m;
        while ((m = upstream.readOutbound()) != null) {
            bh.consume(m);
            ReferenceCountUtil.release(m);
        }
    }
}
