package dev.vigil.load.engine;

import dev.vigil.load.IntervalSink;
import dev.vigil.load.scenario.Body;
import dev.vigil.load.scenario.Flow;
import dev.vigil.load.scenario.Phase;
import dev.vigil.load.scenario.Scenario;
import dev.vigil.load.scenario.StatusExpectation;
import dev.vigil.load.scenario.Step;
import dev.vigil.load.scenario.Template;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Compiles the engine's hot paths before a measured run. A fresh JVM interprets the engine's code during its first
 * seconds: measured from intended times, that shows as hundreds of milliseconds of latency the target never caused
 * (p50 above 100 ms in the first second at 5k req/s, before this existed). So before the first run in a JVM the
 * engine runs itself for about a second against an in-process responder on loopback — never against the target,
 * which must not see traffic nobody scheduled.
 */
final class SelfWarmup {
    private static final byte[] RESPONSE = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok".getBytes(StandardCharsets.US_ASCII);
    private static volatile boolean done;

    private SelfWarmup() {}

    /** Runs once per JVM (later calls return at once); failures only cost the warm-up, never the run. */
    static synchronized void once(int threads) {
        if (done) return;
        done = true;
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        try {
            Channel server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override protected void initChannel(SocketChannel ch) {
                            ch.pipeline().addLast(new Responder());
                        }
                    }).bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
            URI uri = URI.create("http://127.0.0.1:" + ((InetSocketAddress) server.localAddress()).getPort());
            Step templated = new Step("warm-up", "GET", Template.compile("/warm-up/{{ randomInt(1, 9) }}"), List.of(),
                    List.of(), Body.NONE, StatusExpectation.DEFAULT, Duration.ofSeconds(2), List.of(), Duration.ZERO, "");
            Step constant = new Step("warm-up 2", "GET", Template.compile("/warm-up"), List.of(), List.of(), Body.NONE,
                    StatusExpectation.DEFAULT, Duration.ofSeconds(2), List.of(), Duration.ZERO, "");
            // open model, so the pacer and the arrival schedule are compiled too
            Scenario scenario = new Scenario("(warm-up)", uri,
                    List.of(new Phase.Open("warm-up", Duration.ofMillis(1200), 5_000, 30_000)),
                    List.of(new Flow("warm-up", 1, List.of(templated, constant))), List.of(), Map.of(), 32, List.of());
            new Engine(scenario, new Engine.Options(null, IntervalSink.NONE, null, InstantSource.system(), null, threads),
                    false).run();
            server.close().sync();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            // a warm-up that fails (no loopback?) leaves the run cold but correct
        } finally {
            group.shutdownGracefully(0, 100, TimeUnit.MILLISECONDS);
        }
    }

    /** Answers every request (a GET: it ends at the blank line) with a fixed 200. */
    private static final class Responder extends ChannelInboundHandlerAdapter {
        private int matched; // how much of "\r\n\r\n" the bytes so far end with

        @Override public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf in = (ByteBuf) msg;
            int requests = 0;
            try {
                while (in.isReadable()) {
                    byte b = in.readByte();
                    matched = b == (matched % 2 == 0 ? '\r' : '\n') ? matched + 1 : b == '\r' ? 1 : 0;
                    if (matched == 4) {
                        requests++;
                        matched = 0;
                    }
                }
            } finally {
                in.release();
            }
            if (requests > 0) {
                ByteBuf out = ctx.alloc().buffer(RESPONSE.length * requests);
                for (int i = 0; i < requests; i++) out.writeBytes(RESPONSE);
                ctx.writeAndFlush(out);
            }
        }

        @Override public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
