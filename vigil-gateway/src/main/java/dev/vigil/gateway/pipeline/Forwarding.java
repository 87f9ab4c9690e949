package dev.vigil.gateway.pipeline;

import dev.vigil.gateway.upstream.ForwardedRequest;
import dev.vigil.gateway.upstream.HopByHop;
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
    /** Set by proxies, trusted by many upstreams: kept only from trusted proxies. */
    private static final AsciiString[] PROXY_SET = {
            VigilHeaders.FORWARDED, AsciiString.cached("x-real-ip"), AsciiString.cached("true-client-ip"),
            AsciiString.cached("x-client-ip"), AsciiString.cached("x-forwarded-port"), AsciiString.cached("x-forwarded-prefix")};

    private Forwarding() {}

    /** Client fields the gateway always replaces with its own. */
    private static final AsciiString[] REPLACED = {
            VigilHeaders.X_FORWARDED_FOR, VigilHeaders.X_FORWARDED_PROTO, VigilHeaders.X_FORWARDED_HOST, VigilHeaders.REQUEST_ID};
    private static final AsciiString[] FRAMING = {HttpHeaderNames.CONTENT_LENGTH, HttpHeaderNames.TRANSFER_ENCODING};
    /** What is not sent of a client's fields: [trusted peer][with body]. */
    private static final AsciiString[][][] OMIT = {
            {concat(REPLACED, PROXY_SET, FRAMING), concat(REPLACED, PROXY_SET)},
            {concat(REPLACED, FRAMING), REPLACED}};

    /**
     * The request head to send upstream: origin-form target, HTTP/1.1, the client's fields with the forwarded ones
     * the gateway sets (X-Forwarded-For/Proto/Host, X-Request-Id). {@code in} is an admitted head (or a copy of
     * one): its hop-by-hop fields are already gone ({@link #stripRequestHopByHop}, run by the limits stage).
     * Without {@code withBody} the framing fields are dropped too (the cache's bodiless fetch).
     */
    static ForwardedRequest upstreamRequest(HttpRequest in, Exchange ex, InetSocketAddress peer, boolean trustedPeer, boolean withBody) {
        HttpHeaders h = in.headers();
        String client = ex.clientAddress != null ? ex.clientAddress : peer == null ? "unknown" : peer.getAddress().getHostAddress();
        String forwardedFor = client, proto = "http", forwardedHost = null;
        if (trustedPeer) {
            // Only a trusted proxy's forwarded fields are believed; anyone else's are replaced.
            String priorFor = h.get(VigilHeaders.X_FORWARDED_FOR);
            if (priorFor != null && !priorFor.isBlank()) forwardedFor = priorFor + ", " + client;
            String priorProto = h.get(VigilHeaders.X_FORWARDED_PROTO);
            if (priorProto != null && !priorProto.isBlank()) proto = priorProto;
            String priorHost = h.get(VigilHeaders.X_FORWARDED_HOST);
            if (priorHost != null && !priorHost.isBlank()) forwardedHost = priorHost;
        }
        if (forwardedHost == null) forwardedHost = h.get(HttpHeaderNames.HOST);
        CharSequence[] added = forwardedHost == null
                ? new CharSequence[] {VigilHeaders.X_FORWARDED_FOR, forwardedFor, VigilHeaders.X_FORWARDED_PROTO, proto,
                        VigilHeaders.REQUEST_ID, ex.requestId}
                : new CharSequence[] {VigilHeaders.X_FORWARDED_FOR, forwardedFor, VigilHeaders.X_FORWARDED_PROTO, proto,
                        VigilHeaders.X_FORWARDED_HOST, forwardedHost, VigilHeaders.REQUEST_ID, ex.requestId};
        // From an untrusted peer, the client-address and prefix fields other proxies set are forgeries: dropped.
        AsciiString[] omit = OMIT[trustedPeer ? 1 : 0][withBody ? 1 : 0];
        return new ForwardedRequest(in.method(), ex.target, h, omit, added, withBody && HttpUtil.isTransferEncodingChunked(in));
    }

    private static AsciiString[] concat(AsciiString[]... parts) {
        return java.util.Arrays.stream(parts).flatMap(java.util.Arrays::stream).toArray(AsciiString[]::new);
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
            if (!HopByHop.is(name)) continue;
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
}
