package dev.vigil.gateway.pipeline;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;

import java.nio.charset.StandardCharsets;

/** Responses the gateway writes itself: RFC 9457 {@code application/problem+json}, never a stack trace. */
public final class Responses {
    private Responses() {}

    /**
     * Writes a problem response for the current exchange. With {@code close} the connection closes once it is
     * written (the rest of the request was not read, so the connection's framing cannot be trusted).
     */
    public static ChannelFuture problem(ChannelHandlerContext ctx, int status, String detail, Exchange ex, boolean close) {
        HttpResponseStatus s = HttpResponseStatus.valueOf(status);
        String json = "{\"type\":\"about:blank\",\"title\":" + quote(s.reasonPhrase()) + ",\"status\":" + status
                + ",\"detail\":" + quote(detail)
                + (ex != null && ex.requestId != null ? ",\"requestId\":" + quote(ex.requestId) : "") + "}\n";
        ByteBuf body = ctx.alloc().buffer(json.length());
        body.writeCharSequence(json, StandardCharsets.UTF_8);
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, s, body);
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/problem+json");
        r.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes());
        if (status == 503) r.headers().set(HttpHeaderNames.RETRY_AFTER, "1");
        if (close) {
            if (ex != null) ex.keepAlive = false;
            r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        }
        return ctx.writeAndFlush(r);
    }

    static String quote(String s) {
        StringBuilder b = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                default -> {
                    if (c < 0x20) b.append(String.format("\\u%04x", (int) c)); else b.append(c);
                }
            }
        }
        return b.append('"').toString();
    }
}
