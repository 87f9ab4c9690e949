package dev.vigil.load.sample;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.buffer.ByteBufInputStream;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * Routes one connection's requests to the {@link GamificationStore} and answers each after its sampled service
 * time.
 *
 * <p>The answer is computed when the request arrives and its write is <em>scheduled</em> on the connection's
 * event loop, never slept for, so a single thread holds thousands of slow requests at once. Responses on one
 * connection leave in request order, as HTTP/1.1 pipelining requires: each is due no earlier than the previous
 * one plus its own service time, which models a server working through one connection's requests in turn.
 *
 * <p>One instance per connection; all state is confined to the connection's event loop.
 */
final class SampleHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    /** Above this many answers waiting on one connection, stop reading it (back-pressure on a pipelining client). */
    private static final int MAX_PENDING = 64;
    private static final Pattern USER_ID = Pattern.compile("[A-Za-z0-9._~-]{1,64}");
    private static final long MAX_POINTS = 1_000_000;
    private static final int MAX_TITLE_CHARS = 200;

    private final SampleBackendConfig config;
    private final GamificationStore store;
    private final ObjectMapper json;
    private final java.util.ArrayDeque<Due> queue = new java.util.ArrayDeque<>();
    private long lastDueNanos = Long.MIN_VALUE;
    private boolean drainScheduled;

    SampleHandler(SampleBackendConfig config, GamificationStore store, ObjectMapper json) {
        this.config = config;
        this.store = store;
        this.json = json;
    }

    /** An answer before it becomes a Netty response; built eagerly, turned into a buffer only when due. */
    record Answer(HttpResponseStatus status, byte[] body, String contentType, List<String[]> headers) {
        Answer header(String name, String value) {
            var copy = new ArrayList<>(headers);
            copy.add(new String[] {name, value});
            return new Answer(status, body, contentType, copy);
        }
    }

    /** A request the API refuses; turned into an RFC 9457 problem+json answer. */
    static class Problem extends Exception {
        final HttpResponseStatus status;
        final String detail;

        Problem(HttpResponseStatus status, String detail) {
            super(detail, null, false, false);
            this.status = status;
            this.detail = detail;
        }
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
        boolean keepAlive = HttpUtil.isKeepAlive(req);
        if (!req.decoderResult().isSuccess()) {
            send(ctx, problem(HttpResponseStatus.BAD_REQUEST, "malformed HTTP request", req.uri()), 0, false);
            return;
        }
        String path = new QueryStringDecoder(req.uri()).path();
        if (path.equals("/healthz")) {
            Answer a = req.method().equals(HttpMethod.GET)
                    ? ok(HttpResponseStatus.OK, json.createObjectNode().put("status", "ok"))
                    : methodNotAllowed(path, "GET");
            send(ctx, a, 0, keepAlive);
            return;
        }
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long serviceMicros = config.serviceTime().sampleMicros(random);
        Answer answer;
        if (config.errorRate() > 0 && random.nextDouble() < config.errorRate()) {
            // Decided before routing: an injected failure never touches state, so a retry is always safe.
            answer = random.nextBoolean()
                    ? problem(HttpResponseStatus.INTERNAL_SERVER_ERROR, "injected failure (--error-rate)", path)
                    : problem(HttpResponseStatus.SERVICE_UNAVAILABLE, "injected failure (--error-rate)", path)
                            .header("Retry-After", "1");
        } else {
            try {
                answer = route(req, path);
            } catch (Problem p) {
                answer = answerFor(p, path);
            }
        }
        send(ctx, answer, serviceMicros, keepAlive);
    }

    private Answer route(FullHttpRequest req, String path) throws Problem {
        String[] seg = segments(path);
        HttpMethod method = req.method();
        if (seg.length == 1 && seg[0].equals("missions")) {
            requireMethod(method, path, HttpMethod.POST);
            return createMission(req);
        }
        if (seg.length == 2 && seg[0].equals("missions")) {
            requireMethod(method, path, HttpMethod.GET);
            return getMission(seg[1]);
        }
        if (seg.length == 1 && seg[0].equals("leaderboard")) {
            requireMethod(method, path, HttpMethod.GET);
            return leaderboard();
        }
        if (seg.length == 2 && seg[0].equals("users")) {
            requireMethod(method, path, HttpMethod.GET);
            return getUser(userId(seg[1]));
        }
        if (seg.length == 3 && seg[0].equals("users") && seg[2].equals("points")) {
            requireMethod(method, path, HttpMethod.POST);
            return awardPoints(req, userId(seg[1]));
        }
        throw new Problem(HttpResponseStatus.NOT_FOUND, "no route " + path
                + "; routes: POST /missions, GET /missions/{id}, GET /users/{id}, POST /users/{id}/points,"
                + " GET /leaderboard, GET /healthz");
    }

    private Answer createMission(FullHttpRequest req) throws Problem {
        JsonNode body = readObject(req);
        JsonNode title = body.get("title");
        if (title == null || !title.isTextual() || title.asText().isBlank()) {
            throw new Problem(HttpResponseStatus.BAD_REQUEST, "field 'title' must be a non-blank string");
        }
        if (title.asText().length() > MAX_TITLE_CHARS) {
            throw new Problem(HttpResponseStatus.BAD_REQUEST,
                    "field 'title' must be at most " + MAX_TITLE_CHARS + " characters");
        }
        long points = integer(body, "points", 0, MAX_POINTS);
        GamificationStore.Mission m = store.createMission(title.asText(), points);
        return ok(HttpResponseStatus.CREATED, missionJson(m)).header("Location", "/missions/" + m.id());
    }

    private Answer getMission(String idText) throws Problem {
        long id;
        try {
            id = Long.parseLong(idText);
        } catch (NumberFormatException e) {
            throw new Problem(HttpResponseStatus.NOT_FOUND, "no mission '" + idText + "'");
        }
        GamificationStore.Mission m = store.mission(id)
                .orElseThrow(() -> new Problem(HttpResponseStatus.NOT_FOUND, "no mission " + idText));
        return ok(HttpResponseStatus.OK, missionJson(m));
    }

    private Answer getUser(String id) throws Problem {
        GamificationStore.User u = store.user(id)
                .orElseThrow(() -> new Problem(HttpResponseStatus.NOT_FOUND, "no user '" + id + "' (users appear"
                        + " with their first POST /users/{id}/points)"));
        return ok(HttpResponseStatus.OK, userJson(u));
    }

    private Answer awardPoints(FullHttpRequest req, String userId) throws Problem {
        long points = integer(readObject(req), "points", 1, MAX_POINTS);
        String key = req.headers().get("Idempotency-Key");
        if (key != null && (key.isEmpty() || key.length() > 255)) {
            throw new Problem(HttpResponseStatus.BAD_REQUEST, "Idempotency-Key must be 1..255 characters");
        }
        return switch (store.award(userId, points, key, config.honourIdempotencyKey())) {
            case GamificationStore.Award.Applied a -> ok(HttpResponseStatus.OK, awardJson(a.user(), a.awarded()));
            case GamificationStore.Award.Replayed r -> ok(HttpResponseStatus.OK, awardJson(r.user(), r.awarded()))
                    .header("Idempotent-Replayed", "true");
            case GamificationStore.Award.KeyReused k -> throw new Problem(HttpResponseStatus.UNPROCESSABLE_ENTITY,
                    "Idempotency-Key '" + key + "' was first used to award " + k.firstAwarded()
                            + " points; a different request must use a new key");
        };
    }

    private Answer leaderboard() {
        GamificationStore.Leaderboard board = store.leaderboard();
        ObjectNode root = json.createObjectNode();
        ArrayNode leaders = root.putArray("leaders");
        for (GamificationStore.Ranked r : board.top()) {
            leaders.addObject().put("rank", r.rank()).put("userId", r.id()).put("points", r.points());
        }
        root.put("totalUsers", board.totalUsers());
        return ok(HttpResponseStatus.OK, root);
    }

    private ObjectNode missionJson(GamificationStore.Mission m) {
        return json.createObjectNode().put("id", m.id()).put("title", m.title()).put("points", m.points())
                .put("createdAt", m.createdAt().toString());
    }

    private ObjectNode userJson(GamificationStore.User u) {
        return json.createObjectNode().put("id", u.id()).put("points", u.points()).put("writes", u.writes())
                .put("duplicateWrites", u.duplicateWrites()).put("updatedAt", u.updatedAt().toString());
    }

    private ObjectNode awardJson(GamificationStore.User u, long awarded) {
        return json.createObjectNode().put("userId", u.id()).put("awarded", awarded).put("points", u.points())
                .put("writes", u.writes());
    }

    private JsonNode readObject(FullHttpRequest req) throws Problem {
        String type = req.headers().get(HttpHeaderNames.CONTENT_TYPE);
        if (type != null && !type.toLowerCase(java.util.Locale.ROOT).contains("json")) {
            throw new Problem(HttpResponseStatus.UNSUPPORTED_MEDIA_TYPE,
                    "Content-Type '" + type + "' is not supported; send application/json");
        }
        if (!req.content().isReadable()) {
            throw new Problem(HttpResponseStatus.BAD_REQUEST, "request body must be a JSON object");
        }
        JsonNode node;
        try (var in = new ByteBufInputStream(req.content().duplicate())) {
            node = json.readTree(in);
        } catch (JsonProcessingException e) {
            var loc = e.getLocation();
            throw new Problem(HttpResponseStatus.BAD_REQUEST, "invalid JSON"
                    + (loc == null ? "" : " at line " + loc.getLineNr() + ", column " + loc.getColumnNr())
                    + ": " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new Problem(HttpResponseStatus.BAD_REQUEST, "unreadable request body: " + e.getMessage());
        }
        if (node == null || !node.isObject()) {
            throw new Problem(HttpResponseStatus.BAD_REQUEST, "request body must be a JSON object");
        }
        return node;
    }

    private static long integer(JsonNode body, String field, long min, long max) throws Problem {
        JsonNode n = body.get(field);
        if (n == null || !n.isIntegralNumber() || !n.canConvertToLong() || n.asLong() < min || n.asLong() > max) {
            throw new Problem(HttpResponseStatus.BAD_REQUEST,
                    "field '" + field + "' must be an integer from " + min + " to " + max);
        }
        return n.asLong();
    }

    private static String userId(String id) throws Problem {
        if (!USER_ID.matcher(id).matches()) {
            throw new Problem(HttpResponseStatus.BAD_REQUEST,
                    "user id must be 1..64 characters of A-Z a-z 0-9 . _ ~ -");
        }
        return id;
    }

    private static void requireMethod(HttpMethod actual, String path, HttpMethod allowed) throws Problem {
        if (!actual.equals(allowed)) {
            throw new MethodNotAllowed(path, allowed.name());
        }
    }

    /** 405 carries an Allow header, so it is its own kind of problem. */
    static final class MethodNotAllowed extends Problem {
        final String allow;

        MethodNotAllowed(String path, String allow) {
            super(HttpResponseStatus.METHOD_NOT_ALLOWED, path + " allows only " + allow);
            this.allow = allow;
        }
    }

    private static String[] segments(String path) {
        return java.util.Arrays.stream(path.split("/")).filter(s -> !s.isEmpty()).toArray(String[]::new);
    }

    private Answer ok(HttpResponseStatus status, JsonNode body) {
        return new Answer(status, bytes(body), "application/json", List.of());
    }

    private Answer methodNotAllowed(String path, String allow) {
        return problem(HttpResponseStatus.METHOD_NOT_ALLOWED, path + " allows only " + allow, path)
                .header("Allow", allow);
    }

    /** An RFC 9457 problem document. */
    private Answer problem(HttpResponseStatus status, String detail, String instance) {
        ObjectNode p = json.createObjectNode().put("type", "about:blank").put("title", status.reasonPhrase())
                .put("status", status.code()).put("detail", detail).put("instance", instance);
        return new Answer(status, bytes(p), "application/problem+json", List.of());
    }

    private Answer answerFor(Problem p, String path) {
        Answer a = problem(p.status, p.detail, path);
        return p instanceof MethodNotAllowed m ? a.header("Allow", m.allow) : a;
    }

    private byte[] bytes(JsonNode node) {
        try {
            return json.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise a JSON tree", e);
        }
    }

    private void send(ChannelHandlerContext ctx, Answer answer, long serviceMicros, boolean keepAlive) {
        long now = System.nanoTime();
        long due = Math.max(now, lastDueNanos) + TimeUnit.MICROSECONDS.toNanos(serviceMicros);
        lastDueNanos = due;
        if (due <= now && queue.isEmpty()) {
            write(ctx, answer, keepAlive);
            return;
        }
        queue.add(new Due(answer, keepAlive, due));
        if (queue.size() > MAX_PENDING) {
            ctx.channel().config().setAutoRead(false);
        }
        if (!drainScheduled) {
            drainScheduled = true;
            ctx.executor().schedule(() -> drain(ctx), due - now, TimeUnit.NANOSECONDS);
        }
    }

    /**
     * Writes every answer that is due, in arrival order, then sleeps (by scheduling, never blocking) until the
     * next one. One queue per connection, rather than one timer per answer, because timers with the same
     * deadline are not guaranteed to fire in the order they were set.
     */
    private void drain(ChannelHandlerContext ctx) {
        drainScheduled = false;
        long now = System.nanoTime();
        Due head;
        while ((head = queue.peek()) != null && head.dueNanos() <= now) {
            queue.poll();
            write(ctx, head.answer(), head.keepAlive());
        }
        if (queue.size() <= MAX_PENDING / 2 && !ctx.channel().config().isAutoRead()) {
            ctx.channel().config().setAutoRead(true);
        }
        if (head != null) {
            drainScheduled = true;
            ctx.executor().schedule(() -> drain(ctx), head.dueNanos() - now, TimeUnit.NANOSECONDS);
        }
    }

    private record Due(Answer answer, boolean keepAlive, long dueNanos) {}

    static void write(ChannelHandlerContext ctx, Answer answer, boolean keepAlive) {
        if (!ctx.channel().isActive()) {
            return;
        }
        FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, answer.status(),
                Unpooled.wrappedBuffer(answer.body()));
        res.headers().set(HttpHeaderNames.CONTENT_TYPE, answer.contentType());
        res.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, answer.body().length);
        for (String[] h : answer.headers()) {
            res.headers().add(h[0], h[1]);
        }
        res.headers().set(HttpHeaderNames.CONNECTION,
                keepAlive ? HttpHeaderValues.KEEP_ALIVE : HttpHeaderValues.CLOSE);
        ChannelFuture f = ctx.writeAndFlush(res);
        if (!keepAlive) {
            f.addListener(ChannelFutureListener.CLOSE);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // A reset by the client is normal under load; nothing to answer on a broken connection.
        ctx.close();
    }
}
