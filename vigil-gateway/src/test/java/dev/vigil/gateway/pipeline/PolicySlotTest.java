package dev.vigil.gateway.pipeline;

import dev.vigil.gateway.Gateway;
import dev.vigil.gateway.testing.Configs;
import dev.vigil.gateway.testing.RawHttp;
import dev.vigil.gateway.testing.TestBackend;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/** A policy in a slot can pass requests on or answer them itself, following the {@link PolicyStages} contract. */
class PolicySlotTest {
    /** Answers /blocked with 429 itself; records the order in which the slots saw each request. */
    static final class Blocker extends ChannelInboundHandlerAdapter {
        private final String name;
        private final List<String> seen;
        private boolean answering;

        Blocker(String name, List<String> seen) {
            this.name = name;
            this.seen = seen;
        }

        @Override public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof HttpRequest req) {
                seen.add(name + " " + req.uri());
                if (name.equals("rate-limit") && req.uri().equals("/blocked")) {
                    answering = true;
                    Exchange ex = ctx.channel().attr(Exchange.CURRENT).get();
                    Responses.problem(ctx, 429, "over the plan's limit", ex, false);
                    ReferenceCountUtil.release(msg);
                    ctx.read(); // the rest of the request
                    return;
                }
            } else if (answering && msg instanceof HttpContent c) {
                boolean last = c instanceof LastHttpContent;
                c.release();
                if (last) answering = false;
                ctx.read(); // more body, or the next request
                return;
            }
            ctx.fireChannelRead(msg);
        }
    }

    @Test void policiesRunInOrderAndMayAnswerThemselves() throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        try (TestBackend backend = TestBackend.start("a")) {
            PolicyStages policies = new PolicyStages(() -> new Blocker("rate-limit", seen),
                    () -> new Blocker("idempotency", seen), () -> (ChannelHandler) new Blocker("cache", seen));
            Gateway gw = Gateway.builder(Configs.single(Configs.pool("api", backend.endpoint()), Configs.fastLimits()))
                    .policies(policies).start();
            try (RawHttp raw = new RawHttp(gw.addresses().get(0).getPort())) {
                RawHttp.Response blocked = raw.send("POST /blocked HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello").read();
                assertThat(blocked.status()).isEqualTo(429);
                assertThat(blocked.header("content-type")).isEqualTo("application/problem+json");
                // Same connection: the policy consumed the body and asked for the next request.
                RawHttp.Response ok = raw.send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n").read();
                assertThat(ok.body()).isEqualTo("hello from a");
            } finally {
                gw.shutdown(Duration.ZERO);
            }
            assertThat(backend.requests()).isEqualTo(1);
        }
        assertThat(seen).containsExactly("rate-limit /blocked", "rate-limit /hello", "idempotency /hello", "cache /hello");
    }
}
