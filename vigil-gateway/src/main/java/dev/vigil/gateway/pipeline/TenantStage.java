package dev.vigil.gateway.pipeline;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.util.AsciiString;

/**
 * Names the tenant of each request from the configured header, {@code anonymous} when it is absent or unusable.
 * The edge-policy work replaces this with API-key resolution (keys → tenant and plan); the slot stays here.
 */
final class TenantStage extends ChannelInboundHandlerAdapter {
    private static final int MAX_TENANT_LENGTH = 64;
    private final AsciiString header;

    TenantStage(String header) {
        this.header = AsciiString.cached(header.toLowerCase(java.util.Locale.ROOT));
    }

    @Override public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        if (msg instanceof HttpRequest req) {
            Exchange ex = ctx.channel().attr(Exchange.CURRENT).get();
            if (ex != null) ex.tenant = tenant(req.headers().get(header));
        }
        super.channelRead(ctx, msg);
    }

    static String tenant(String value) {
        if (value == null) return "anonymous";
        String v = value.trim();
        if (v.isEmpty() || v.length() > MAX_TENANT_LENGTH) return "anonymous";
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (!(Character.isLetterOrDigit(c) || c == '-' || c == '_' || c == '.') || c > 0x7f) return "anonymous";
        }
        return v;
    }
}
