package dev.vigil.gateway.pipeline;

import io.netty.channel.CombinedChannelDuplexHandler;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseEncoder;

import java.util.ArrayDeque;
import java.util.List;

/**
 * Netty's {@code HttpServerCodec}, except that a request carrying both {@code Transfer-Encoding: chunked} and
 * {@code Content-Length} is always marked invalid, whatever the Netty version's default (older ones silently drop
 * the Content-Length). Two parsers that
 * disagree on where a request ends is how request smuggling works, so the limits stage answers 400 and closes.
 */
final class ServerCodec extends CombinedChannelDuplexHandler<HttpRequestDecoder, HttpResponseEncoder> {
    /** Set on a request that carried both framings. */
    static final class AmbiguousFramingException extends IllegalArgumentException {
        AmbiguousFramingException() {
            super("both Transfer-Encoding and Content-Length", null);
        }
    }

    ServerCodec(HttpDecoderConfig config) {
        ArrayDeque<HttpMethod> methods = new ArrayDeque<>();
        init(new HttpRequestDecoder(config) {
            @Override protected void handleTransferEncodingChunkedWithContentLength(HttpMessage message) {
                // Older Netty versions drop the Content-Length here and carry on; thrown, it marks the request invalid.
                throw new AmbiguousFramingException();
            }

            @Override protected void decode(io.netty.channel.ChannelHandlerContext ctx, io.netty.buffer.ByteBuf buffer, List<Object> out) throws Exception {
                int before = out.size();
                super.decode(ctx, buffer, out);
                for (int i = before; i < out.size(); i++) {
                    if (out.get(i) instanceof HttpRequest r) methods.add(r.method());
                }
            }
        }, new HttpResponseEncoder() {
            private HttpMethod current;

            @Override public void write(io.netty.channel.ChannelHandlerContext ctx, Object msg, io.netty.channel.ChannelPromise promise) throws Exception {
                if (msg instanceof ResponseBytes b) {
                    // A forwarded response, already encoded: its request's entry leaves the queue like an object's.
                    if (b.status >= 200) methods.poll();
                    ctx.write(b.content(), promise);
                    return;
                }
                super.write(ctx, msg, promise);
            }

            @Override public boolean acceptOutboundMessage(Object msg) throws Exception {
                if (msg instanceof HttpResponse r && r.status().code() >= 200) current = methods.poll();
                return super.acceptOutboundMessage(msg);
            }

            @Override protected boolean isContentAlwaysEmpty(HttpResponse msg) {
                // A response to HEAD has no body whatever its headers say (RFC 9110 §9.3.2).
                return HttpMethod.HEAD.equals(current) || super.isContentAlwaysEmpty(msg);
            }
        });
    }

    static boolean isLast(HttpObject o) { return o instanceof io.netty.handler.codec.http.LastHttpContent; }
}
