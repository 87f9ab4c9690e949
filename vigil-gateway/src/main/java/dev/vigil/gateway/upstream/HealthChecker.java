package dev.vigil.gateway.upstream;

import dev.vigil.gateway.config.HealthCheck;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.concurrent.ScheduledFuture;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Active health checks for one pool: every {@code interval}, {@code GET path} on a fresh connection to each endpoint
 * (never a pooled one: the check must see what a new connection sees). A 2xx response within {@code timeout}
 * passes; anything else, including a refused connection, fails. Results feed
 * {@link UpstreamEndpoint#activeResult}, which applies the thresholds.
 *
 * <p>All probes and result bookkeeping run on one event loop, so the per-endpoint counters need no locking.
 */
public final class HealthChecker implements AutoCloseable {
    private final UpstreamPool pool;
    private final HealthCheck check;
    private final EventLoop loop;
    private final List<ScheduledFuture<?>> tasks = new ArrayList<>();

    public HealthChecker(UpstreamPool pool, HealthCheck check, EventLoop loop) {
        this.pool = pool;
        this.check = check;
        this.loop = loop;
    }

    public void start() {
        long intervalMillis = check.interval().toMillis();
        tasks.add(loop.scheduleAtFixedRate(this::probeAll, 0, intervalMillis, TimeUnit.MILLISECONDS));
    }

    private void probeAll() {
        for (UpstreamEndpoint e : pool.endpoints()) probe(e);
    }

    private void probe(UpstreamEndpoint endpoint) {
        int timeoutMillis = (int) Math.max(1, check.timeout().toMillis());
        boolean[] done = {false};
        Runnable fail = () -> {
            if (!done[0]) {
                done[0] = true;
                endpoint.activeResult(false, check.healthyThreshold(), check.unhealthyThreshold());
            }
        };
        ChannelFuture cf = new Bootstrap().group(loop).channel(Transport.socketChannel())
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, timeoutMillis)
                .option(ChannelOption.ALLOCATOR, Transport.allocator())
                .handler(new ChannelInitializer<Channel>() {
                    @Override protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(new HttpClientCodec());
                        ch.pipeline().addLast(new SimpleChannelInboundHandler<HttpObject>() {
                            @Override protected void channelRead0(ChannelHandlerContext ctx, HttpObject msg) {
                                if (msg instanceof HttpResponse r && !done[0]) {
                                    done[0] = true;
                                    boolean passed = r.status().code() >= 200 && r.status().code() < 300;
                                    endpoint.activeResult(passed, check.healthyThreshold(), check.unhealthyThreshold());
                                    ctx.close();
                                }
                            }

                            @Override public void channelInactive(ChannelHandlerContext ctx) { fail.run(); }

                            @Override public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                                fail.run();
                                ctx.close();
                            }
                        });
                    }
                })
                .connect(endpoint.socketAddress());
        ScheduledFuture<?> timer = loop.schedule(() -> {
            fail.run();
            cf.channel().close();
        }, timeoutMillis, TimeUnit.MILLISECONDS);
        cf.channel().closeFuture().addListener(f -> timer.cancel(false));
        cf.addListener(f -> {
            if (!f.isSuccess()) {
                fail.run();
                return;
            }
            FullHttpRequest req = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, check.path());
            req.headers().set(HttpHeaderNames.HOST, endpoint.address().toString());
            req.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            req.headers().set(HttpHeaderNames.USER_AGENT, "vigil-health-check");
            cf.channel().writeAndFlush(req);
        });
    }

    @Override public void close() {
        for (ScheduledFuture<?> t : tasks) t.cancel(false);
    }
}
