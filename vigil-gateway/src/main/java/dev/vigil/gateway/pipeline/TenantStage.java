package dev.vigil.gateway.pipeline;

import dev.vigil.gateway.policy.tenant.Tenant;
import dev.vigil.gateway.policy.tenant.TenantResolver;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.util.AsciiString;
import io.netty.util.ReferenceCountUtil;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Names the tenant of each request. With API keys and plans configured: the key header's value is looked up by its
 * SHA-256 (only hashes are configured) → tenant and plan; no key → the client address under the anonymous plan, or
 * 401 when there is none; an unknown key → 401 {@code application/problem+json}; the upstream then gets the resolved
 * tenant in the tenant header, whatever the client sent there. Without them: the configured tenant header,
 * {@code anonymous} when it is absent or unusable.
 */
final class TenantStage extends PolicyStage {
    private static final int MAX_TENANT_LENGTH = 64;
    private final AsciiString header;

    TenantStage(String header) {
        this.header = AsciiString.cached(header.toLowerCase(Locale.ROOT));
    }

    @Override void onMessage(Object msg) {
        if (msg instanceof HttpRequest req) {
            Exchange ex = ctx.channel().attr(Exchange.CURRENT).get();
            TenantResolver resolver = ex == null ? null : ex.config.tenants();
            if (resolver == null) {
                if (ex != null) ex.tenant = tenant(req.headers().get(header));
            } else {
                String key = req.headers().get(resolver.keyHeader());
                Optional<Tenant> t = resolver.resolve(key, clientAddress(ex, req));
                if (t.isEmpty()) {
                    ReferenceCountUtil.release(req);
                    answer(problem(resolver.unauthorized(key != null && !key.isEmpty()), List.of()), ex, false);
                    return;
                }
                ex.tenant = t.get().id();
                ex.plan = t.get().plan().name();
                ex.keyedTenant = t.get().source() == Tenant.Source.API_KEY;
                // The tenant header now says who the gateway found, not who the client claims to be: an upstream
                // may trust it.
                req.headers().set(header, ex.tenant);
            }
        }
        ctx.fireChannelRead(msg);
    }

    /**
     * The address an anonymous tenant is known by: the peer, or — when the peer is a trusted proxy — the right-most
     * {@code X-Forwarded-For} entry that is not itself a trusted proxy (entries further left are client-supplied
     * and could be forged to dodge a per-address limit).
     */
    static String clientAddress(Exchange ex, HttpRequest req) {
        String peer = ex.clientAddress == null ? "unknown" : ex.clientAddress;
        if (ex.clientAddress == null || !trusted(ex, peer)) return peer;
        String xff = req.headers().get(VigilHeaders.X_FORWARDED_FOR);
        if (xff == null) return peer;
        String[] hops = xff.split(",");
        for (int i = hops.length - 1; i >= 0; i--) {
            String hop = hops[i].trim();
            if (hop.isEmpty()) continue;
            if (!trusted(ex, hop)) return hop;
        }
        return peer;
    }

    private static boolean trusted(Exchange ex, String address) {
        // Only literal addresses: never a name lookup on the request path.
        java.net.InetAddress a = io.netty.util.NetUtil.createInetAddressFromIpAddressString(address);
        return a != null && ex.config.trusted(a);
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
