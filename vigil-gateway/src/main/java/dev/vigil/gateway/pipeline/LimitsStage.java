package dev.vigil.gateway.pipeline;

import dev.vigil.gateway.config.Route;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.util.ReferenceCountUtil;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

/**
 * The first policy stage: rejects what must never reach an upstream, before any upstream work starts.
 * <ul>
 *   <li>malformed requests → 400; head larger than the limit → 431; request line too long → 414;</li>
 *   <li>request smuggling: both Transfer-Encoding and Content-Length, several or conflicting Content-Lengths, a
 *       Transfer-Encoding other than exactly {@code chunked}, a missing or repeated Host → 400;</li>
 *   <li>open-proxy attempts: CONNECT → 405, an absolute-form target whose authority differs from Host → 400;</li>
 *   <li>a path the upstream could read differently from the routes: dot segments, encoded slashes → 400;</li>
 *   <li>no route for host, method and path → 404 (only configured upstreams are ever contacted);</li>
 *   <li>a declared Content-Length over the route's body limit → 413 at once, without reading the body; a chunked
 *       body is counted as it streams and cut with 413 the moment it passes the limit.</li>
 * </ul>
 * It also resolves the route, because the route decides the limits, assigns the request id, and removes the
 * hop-by-hop fields, so that the stages behind it see the head the upstream will get.
 * Every rejection closes the connection: the rest of the request was not read.
 */
final class LimitsStage extends ChannelInboundHandlerAdapter {
    private static final int MAX_REQUEST_ID_LENGTH = 128;
    private final Supplier<ActiveConfig> active;
    private Exchange ex;
    private long maxBodyBytes;
    private boolean rejected;

    LimitsStage(Supplier<ActiveConfig> active) {
        this.active = active;
    }

    @Override public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        if (msg instanceof HttpRequest req) {
            rejected = false;
            ex = ctx.channel().attr(Exchange.CURRENT).get();
            String problem = admit(ctx, req);
            if (problem != null) {
                ReferenceCountUtil.release(msg);
                return;
            }
        } else if (msg instanceof HttpContent c) {
            if (rejected || ex == null) {
                ReferenceCountUtil.release(msg);
                return;
            }
            ex.requestBodyBytes += c.content().readableBytes();
            if (ex.requestBodyBytes > maxBodyBytes) {
                ReferenceCountUtil.release(msg);
                reject(ctx, 413, "request body exceeds " + maxBodyBytes + " bytes");
                return;
            }
            if (c instanceof LastHttpContent last) {
                ex = null;
                // Request trailers would reach the upstream unchecked, and some upstreams merge them into the head
                // (a forged X-Forwarded-For or tenant header). The body is framed again upstream, and RFC 9110
                // §6.5.1 lets whoever removes the chunked coding drop them.
                if (!last.trailingHeaders().isEmpty()) last.trailingHeaders().clear();
            }
        }
        super.channelRead(ctx, msg);
    }

    /** Returns null when admitted, else the reason (a response was written). */
    private String admit(ChannelHandlerContext ctx, HttpRequest req) {
        ActiveConfig cfg = active.get();
        ex.config = cfg;
        HttpHeaders h = req.headers();
        ex.requestId = requestId(h.get(VigilHeaders.REQUEST_ID));
        DecoderResult dr = req.decoderResult();
        if (dr.isFailure()) {
            Throwable cause = dr.cause();
            if (cause instanceof TooLongHttpHeaderException) return reject(ctx, 431, "request header fields too large");
            if (cause instanceof TooLongHttpLineException) return reject(ctx, 414, "request line too long");
            if (cause instanceof TooLongFrameException) return reject(ctx, 431, "request head too large");
            if (cause instanceof ServerCodec.AmbiguousFramingException) {
                return reject(ctx, 400, "both Transfer-Encoding and Content-Length are present");
            }
            return reject(ctx, 400, "malformed request: " + cause.getMessage());
        }
        ex.http10 = req.protocolVersion().equals(HttpVersion.HTTP_1_0);
        ex.keepAlive = HttpUtil.isKeepAlive(req);
        if (req.method().equals(HttpMethod.CONNECT)) return reject(ctx, 405, "CONNECT is not supported: this is not a forward proxy");
        List<String> te = h.getAll(HttpHeaderNames.TRANSFER_ENCODING);
        if (!te.isEmpty()) {
            if (ex.http10) return reject(ctx, 400, "Transfer-Encoding is not allowed in HTTP/1.0");
            if (te.size() != 1 || !te.get(0).trim().equalsIgnoreCase("chunked")) {
                return reject(ctx, 400, "Transfer-Encoding must be exactly 'chunked'");
            }
            if (h.contains(HttpHeaderNames.CONTENT_LENGTH)) return reject(ctx, 400, "both Transfer-Encoding and Content-Length are present");
        }
        List<String> cl = h.getAll(HttpHeaderNames.CONTENT_LENGTH);
        if (cl.size() > 1) return reject(ctx, 400, "several Content-Length headers");
        long contentLength = 0;
        if (cl.size() == 1) {
            try {
                contentLength = Long.parseLong(cl.get(0).trim());
            } catch (NumberFormatException e) {
                return reject(ctx, 400, "Content-Length is not a number");
            }
            if (contentLength < 0) return reject(ctx, 400, "Content-Length is negative");
        }
        List<String> hosts = h.getAll(HttpHeaderNames.HOST);
        if (hosts.size() > 1) return reject(ctx, 400, "several Host headers");
        if (hosts.isEmpty() && !ex.http10) return reject(ctx, 400, "Host header is required in HTTP/1.1");
        String host = hosts.isEmpty() ? "" : hostOnly(hosts.get(0));
        if (host == null) return reject(ctx, 400, "malformed Host header");

        String uri = req.uri();
        String target;
        if (uri.startsWith("/")) {
            target = uri;
        } else if (uri.equals("*") && req.method().equals(HttpMethod.OPTIONS)) {
            target = "*";
        } else {
            // Absolute form (RFC 9112 §3.2.2) is allowed only for our own host: never a forward proxy.
            int scheme = uri.indexOf("://");
            if (scheme <= 0) return reject(ctx, 400, "malformed request target");
            int pathStart = uri.indexOf('/', scheme + 3);
            String authority = pathStart < 0 ? uri.substring(scheme + 3) : uri.substring(scheme + 3, pathStart);
            String authHost = hostOnly(authority);
            if (authHost == null || !authHost.equals(host)) {
                return reject(ctx, 400, "absolute request target for another host; this gateway is not a forward proxy");
            }
            target = pathStart < 0 ? "/" : uri.substring(pathStart);
        }
        int q = target.indexOf('?');
        ex.target = target;
        ex.path = q < 0 ? target : target.substring(0, q);
        String ambiguous = ambiguousPath(ex.path);
        if (ambiguous != null) return reject(ctx, 400, "the path " + ambiguous + " (routes and the cache match the path as sent)");
        ex.host = host;
        Route route = cfg.route(host, ex.method, ex.path);
        if (route == null) return reject(ctx, 404, "no route for " + ex.method + " " + ex.path);
        ex.route = route;
        maxBodyBytes = route.limits().maxBodyBytes();
        if (contentLength > maxBodyBytes) return reject(ctx, 413, "request body of " + contentLength + " bytes exceeds " + maxBodyBytes);
        if (HttpUtil.is100ContinueExpected(req)) {
            // Answered here rather than by the upstream: the gateway decides whether it will read the body.
            h.remove(HttpHeaderNames.EXPECT);
            ctx.writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE));
        } else if (h.contains(HttpHeaderNames.EXPECT)) {
            return reject(ctx, 417, "only 'Expect: 100-continue' is supported");
        }
        // Framing, keep-alive and Expect are settled above; from here on every stage sees the upstream's head.
        Forwarding.stripRequestHopByHop(req);
        return null;
    }

    private String reject(ChannelHandlerContext ctx, int status, String detail) {
        rejected = true;
        Exchange e = ex;
        ex = null;
        if (e != null && e.responseStarted) {
            ctx.close(); // the response is already under way: cutting the connection is all that is left
        } else {
            Responses.problem(ctx, status, detail, e, true).addListener(ChannelFutureListener.CLOSE);
        }
        return detail;
    }

    /** Lower-case host without port; null when malformed. */
    static String hostOnly(String hostHeader) {
        String s = hostHeader.trim();
        if (s.isEmpty()) return null;
        String host;
        if (s.startsWith("[")) {
            int end = s.indexOf(']');
            if (end < 0) return null;
            host = s.substring(0, end + 1);
            if (!portOrNothing(s, end + 1)) return null;
        } else {
            int colon = s.indexOf(':');
            host = colon < 0 ? s : s.substring(0, colon);
            if (colon >= 0 && !portOrNothing(s, colon)) return null;
        }
        // Only what a host name or an IPv6 literal is made of: a wildcard route matches by suffix, and a Host like
        // "evil.test?.example.com" or "a.example.com,evil.test" must not pass for one of its subdomains (upstreams
        // build links from Host and X-Forwarded-Host).
        boolean literal = host.startsWith("[");
        for (int i = literal ? 1 : 0; i < host.length() - (literal ? 1 : 0); i++) {
            char c = host.charAt(i);
            boolean ok = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.'
                    || (literal ? c == ':' : c == '-' || c == '_');
            if (!ok) return null;
        }
        return host.toLowerCase(Locale.ROOT);
    }

    /**
     * Why the upstream could read {@code path} as another path than the one routes and cache keys see, or null.
     * A dot segment ({@code /static/../account}, also {@code %2e%2e} or Tomcat's {@code ..;}), an encoded slash or
     * backslash ({@code %2f}, {@code %5c}) or a backslash: a route for {@code /static/} with a cache would
     * otherwise store the upstream's {@code /account} page, with the victim's session, under a static key (cache
     * deception). Clients normalise such paths before sending; nothing legitimate is lost.
     */
    static String ambiguousPath(String path) {
        int n = path.length();
        // One pass per segment, no allocation (this runs per request): a segment that is, up to any ';', one or
        // two dots, each written '.' or '%2e'.
        for (int start = 0; start <= n; ) {
            int end = path.indexOf('/', start);
            if (end < 0) end = n;
            int dots = 0;
            boolean onlyDots = true;
            for (int i = start; i < end && path.charAt(i) != ';' && onlyDots; i++) {
                char c = path.charAt(i);
                if (c == '.') {
                    dots++;
                } else if (c == '%' && i + 2 < end && path.charAt(i + 1) == '2' && (path.charAt(i + 2) | 0x20) == 'e') {
                    dots++;
                    i += 2;
                } else {
                    onlyDots = false;
                }
            }
            if (onlyDots && (dots == 1 || dots == 2)) return "has a dot segment";
            start = end + 1;
        }
        for (int i = 0; i < n; i++) {
            char c = path.charAt(i);
            if (c == '\\') return "has a backslash";
            if (c == '%' && i + 2 < n) {
                char a = path.charAt(i + 1), b = Character.toLowerCase(path.charAt(i + 2));
                if ((a == '2' && b == 'f') || (a == '5' && b == 'c')) return "encodes a slash or backslash";
            }
        }
        return null;
    }

    /** Whether {@code s} from {@code at} is empty or {@code :} and 1 to 5 digits (no regex: this runs per request). */
    private static boolean portOrNothing(String s, int at) {
        int n = s.length() - at;
        if (n == 0) return true;
        if (n < 2 || n > 6 || s.charAt(at) != ':') return false;
        for (int i = at + 1; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') return false;
        }
        return true;
    }

    /** The client's id when it is a sane token, else a fresh random one (128 bits, hex). */
    static String requestId(String given) {
        if (given != null && !given.isEmpty() && given.length() <= MAX_REQUEST_ID_LENGTH) {
            boolean ok = true;
            for (int i = 0; i < given.length() && ok; i++) {
                char c = given.charAt(i);
                ok = c > ' ' && c < 0x7f;
            }
            if (ok) return given;
        }
        ThreadLocalRandom r = ThreadLocalRandom.current();
        byte[] out = new byte[32]; // Latin-1 bytes: the String takes them without a UTF-16 round trip
        hex(r.nextLong(), out, 0);
        hex(r.nextLong(), out, 16);
        return new String(out, StandardCharsets.ISO_8859_1);
    }

    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.ISO_8859_1);

    private static void hex(long v, byte[] out, int at) {
        for (int i = 15; i >= 0; i--) {
            out[at + i] = HEX[(int) (v & 0xf)];
            v >>>= 4;
        }
    }
}
