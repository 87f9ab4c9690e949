package dev.vigil.gateway.upstream;

import dev.vigil.gateway.config.Endpoint;
import dev.vigil.gateway.config.PassiveHealth;
import dev.vigil.gateway.testing.KeepAliveCloser;
import io.netty.channel.EventLoop;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.util.AsciiString;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The race a checked lease exists for, made deterministic: the upstream closes an idle pooled connection while the
 * event loop is busy inside one task, so the FIN sits in the kernel and Netty still reports the channel active when
 * the same task leases a connection.
 */
class ConnectionPoolLeaseTest {
    /** Linux {@code TCP_ESTABLISHED}. */
    private static final int TCP_ESTABLISHED = 1;

    private MultiThreadIoEventLoopGroup group;
    private KeepAliveCloser upstream;

    @BeforeEach void requireEpoll() {
        assumeTrue(Transport.name().equals("epoll"), "the kernel check needs TCP_INFO, which only the epoll transport offers");
        group = new MultiThreadIoEventLoopGroup(1, Transport.ioHandler());
    }

    @AfterEach void stop() throws Exception {
        if (group != null) group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        if (upstream != null) upstream.close();
    }

    /** Records what a leased connection delivers; ends the exchange (connection back to the pool) on the last piece. */
    private static final class OneGet implements UpstreamConnection.Listener {
        final CompletableFuture<UpstreamConnection> done = new CompletableFuture<>();

        @Override public void onUpstreamMessage(UpstreamConnection c, Object msg) {
            boolean last = msg instanceof UpstreamHead h && h.completeBody() != null || msg instanceof UpstreamBody b && b.last();
            ReferenceCountUtil.release(msg);
            if (last) {
                c.release(true);
                done.complete(c);
            } else {
                c.channel().read();
            }
        }

        @Override public void onUpstreamClosed(UpstreamConnection c, Throwable cause) {
            done.completeExceptionally(new IllegalStateException("upstream closed during the first request", cause));
        }
    }

    private static final UpstreamConnection.Listener IGNORING = new UpstreamConnection.Listener() {
        @Override public void onUpstreamMessage(UpstreamConnection c, Object msg) { ReferenceCountUtil.release(msg); }

        @Override public void onUpstreamClosed(UpstreamConnection c, Throwable cause) {}
    };

    private UpstreamEndpoint endpointFor(KeepAliveCloser server) {
        return new UpstreamEndpoint(Endpoint.parse(server.endpoint()), PassiveHealth.DEFAULTS, System::nanoTime, 8,
                Duration.ofSeconds(30).toNanos());
    }

    /** One GET on a new connection, which then goes back to the pool idle (the upstream promised keep-alive). */
    private static UpstreamConnection idleConnection(UpstreamEndpoint endpoint, EventLoop loop) throws Exception {
        OneGet get = new OneGet();
        loop.execute(() -> endpoint.connections().acquire(loop, get, 1000, ConnectionPool.Lease.NEW).addListener(f -> {
            if (!f.isSuccess()) {
                get.done.completeExceptionally(f.cause());
                return;
            }
            UpstreamConnection c = (UpstreamConnection) f.getNow();
            ForwardedRequest req = new ForwardedRequest(HttpMethod.GET, "/",
                    new DefaultHttpHeaders().set(HttpHeaderNames.HOST, "upstream").set(HttpHeaderNames.CONTENT_LENGTH, 0),
                    new AsciiString[0], new CharSequence[0], false);
            c.expectResponse(false);
            c.channel().writeAndFlush(req);
            c.channel().read();
        }));
        return get.done.get(5, TimeUnit.SECONDS);
    }

    /** Blocks the calling event loop until the kernel has left ESTABLISHED (the upstream's FIN arrived); bounded. */
    private static int awaitKernelSawClose(UpstreamConnection c) throws InterruptedException {
        EpollSocketChannel ch = (EpollSocketChannel) c.channel();
        long deadline = System.nanoTime() + Duration.ofSeconds(3).toNanos();
        int state;
        while ((state = ch.tcpInfo().state()) == TCP_ESTABLISHED && System.nanoTime() < deadline) Thread.sleep(5);
        return state;
    }

    /** What one task on the connection's event loop saw: Netty's view of the stale connection, then the lease. */
    private record Race(int kernelState, boolean nettySawActive, Future<UpstreamConnection> lease, boolean staleStillOpen) {}

    private Race leaseAfterUnnoticedClose(UpstreamEndpoint endpoint, UpstreamConnection stale, ConnectionPool.Lease lease)
            throws Exception {
        return stale.channel().eventLoop().submit(() -> {
            int state = awaitKernelSawClose(stale);
            boolean active = stale.channel().isActive();
            Future<UpstreamConnection> f = endpoint.connections().acquire(stale.channel().eventLoop(), IGNORING, 1000, lease);
            return new Race(state, active, f, stale.channel().isOpen());
        }).get(10, TimeUnit.SECONDS);
    }

    @Test void checkedLeaseSkipsAnIdleConnectionWhoseCloseNettyHasNotProcessedYet() throws Exception {
        upstream = new KeepAliveCloser(KeepAliveCloser.Mode.CLOSE_WHEN_IDLE, 200);
        UpstreamEndpoint endpoint = endpointFor(upstream);
        UpstreamConnection stale = idleConnection(endpoint, group.next());

        Race race = leaseAfterUnnoticedClose(endpoint, stale, ConnectionPool.Lease.POOLED_CHECKED);

        assertThat(race.kernelState()).as("TCP state after the upstream's FIN (8 = CLOSE_WAIT)").isNotEqualTo(TCP_ESTABLISHED);
        assertThat(race.nettySawActive()).as("Netty had not processed the close: the race is real").isTrue();
        assertThat(race.staleStillOpen()).as("the stale connection is closed, not left in the pool").isFalse();
        UpstreamConnection leased = race.lease().get(5, TimeUnit.SECONDS);
        assertThat(leased).isNotSameAs(stale);
        assertThat(leased.reused()).isFalse();
        assertThat(leased.channel().isActive()).isTrue();
    }

    @Test void plainLeaseStillHandsOutTheIdleConnectionWithoutAskingTheKernel() throws Exception {
        // Idempotent requests pay no system call: they are replayed on a new connection if this one turns out stale.
        upstream = new KeepAliveCloser(KeepAliveCloser.Mode.CLOSE_WHEN_IDLE, 200);
        UpstreamEndpoint endpoint = endpointFor(upstream);
        UpstreamConnection stale = idleConnection(endpoint, group.next());

        Race race = leaseAfterUnnoticedClose(endpoint, stale, ConnectionPool.Lease.POOLED);

        assertThat(race.nettySawActive()).isTrue();
        UpstreamConnection leased = race.lease().get(5, TimeUnit.SECONDS);
        assertThat(leased).isSameAs(stale);
        assertThat(leased.reused()).isTrue();
    }

    @Test void checkedLeaseReusesAnIdleConnectionTheUpstreamKeptOpen() throws Exception {
        upstream = new KeepAliveCloser(KeepAliveCloser.Mode.CLOSE_WHEN_IDLE, 10_000);
        UpstreamEndpoint endpoint = endpointFor(upstream);
        UpstreamConnection live = idleConnection(endpoint, group.next());
        EventLoop loop = live.channel().eventLoop();

        // getNow(): an idle connection is handed out at once; null would mean a new one is being connected.
        UpstreamConnection leased = loop.submit(() -> endpoint.connections()
                .acquire(loop, IGNORING, 1000, ConnectionPool.Lease.POOLED_CHECKED).getNow()).get(5, TimeUnit.SECONDS);

        assertThat(leased).isSameAs(live);
        assertThat(leased.reused()).isTrue();
        assertThat(upstream.connections()).isEqualTo(1);
    }
}
