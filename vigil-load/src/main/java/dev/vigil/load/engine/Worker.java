package dev.vigil.load.engine;

import dev.vigil.load.scenario.Capture;
import dev.vigil.load.scenario.Feeder;
import dev.vigil.slo.Failure;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufInputStream;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.timeout.TimeoutException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.net.ConnectException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;

/**
 * The part of a run that one event loop owns: its share of the arrivals (every {@code stride}-th), its share of
 * the connection cap, its queue of requests waiting for a connection, and the connections themselves.
 *
 * <p>Design: everything here runs on the worker's event loop, so nothing is locked. Requests are never dropped:
 * an arrival that cannot get a connection stays due (the schedule is a pure function of the arrival index, so the
 * backlog is a counter, not a list) and is sent, late, as soon as a connection frees up — its latency still counts
 * from its intended time. A request that waits longer than its step's timeout fails as a timeout.
 */
final class Worker {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long NONE = Long.MAX_VALUE;
    private static final long LATE_NANOS = TimeUnit.MILLISECONDS.toNanos(dev.vigil.load.LoadDefaults.LATE_THRESHOLD_MILLIS);

    final Engine engine;
    final EventLoop loop;
    final int index;
    private final int stride;
    private final int cap;
    private final Bootstrap bootstrap;
    private final ArrayDeque<Conn> idle = new ArrayDeque<>();
    private final ArrayList<Conn> conns = new ArrayList<>();
    private final ArrayDeque<FlowRun> ready = new ArrayDeque<>();
    private final String[] pathOut = new String[1];

    // open model
    private long arrivalIndex;
    private long nextArrivalNanos = NONE;
    // closed model
    private int targetUsers;
    private int activeUsers;
    private int nextUserId;
    private long userThinkNanos;

    /** When the pacer should next wake this worker (System.nanoTime scale); NONE while it needs no wake-up. */
    volatile long wakeAtNanos = NONE;
    final AtomicBoolean wakePending = new AtomicBoolean();
    final Runnable drainTask = this::drain;
    /** Requests written and not yet answered; read by the collector. */
    volatile int inFlight;
    /** True once nothing is due, queued or in flight and nothing more will be. */
    volatile boolean finished;
    private boolean stopped;

    Worker(Engine engine, EventLoop loop, int index, int stride, int cap) {
        this.engine = engine;
        this.loop = loop;
        this.index = index;
        this.stride = stride;
        this.cap = cap;
        this.bootstrap = new Bootstrap().group(loop).channel(NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.SO_KEEPALIVE, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE,
                        TimeUnit.NANOSECONDS.toMillis(engine.maxTimeoutNanos)));
    }

    /**
     * Opens up to {@code n} connections before the clock starts, so the first requests do not pay for connection
     * set-up and class loading (wrk opens its connections up front too). Counts {@code ready} down per connection
     * settled, whether it opened or failed.
     */
    void preconnect(int n, java.util.concurrent.CountDownLatch ready) {
        for (int i = 0; i < n; i++) {
            Conn c = new Conn();
            conns.add(c);
            c.connect();
            c.connectFuture.addListener(f -> ready.countDown());
        }
    }

    /** Called on the event loop at the run's start. */
    void start() {
        if (engine.schedule != null) {
            arrivalIndex = index;
            long offset = engine.schedule.intendedNanos(arrivalIndex);
            nextArrivalNanos = offset < 0 ? NONE : engine.startNanos + offset;
        } else {
            for (int i = 0; i < engine.closedPhaseStartNanos.length; i++) {
                final int phase = i;
                long delay = engine.startNanos + engine.closedPhaseStartNanos[i] - System.nanoTime();
                if (delay <= 0) enterClosedPhase(phase);
                else loop.schedule(() -> enterClosedPhase(phase), delay, TimeUnit.NANOSECONDS);
            }
        }
        loop.scheduleAtFixedRate(this::check, 10, 10, TimeUnit.MILLISECONDS);
        drain();
    }

    private void enterClosedPhase(int phase) {
        if (stopped) return;
        int users = engine.closedUsers[phase];
        targetUsers = users / stride + (index < users % stride ? 1 : 0);
        userThinkNanos = engine.closedThinkNanos[phase];
        long now = System.nanoTime();
        while (activeUsers < targetUsers) {
            FlowRun user = newFlowRun(nextUserId++, now);
            if (user == null) return;
            activeUsers++;
            ready.addLast(user);
        }
        drain();
    }

    // ---------------------------------------------------------------- sending

    /** Sends everything due that a connection can take. Runs on the event loop; the pacer triggers it on time. */
    void drain() {
        wakePending.set(false);
        if (stopped) return;
        long now = System.nanoTime();
        for (;;) {
            FlowRun run = ready.peekFirst();
            if (run != null) {
                if (engine.stopRequested) {
                    // stopped early (Ctrl-C, failure criteria): nothing more is sent
                    ready.pollFirst();
                    retire(run);
                    continue;
                }
                if (now - run.intendedNanos > run.current().timeoutNanos) {
                    ready.pollFirst();
                    finish(run, 0, Failure.TIMEOUT, now, null);
                    continue;
                }
            } else if (nextArrivalNanos > now || engine.stopRequested) {
                break;
            }
            Conn conn = acquire();
            if (conn == null) break; // at the cap: stays due, sent when a connection frees up
            if (run == null) {
                run = nextArrival();
                if (run == null) {
                    idle.push(conn);
                    continue;
                }
                if (now - run.intendedNanos > run.current().timeoutNanos) {
                    idle.push(conn);
                    finish(run, 0, Failure.TIMEOUT, now, null);
                    continue;
                }
            } else {
                ready.pollFirst();
            }
            send(conn, run);
        }
        long wake = ready.isEmpty() && !engine.stopRequested ? nextArrivalNanos : NONE;
        if (!ready.isEmpty() || (nextArrivalNanos <= now && !engine.stopRequested)) {
            wake = NONE; // blocked on connections: a freed connection calls drain()
        }
        wakeAtNanos = wake;
        if (wake != NONE) engine.pacer.wakeNoLaterThan(wake);
        boolean generating = engine.schedule != null ? nextArrivalNanos != NONE : now < engine.endNanos;
        finished = (!generating || engine.stopRequested) && ready.isEmpty() && inFlight == 0 && pendingThinks == 0;
    }

    /** Think-time pauses scheduled and not yet over. */
    private int pendingThinks;

    private FlowRun nextArrival() {
        long intended = nextArrivalNanos;
        arrivalIndex += stride;
        long offset = engine.schedule.intendedNanos(arrivalIndex);
        nextArrivalNanos = offset < 0 ? NONE : engine.startNanos + offset;
        return newFlowRun(-1, intended);
    }

    /** A new flow run with feeder rows taken, or null when a sequential feeder ran out (the run then stops). */
    private FlowRun newFlowRun(int user, long intendedNanos) {
        FlowRun run = new FlowRun(engine.pickFlow(ThreadLocalRandom.current()), user, engine.constants);
        if (!feed(run)) return null;
        run.intendedNanos = intendedNanos;
        return run;
    }

    private boolean feed(FlowRun run) {
        for (Feeder f : engine.feeders) {
            String[] row = f.next();
            if (row == null) {
                engine.feederExhausted(f);
                return false;
            }
            for (int i = 0; i < row.length; i++) run.put(f.columns().get(i), row[i]);
        }
        return true;
    }

    private Conn acquire() {
        Conn c = idle.pollFirst();
        if (c != null) return c;
        if (conns.size() >= cap) return null;
        c = new Conn();
        conns.add(c);
        c.connect();
        return c;
    }

    private void send(Conn conn, FlowRun run) {
        PreparedStep step = run.current();
        ByteBuf request = step.encode(conn.alloc(), run, pathOut);
        run.path = pathOut[0];
        run.sentNanos = 0;
        conn.current = run;
        inFlight++;
        if (conn.active) {
            conn.write(request);
        } else {
            conn.pending = request;
        }
    }

    // ---------------------------------------------------------------- finishing

    /**
     * Records a finished request and moves its flow on. {@code conn} is the connection it finished on (null when
     * it was never sent), whose body and headers feed captures.
     */
    private void finish(FlowRun run, int status, Failure failure, long now, Conn conn) {
        PreparedStep step = run.current();
        boolean unexpected = failure == Failure.NONE && !step.step.expect().accepts(status);
        long latencyMicros = (now - run.intendedNanos) / 1000;
        long serviceMicros = run.sentNanos == 0 ? -1 : (now - run.sentNanos) / 1000;
        boolean late = run.sentNanos != 0 && run.sentNanos - run.intendedNanos >= LATE_NANOS;
        step.metrics.record(status, failure, unexpected, latencyMicros, serviceMicros, late);
        engine.recordSlo(step, run.path != null ? run.path : step.step.path().source(), status, failure,
                latencyMicros, now);
        boolean ok = failure == Failure.NONE && !unexpected;
        if (ok && !step.step.captures().isEmpty()) ok = capture(run, step, conn);
        run.sentNanos = 0;
        run.path = null;
        long think = step.thinkNanos + (run.user >= 0 ? userThinkNanos : 0);
        if (ok && run.step + 1 < run.flow.steps.length) {
            run.step++;
        } else if (run.user >= 0 && run.user < targetUsers && now < engine.endNanos) {
            run.restart(engine.pickFlow(ThreadLocalRandom.current()));
            if (!feed(run)) return;
        } else {
            retire(run);
            return;
        }
        run.intendedNanos = now + think;
        if (think > 0) {
            pendingThinks++;
            loop.schedule(() -> {
                pendingThinks--;
                ready.addLast(run);
                drain();
            }, think, TimeUnit.NANOSECONDS);
        } else {
            ready.addLast(run);
        }
    }

    private void retire(FlowRun run) {
        if (run.user >= 0) activeUsers--;
    }

    private boolean capture(FlowRun run, PreparedStep step, Conn conn) {
        JsonNode json = null;
        String text = null;
        for (Capture c : step.step.captures()) {
            Optional<String> value = Optional.empty();
            switch (c.source()) {
                case Capture.Header h -> {
                    if (conn != null && conn.headers != null) value = Optional.ofNullable(conn.headers.get(h.name()));
                }
                case Capture.Json j -> {
                    if (json == null && conn != null && conn.body != null) {
                        try (ByteBufInputStream in = new ByteBufInputStream(conn.body.duplicate())) {
                            json = JSON.readTree((java.io.InputStream) in);
                        } catch (Exception e) {
                            json = com.fasterxml.jackson.databind.node.MissingNode.getInstance();
                        }
                    }
                    if (json != null) value = j.path().read(json);
                }
                case Capture.Regex r -> {
                    if (text == null && conn != null && conn.body != null) text = conn.body.toString(StandardCharsets.UTF_8);
                    if (text != null) {
                        Matcher m = r.pattern().matcher(text);
                        if (m.find() && m.group(r.group()) != null) value = Optional.of(m.group(r.group()));
                    }
                }
            }
            if (value.isEmpty()) {
                step.metrics.captureFailed.increment();
                return false;
            }
            run.put(c.variable(), value.get());
        }
        return true;
    }

    // ---------------------------------------------------------------- housekeeping

    /** Every 10 ms: time out requests that waited or ran too long; notice the end of the run. */
    private void check() {
        if (stopped) return;
        long now = System.nanoTime();
        for (int i = conns.size() - 1; i >= 0; i--) {
            Conn c = conns.get(i);
            FlowRun run = c.current;
            if (run == null) continue;
            long since = run.sentNanos != 0 ? run.sentNanos : c.connectStartedNanos;
            if (now - since > run.current().timeoutNanos) c.timeOut(now);
        }
        for (Iterator<FlowRun> it = ready.iterator(); it.hasNext(); ) {
            FlowRun run = it.next();
            if (now - run.intendedNanos > run.current().timeoutNanos) {
                it.remove();
                finish(run, 0, Failure.TIMEOUT, now, null);
            }
        }
        // arrivals stuck behind a full pool for longer than any first step may wait: failed, not forgotten
        while (nextArrivalNanos != NONE && !engine.stopRequested
                && now - nextArrivalNanos > engine.maxFirstTimeoutNanos) {
            FlowRun run = nextArrival();
            if (run == null) break;
            finish(run, 0, Failure.TIMEOUT, now, null);
        }
        drain();
    }

    /** Stops sending; closes every connection. In-flight requests are abandoned (the run is over). */
    void shutdown() {
        stopped = true;
        finished = true;
        for (Conn c : new ArrayList<>(conns)) {
            c.current = null;
            if (c.pending != null) {
                c.pending.release();
                c.pending = null;
            }
            if (c.channel != null) c.channel.close();
        }
    }

    // ---------------------------------------------------------------- one connection

    /** One keep-alive HTTP/1.1 connection carrying one request at a time. */
    final class Conn extends ByteToMessageDecoder implements ResponseParser.Listener {
        /** Captures read at most this much of a body. */
        private static final int MAX_CAPTURE_BODY = 16 << 20;
        private final ResponseParser parser = new ResponseParser();
        Channel channel;
        boolean active;
        FlowRun current;
        ByteBuf pending;
        long connectStartedNanos;
        ChannelFuture connectFuture;
        int status;
        boolean keepAlive;
        HttpHeaders headers;
        ByteBuf body;

        io.netty.buffer.ByteBufAllocator alloc() {
            return channel != null ? channel.alloc() : io.netty.buffer.PooledByteBufAllocator.DEFAULT;
        }

        void connect() {
            connectStartedNanos = System.nanoTime();
            ChannelFuture f = bootstrap.clone().handler(new ChannelInitializer<SocketChannel>() {
                @Override protected void initChannel(SocketChannel ch) {
                    if (engine.ssl != null) {
                        ch.pipeline().addLast(engine.ssl.newHandler(ch.alloc(), engine.host, engine.address.getPort()));
                    }
                    ch.pipeline().addLast(Conn.this);
                }
            }).connect(engine.address);
            channel = f.channel();
            connectFuture = f;
            f.addListener(done -> {
                if (done.isSuccess()) {
                    active = true;
                    if (pending != null) {
                        ByteBuf req = pending;
                        pending = null;
                        write(req);
                    } else if (current == null && !idle.contains(this)) {
                        idle.push(this);
                    }
                } else {
                    conns.remove(this);
                    idle.remove(this);
                    if (pending != null) {
                        pending.release();
                        pending = null;
                    }
                    FlowRun run = current;
                    current = null;
                    if (run != null) {
                        inFlight--;
                        Throwable cause = done.cause();
                        Failure failure = cause instanceof io.netty.channel.ConnectTimeoutException
                                || cause instanceof TimeoutException ? Failure.TIMEOUT : Failure.CONNECT;
                        finish(run, 0, failure, System.nanoTime(), null);
                    }
                    drain();
                }
            });
        }

        void write(ByteBuf request) {
            if (current != null) current.sentNanos = System.nanoTime();
            channel.writeAndFlush(request, channel.voidPromise());
        }

        @Override protected void decode(ChannelHandlerContext ctx, ByteBuf in, java.util.List<Object> out) {
            if (current == null && !parser.inResponse()) {
                in.skipBytes(in.readableBytes()); // bytes nobody asked for: the connection cannot be trusted
                ctx.close();
                return;
            }
            try {
                parser.parse(in, this);
            } catch (ResponseParser.MalformedResponse e) {
                in.skipBytes(in.readableBytes());
                broken(Failure.RESET);
            }
        }

        @Override public boolean wantsHeaders() {
            return current != null && current.current().needsHeaders;
        }

        @Override public boolean wantsBody() {
            return current != null && current.current().needsBody;
        }

        @Override public void onHeader(String name, String value) {
            if (headers == null) {
                headers = io.netty.handler.codec.http.DefaultHttpHeadersFactory.headersFactory().withValidation(false)
                        .newHeaders();
            }
            headers.add(name, value);
        }

        @Override public void onBody(ByteBuf data, int index, int length) {
            if (body == null) body = channel.alloc().heapBuffer(Math.min(length, MAX_CAPTURE_BODY));
            int room = MAX_CAPTURE_BODY - body.readableBytes();
            if (room > 0) body.writeBytes(data, index, Math.min(room, length));
        }

        @Override public void onResponse(int status, boolean keepAlive) {
            this.status = status;
            this.keepAlive = keepAlive;
            complete();
        }

        private void complete() {
            FlowRun run = current;
            long now = System.nanoTime();
            current = null;
            if (run == null) {
                channel.close();
                releaseBody();
                return;
            }
            inFlight--;
            boolean reuse = keepAlive && !stopped;
            if (reuse) idle.push(this);
            finish(run, status, Failure.NONE, now, this);
            releaseBody();
            headers = null;
            if (!reuse) channel.close();
            drain();
        }

        private void releaseBody() {
            if (body != null) {
                body.release();
                body = null;
            }
        }

        /** The request in flight failed; the connection is closed and replaced on demand. */
        private void broken(Failure failure) {
            FlowRun run = current;
            current = null;
            releaseBody();
            headers = null;
            if (run != null) {
                inFlight--;
                finish(run, 0, failure, System.nanoTime(), null);
            }
            channel.close();
        }

        void timeOut(long now) {
            FlowRun run = current;
            current = null;
            releaseBody();
            headers = null;
            if (pending != null) {
                pending.release();
                pending = null;
            }
            if (run != null) {
                inFlight--;
                finish(run, 0, Failure.TIMEOUT, now, null);
            }
            channel.close();
        }

        @Override public void channelInactive(ChannelHandlerContext ctx) throws Exception {
            super.channelInactive(ctx); // parses what is left
            try {
                parser.closed(this); // completes a body that ran until close
            } catch (ResponseParser.MalformedResponse e) {
                // cut short: the request in flight is reset below
            }
            conns.remove(this);
            idle.remove(this);
            active = false;
            if (current != null) broken(Failure.RESET);
            releaseBody();
            drain();
        }

        @Override public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
