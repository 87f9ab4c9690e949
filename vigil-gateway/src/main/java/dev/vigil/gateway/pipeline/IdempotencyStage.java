package dev.vigil.gateway.pipeline;

import dev.vigil.gateway.policy.Header;
import dev.vigil.gateway.policy.idempotency.IdempotencyConfig;
import dev.vigil.gateway.policy.idempotency.IdempotencyDecision;
import dev.vigil.gateway.policy.idempotency.IdempotencyEngine;
import dev.vigil.gateway.policy.idempotency.IdempotencyRequest;
import dev.vigil.gateway.policy.idempotency.IdempotencyMode;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;

import java.io.ByteArrayOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Idempotency keys on POST, PUT and PATCH for routes with an {@code idempotency} block.
 *
 * <p>The request body is buffered only here and only for those requests: the key can be claimed only once the
 * body's SHA-256 is known (the fingerprint), and nothing may reach the upstream before the claim. The buffer is
 * bounded by the route's {@code max-body} (the limits stage cuts larger bodies with 413 first).
 *
 * <p>The first request proceeds; its response streams to the client unchanged while a copy of up to
 * {@code max-stored-body + 1} bytes is kept, and the key is completed with it when the last byte is out (a larger
 * body completes the key as not replayable). If the gateway answered itself before the upstream saw the request
 * (connect failure, shed load, no healthy endpoint) the key is released so the client may retry. If the upstream
 * was reached but did not answer completely (timeout, reset) the claim is left to its in-flight deadline: the
 * upstream may have acted, so no second execution is allowed before then.
 */
final class IdempotencyStage extends PolicyStage {
    private final IdempotencyEngine engine;

    // Per request.
    private HttpRequest head;
    private Exchange ex;
    private IdempotencyConfig cfg;
    private MessageDigest digest;
    private final List<HttpContent> body = new ArrayList<>();
    // The response of a proceeding request.
    private IdempotencyEngine.Ticket ticket;
    private int status;
    private List<Header> headers;
    private ByteArrayOutputStream copy;
    private long copyLimit;

    IdempotencyStage(IdempotencyEngine engine) {
        this.engine = engine;
    }

    @Override void onMessage(Object msg) {
        if (msg instanceof HttpRequest req) {
            Exchange e = ctx.channel().attr(Exchange.CURRENT).get();
            IdempotencyConfig c = e == null ? null : e.config.config().policies().idempotency().get(e.route.name());
            if (c == null || c.mode() == IdempotencyMode.OFF || !unsafe(e.method)) {
                ctx.fireChannelRead(msg);
                return;
            }
            head = req;
            ex = e;
            cfg = c;
            digest = sha256();
            ctx.read(); // the body (or its empty end)
            return;
        }
        if (head != null && msg instanceof HttpContent c) {
            ByteBuf b = c.content();
            for (java.nio.ByteBuffer nb : b.nioBuffers()) digest.update(nb);
            body.add(c);
            if (c instanceof LastHttpContent) claim(); else ctx.read();
            return;
        }
        ctx.fireChannelRead(msg);
    }

    private void claim() {
        HttpRequest req = head;
        Exchange e = ex;
        IdempotencyConfig c = cfg;
        head = null;
        String key = IdempotencyRequest.keyFrom(req.headers()::get);
        IdempotencyRequest r = new IdempotencyRequest(e.tenant, e.route.name(), e.method, e.target, key, digest.digest(),
                requester(req.headers()));
        onLoop(engine.begin(r, c), (d, error) -> decided(req, e, c, d, error));
    }

    private void decided(HttpRequest req, Exchange e, IdempotencyConfig c, IdempotencyDecision d, Throwable error) {
        if (!ctx.channel().isActive()) {
            ReferenceCountUtil.release(req);
            dropBody();
            if (d instanceof IdempotencyDecision.Proceed p) p.ticket().release();
            return;
        }
        if (error != null) d = new IdempotencyDecision.Bypass(true);
        switch (d) {
            case IdempotencyDecision.Bypass b -> forward(req);
            case IdempotencyDecision.Proceed p -> {
                ticket = p.ticket();
                status = 0;
                headers = null;
                copy = new ByteArrayOutputStream();
                copyLimit = c.maxStoredBodyBytes() + 1;
                e.responseObjects = true; // recorded field by field below
                forward(req);
            }
            case IdempotencyDecision.Replay r -> {
                ReferenceCountUtil.release(req);
                dropBody();
                var resp = full(r.response().status(), r.response().replayHeaders(), r.response().body());
                answer(resp, e, true);
            }
            case IdempotencyDecision.Reject r -> {
                ReferenceCountUtil.release(req);
                dropBody();
                answer(problem(r.problem(), List.of()), e, true);
            }
        }
    }

    /** Hands the request on; the buffered body follows one piece per downstream read. */
    private void forward(HttpRequest req) {
        for (HttpContent part : body) hold(part);
        body.clear();
        ctx.fireChannelRead(req);
    }

    @Override public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
        IdempotencyEngine.Ticket t = ticket;
        if (t != null) {
            if (msg instanceof HttpResponse r && r.status().code() >= 200) {
                status = r.status().code();
                headers = new ArrayList<>(r.headers().size());
                for (Map.Entry<String, String> h : r.headers()) headers.add(new Header(h.getKey(), h.getValue()));
            }
            if (msg instanceof HttpContent c && copy.size() < copyLimit) {
                ByteBuf b = c.content();
                int n = (int) Math.min(b.readableBytes(), copyLimit - copy.size());
                byte[] bytes = new byte[n];
                b.getBytes(b.readerIndex(), bytes);
                copy.writeBytes(bytes);
            }
            if (msg instanceof LastHttpContent && status != 0) {
                ticket = null;
                finish(t, ex);
            }
        }
        super.write(ctx, msg, promise);
    }

    private void finish(IdempotencyEngine.Ticket t, Exchange e) {
        if (e != null && e.upstreamResponded) {
            t.complete(status, headers, copy.toByteArray());
        } else if (e == null || !e.upstreamReached) {
            t.release();
        }
        // else: reached but no upstream answer — the claim waits for its in-flight deadline (see class comment)
        copy = null;
        headers = null;
    }

    @Override public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        IdempotencyEngine.Ticket t = ticket;
        ticket = null;
        if (t != null && (ex == null || !ex.upstreamReached)) t.release();
        dropBody();
        if (head != null) {
            ReferenceCountUtil.release(head);
            head = null;
        }
        super.channelInactive(ctx);
    }

    private void dropBody() {
        for (HttpContent c : body) c.release();
        body.clear();
    }

    private static boolean unsafe(String method) {
        return method.equals("POST") || method.equals("PUT") || method.equals("PATCH");
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime provides SHA-256", e);
        }
    }

    /** The credentials a derived key is bound to: every Authorization and Cookie value, in order. */
    private static String requester(HttpHeaders h) {
        List<String> auth = h.getAll(HttpHeaderNames.AUTHORIZATION);
        List<String> cookies = h.getAll(HttpHeaderNames.COOKIE);
        if (auth.isEmpty() && cookies.isEmpty()) return "";
        return String.join("\n", auth) + "\n\n" + String.join("\n", cookies);
    }
}
