package dev.vigil.gateway.upstream;

import dev.vigil.gateway.Ticker;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelException;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.epoll.EpollTcpInfo;
import io.netty.channel.socket.SocketChannel;
import io.netty.util.concurrent.FastThreadLocal;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;

import java.util.ArrayDeque;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Keep-alive connections to one endpoint, with a cap on open connections.
 *
 * <p>Idle connections are kept per event loop so that a client connection only ever leases an upstream connection
 * that lives on its own event loop (as in Netty's proxy example: no cross-thread hand-off on the hot path). Idle
 * connections are reused most-recently-released first, since the oldest ones are the likeliest to have been closed
 * by the upstream; one older than the idle timeout is closed instead of reused.
 *
 * <h2>Stale connections</h2>
 * An upstream may close an idle connection at any time. A read is kept pending on idle connections, so a close that
 * the event loop has processed removes the connection from the pool. A close whose FIN reached the kernel while the
 * event loop was busy with other work in the same batch is not seen by Netty yet: {@code isActive()} still says
 * true. Which lease a caller asks for decides what happens then:
 * <ul>
 *   <li>{@link Lease#POOLED}: the connection is handed out as Netty sees it (no system call). For requests that can
 *       be sent again if the connection turns out closed before any response byte (idempotent
 *       methods): the caller replays them on a {@link Lease#NEW} connection.</li>
 *   <li>{@link Lease#POOLED_CHECKED}: the kernel is asked as well — one {@code getsockopt(TCP_INFO)} — and a
 *       connection that is not {@code ESTABLISHED} (the peer's FIN turns it into {@code CLOSE_WAIT}, a reset into
 *       {@code CLOSE}) or whose input is shut down is closed and the next one tried. For requests that must not be
 *       sent twice: once the head is written to a connection the upstream closed, nobody can tell whether the
 *       upstream acted on it. A stale connection skipped this way is no endpoint failure and no retry. The check
 *       needs the epoll transport; on NIO ({@code -Dvigil.transport=nio}) there is no TCP_INFO and it is skipped,
 *       leaving such requests the narrow race described above. Bytes the upstream sent on an idle connection without
 *       closing it are not detected either (TCP_INFO does not report the receive queue): that is a broken upstream,
 *       not a keep-alive race.</li>
 * </ul>
 */
public final class ConnectionPool {
    /** How a connection may be leased; see "Stale connections" above. */
    public enum Lease {
        /** An idle connection if Netty believes it open, else a new one. */
        POOLED,
        /** An idle connection the kernel still reports {@code ESTABLISHED} (epoll only), else a new one. */
        POOLED_CHECKED,
        /** Always a new connection. */
        NEW
    }

    /** Raised when the endpoint already has {@code maxConnections} open connections. */
    public static final class ExhaustedException extends Exception {
        ExhaustedException(String message) {
            super(message, null, false, false);
        }
    }

    private static final int MAX_RESPONSE_HEADER_BYTES = 64 * 1024;
    /** {@code TCP_ESTABLISHED} in Linux's {@code enum tcp_state} ({@code include/net/tcp_states.h}). */
    private static final int TCP_ESTABLISHED = 1;
    /** One scratch buffer per event loop thread: a checked lease then allocates nothing. */
    private static final FastThreadLocal<EpollTcpInfo> TCP_INFO = new FastThreadLocal<>() {
        @Override protected EpollTcpInfo initialValue() { return new EpollTcpInfo(); }
    };

    private final UpstreamEndpoint endpoint;
    private final int maxConnections;
    private final long idleTimeoutNanos;
    private final Ticker ticker;
    private final AtomicInteger open = new AtomicInteger();
    private final ConcurrentHashMap<EventLoop, ArrayDeque<UpstreamConnection>> idle = new ConcurrentHashMap<>();
    private volatile boolean closed;

    ConnectionPool(UpstreamEndpoint endpoint, int maxConnections, long idleTimeoutNanos, Ticker ticker) {
        this.endpoint = endpoint;
        this.maxConnections = maxConnections;
        this.idleTimeoutNanos = idleTimeoutNanos;
        this.ticker = ticker;
    }

    /** Open connections (idle and leased). */
    public int open() { return open.get(); }

    /**
     * Leases a connection on {@code loop}: an idle one if {@code lease} allows and one qualifies, else a new one.
     * Must be called on {@code loop}.
     */
    public Future<UpstreamConnection> acquire(EventLoop loop, UpstreamConnection.Listener listener,
                                              int connectTimeoutMillis, Lease lease) {
        Promise<UpstreamConnection> promise = loop.newPromise();
        if (lease != Lease.NEW) {
            ArrayDeque<UpstreamConnection> q = idle.get(loop);
            if (q != null) {
                long now = ticker.nanoTime();
                UpstreamConnection c;
                while ((c = q.pollFirst()) != null) {
                    long idle = now - c.idleSinceNanos;
                    if (c.channel().isActive() && idle < idleTimeoutNanos && idle < c.upstreamIdleLimitNanos
                            && (lease == Lease.POOLED || openAsFarAsTheKernelKnows(c.channel()))) {
                        c.lease(listener, true);
                        return promise.setSuccess(c);
                    }
                    c.channel().close();
                }
            }
        }
        if (open.incrementAndGet() > maxConnections) {
            open.decrementAndGet();
            return promise.setFailure(new ExhaustedException(endpoint + " has " + maxConnections + " connections open (max-connections)"));
        }
        UpstreamConnection conn = new UpstreamConnection(endpoint, MAX_RESPONSE_HEADER_BYTES);
        ChannelFuture cf = new Bootstrap()
                .group(loop)
                .channel(Transport.socketChannel())
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, connectTimeoutMillis)
                .option(ChannelOption.AUTO_READ, false)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.ALLOCATOR, Transport.allocator())
                .handler(new ChannelInitializer<Channel>() {
                    @Override protected void initChannel(Channel ch) {
                        ch.pipeline().addLast("encoder", new RequestEncoder());
                        ch.pipeline().addLast("parser", conn.parser);
                        ch.pipeline().addLast("flow", conn.flow);
                        ch.pipeline().addLast("connection", conn);
                    }
                })
                .connect(endpoint.socketAddress());
        cf.channel().closeFuture().addListener(f -> open.decrementAndGet());
        cf.addListener(f -> {
            if (f.isSuccess()) {
                conn.lease(listener, false);
                promise.setSuccess(conn);
            } else {
                promise.setFailure(f.cause());
            }
        });
        return promise;
    }

    /**
     * Whether the kernel still has the connection {@code ESTABLISHED}: catches a FIN or reset that arrived while the
     * event loop was busy, before Netty could process it. Never blocks; true on NIO, where TCP_INFO is unavailable.
     */
    private static boolean openAsFarAsTheKernelKnows(Channel ch) {
        if (((SocketChannel) ch).isInputShutdown()) return false;
        if (!(ch instanceof EpollSocketChannel epoll)) return true;
        try {
            return epoll.tcpInfo(TCP_INFO.get()).state() == TCP_ESTABLISHED;
        } catch (ChannelException e) {
            return false; // getsockopt failed: the socket is gone
        }
    }

    void release(UpstreamConnection c, boolean reusable) {
        Channel ch = c.channel();
        if (!reusable || closed || !ch.isActive()) {
            ch.close();
            return;
        }
        c.idleSinceNanos = ticker.nanoTime();
        idle.computeIfAbsent(ch.eventLoop(), l -> new ArrayDeque<>()).addFirst(c);
        ch.read(); // a pending read while idle: an upstream close arrives as channelInactive and removes it
    }

    void closed(UpstreamConnection c) {
        ArrayDeque<UpstreamConnection> q = idle.get(c.channel().eventLoop());
        if (q != null) q.remove(c); // on the connection's own event loop, like every other access to q
    }

    /** Closes idle connections now and leased ones when they are released (a reload dropped this endpoint). */
    public void close() {
        closed = true;
        idle.forEach((loop, q) -> loop.execute(() -> {
            UpstreamConnection c;
            while ((c = q.pollFirst()) != null) c.channel().close();
        }));
    }
}
