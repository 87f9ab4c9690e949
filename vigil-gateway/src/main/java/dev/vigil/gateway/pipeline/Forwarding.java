package dev.vigil.gateway.pipeline;

import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.AsciiString;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Header hygiene between client and upstream (RFC 9110 §7.6.1): hop-by-hop headers — the fixed list and every header
 * named in {@code Connection} — never cross the gateway; X-Forwarded-* and X-Request-Id are the gateway's to set.
 */
final class Forwarding {
    private static final AsciiString[] HOP_BY_HOP = {
            HttpHeaderNames.CONNECTION, VigilHeaders.KEEP_ALIVE, AsciiString.cached("proxy-connection"),
            HttpHeaderNames.TE, HttpHeaderNames.TRAILER, HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderNames.UPGRADE,
            HttpHeaderNames.PROXY_AUTHENTICATE, HttpHeaderNames.PROXY_AUTHORIZATION};

    /** Set by proxies, trusted by many upstreams: kept only from trusted proxies. */
    private static final AsciiString[] PROXY_SET = {
            VigilHeaders.FORWARDED, AsciiString.cached("x-real-ip"), AsciiString.cached("true-client-ip"),
            AsciiString.cached("x-client-ip"), AsciiString.cached("x-forwarded-port"), AsciiString.cached("x-forwarded-prefix")};

    private Forwarding() {}

    /**
     * The request head to send upstream: origin-form target, HTTP/1.1, keep-alive, forwarded headers. {@code in} is
     * an admitted head (or a copy of one): its hop-by-hop fields are already gone ({@link #stripRequestHopByHop},
     * run by the limits stage).
     */
    static HttpRequest upstreamRequest(HttpRequest in, Exchange ex, InetSocketAddress peer, boolean trustedPeer) {
        HttpHeaders h = in.headers(); // the decoded request is ours alone: edit its headers in place, no copy

        String client = ex.clientAddress != null ? ex.clientAddress : peer == null ? "unknown" : peer.getAddress().getHostAddress();
        String priorFor = trustedPeer ? h.get(VigilHeaders.X_FORWARDED_FOR) : null;
        h.set(VigilHeaders.X_FORWARDED_FOR, priorFor == null || priorFor.isBlank() ? client : priorFor + ", " + client);
        String proto = trustedPeer ? h.get(VigilHeaders.X_FORWARDED_PROTO) : null;
        h.set(VigilHeaders.X_FORWARDED_PROTO, proto == null || proto.isBlank() ? "http" : proto);
        String fwdHost = trustedPeer ? h.get(VigilHeaders.X_FORWARDED_HOST) : null;
        String host = h.get(HttpHeaderNames.HOST);
        if (fwdHost != null && !fwdHost.isBlank()) {
            h.set(VigilHeaders.X_FORWARDED_HOST, fwdHost);
        } else if (host != null) {
            h.set(VigilHeaders.X_FORWARDED_HOST, host);
        } else {
            h.remove(VigilHeaders.X_FORWARDED_HOST);
        }
        if (!trustedPeer) {
            // Client-address and prefix fields other proxies set: from an untrusted peer they are forgeries.
            for (AsciiString name : PROXY_SET) h.remove(name);
        }
        h.set(VigilHeaders.REQUEST_ID, ex.requestId);
        return new DefaultHttpRequest(HttpVersion.HTTP_1_1, in.method(), ex.target, h);
    }

    /**
     * Removes a request's hop-by-hop fields; a chunked body stays declared chunked (it is framed again for the
     * upstream). Run when the request is admitted, so every later stage — tenant, rate limit, idempotency, the
     * cache key — sees the head the upstream will get: a field the client names in {@code Connection} must not
     * vary a cache key while the upstream never sees it (cache poisoning).
     */
    static void stripRequestHopByHop(HttpRequest req) {
        boolean chunked = HttpUtil.isTransferEncodingChunked(req);
        stripHopByHop(req.headers());
        if (chunked) req.headers().set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
    }

    /**
     * The response head to send to the client. A body delimited only by the upstream closing the connection is
     * re-framed as chunked for HTTP/1.1 clients (the client's connection then stays usable).
     */
    static HttpResponse clientResponse(HttpResponse in, Exchange ex, boolean headRequest) {
        HttpHeaders h = in.headers(); // edited in place: the decoded response is ours alone
        boolean chunked = HttpUtil.isTransferEncodingChunked(in);
        stripHopByHop(h);
        int code = in.status().code();
        boolean bodyless = headRequest || code == 204 || code == 304;
        if (chunked && !bodyless) {
            if (ex.http10) ex.keepAlive = false; else h.set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
        } else if (!bodyless && !h.contains(HttpHeaderNames.CONTENT_LENGTH)) {
            if (ex.http10) ex.keepAlive = false; else h.set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
        }
        in.setProtocolVersion(ex.http10 ? HttpVersion.HTTP_1_0 : HttpVersion.HTTP_1_1);
        return in;
    }

    /**
     * Removes the hop-by-hop fields, and those named by {@code Connection} except the framing and Host
     * ({@link #isEndToEnd}). One pass over the fields finds the ones present: a typical head carries none
     * but {@code Connection}, and looking each listed name up in the header map (ten hash lookups per head, twice
     * per exchange) cost more than reading each field's name once.
     */
    static void stripHopByHop(HttpHeaders h) {
        List<CharSequence> present = null;
        for (Iterator<Map.Entry<CharSequence, CharSequence>> it = h.iteratorCharSequence(); it.hasNext(); ) {
            Map.Entry<CharSequence, CharSequence> field = it.next();
            CharSequence name = field.getKey();
            if (!isHopByHop(name)) continue;
            if (present == null) present = new ArrayList<>(4);
            present.add(name);
            if (AsciiString.contentEqualsIgnoreCase(name, HttpHeaderNames.CONNECTION)) {
                for (String token : field.getValue().toString().split(",")) {
                    String t = token.trim();
                    if (!t.isEmpty() && !isEndToEnd(t)) present.add(t);
                }
            }
        }
        if (present != null) for (CharSequence n : present) h.remove(n);
    }

    /**
     * Fields a {@code Connection} token may not remove: the request's framing and its Host. {@code Connection:
     * Content-Length} on a request with a body would otherwise reach the upstream without framing, and the body
     * would be read as a second request on the pooled connection (request smuggling). RFC 9110 §7.6.1 lets the
     * proxy decide which connection options it honours; these are never connection options.
     */
    private static boolean isEndToEnd(String token) {
        return HttpHeaderNames.CONTENT_LENGTH.contentEqualsIgnoreCase(token) || HttpHeaderNames.HOST.contentEqualsIgnoreCase(token);
    }

    private static boolean isHopByHop(CharSequence name) {
        int n = name.length();
        for (AsciiString hop : HOP_BY_HOP) {
            if (hop.length() == n && AsciiString.contentEqualsIgnoreCase(name, hop)) return true;
        }
        return false;
    }
}
