package dev.vigil.gateway.upstream;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class OneMessagePerReadTest {
    /** Counts read() calls that reach the socket side. */
    static final class ReadCounter extends ChannelOutboundHandlerAdapter {
        int reads;

        @Override public void read(ChannelHandlerContext ctx) {
            reads++;
            ctx.read();
        }
    }

    private static EmbeddedChannel channel(ReadCounter counter, OneMessagePerRead flow) {
        EmbeddedChannel ch = new EmbeddedChannel();
        ch.config().setAutoRead(false);
        ch.pipeline().addLast(counter, flow);
        return ch;
    }

    @Test void deliversExactlyOneQueuedMessagePerRead() {
        ReadCounter counter = new ReadCounter();
        OneMessagePerRead flow = new OneMessagePerRead(false);
        EmbeddedChannel ch = channel(counter, flow);
        ch.writeInbound("a", "b", "c");
        assertThat(ch.<Object>readInbound()).isNull();
        assertThat(flow.hasBuffered()).isTrue();
        ch.read();
        assertThat((String) ch.readInbound()).isEqualTo("a");
        assertThat(ch.<Object>readInbound()).isNull();
        ch.read();
        ch.read();
        assertThat((String) ch.readInbound()).isEqualTo("b");
        assertThat((String) ch.readInbound()).isEqualTo("c");
        assertThat(flow.hasBuffered()).isFalse();
        assertThat(counter.reads).isZero(); // everything came from the queue, no socket read was needed
    }

    @Test void keepsReadingUntilADemandIsSatisfied() {
        ReadCounter counter = new ReadCounter();
        EmbeddedChannel ch = channel(counter, new OneMessagePerRead(false));
        ch.read();
        assertThat(counter.reads).isEqualTo(1);
        ch.pipeline().fireChannelReadComplete(); // a socket read that decoded nothing (half a head)
        assertThat(counter.reads).isEqualTo(2);
        ch.writeInbound("head");
        assertThat((String) ch.readInbound()).isEqualTo("head");
        ch.pipeline().fireChannelReadComplete(); // demand satisfied: no further read
        assertThat(counter.reads).isEqualTo(2);
    }

    @Test void releasesQueuedMessagesWhenTheChannelCloses() {
        EmbeddedChannel ch = channel(new ReadCounter(), new OneMessagePerRead(false));
        io.netty.buffer.ByteBuf buf = io.netty.buffer.Unpooled.buffer(8).writeLong(1);
        ch.writeInbound(buf);
        ch.close();
        assertThat(buf.refCnt()).isZero();
    }

    @Test void handsQueuedMessagesOnBeforeTheCloseWhenAskedTo() {
        EmbeddedChannel ch = channel(new ReadCounter(), new OneMessagePerRead(true));
        java.util.List<String> seen = new java.util.ArrayList<>();
        ch.pipeline().addLast(new io.netty.channel.ChannelInboundHandlerAdapter() {
            @Override public void channelRead(ChannelHandlerContext ctx, Object msg) { seen.add((String) msg); }

            @Override public void channelInactive(ChannelHandlerContext ctx) { seen.add("closed"); }
        });
        ch.writeInbound("last piece", "end");
        assertThat(seen).isEmpty(); // no demand yet
        ch.close();
        assertThat(seen).containsExactly("last piece", "end", "closed");
    }

    @Test void dropsQueuedMessagesAtTheCloseOtherwise() {
        EmbeddedChannel ch = channel(new ReadCounter(), new OneMessagePerRead(false));
        io.netty.buffer.ByteBuf queued = io.netty.buffer.Unpooled.buffer(4).writeInt(1);
        ch.writeInbound(queued);
        ch.close();
        assertThat(queued.refCnt()).isZero();
        assertThat(ch.<Object>readInbound()).isNull();
    }
}
