package dev.vigil.gateway.upstream;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.util.ReferenceCountUtil;

import java.util.ArrayDeque;

/**
 * Placed right after an HTTP codec on a channel with AUTO_READ off: each {@code read()} from a later handler
 * delivers exactly one decoded message, reading from the socket as many times as it takes to get one.
 *
 * <p>Why not Netty's {@code FlowControlHandler}: it forgets a read demand when a socket read decodes nothing (a head
 * larger than one receive buffer, a chunk-size line split across reads), and the exchange then stalls. Here the
 * demand survives until a message satisfies it. Messages decoded beyond the demand (a pipelined request, the empty
 * last content after a head) wait in a queue; the codec's size limits bound what one demand can buffer.
 *
 * <p>When the channel closes with messages still queued, {@code deliverQueuedOnClose} decides their fate. An
 * upstream connection delivers them, then the close: an upstream that sends its last bytes and closes at once
 * (HTTP/1.0, {@code Connection: close}) has its close noticed while the slow client is still taking earlier pieces,
 * and dropping what was already read would cut the response short. A client connection drops them: nobody is
 * there to answer a request queued behind a closed connection.
 *
 * <p>One instance per channel; confined to its event loop.
 */
public final class OneMessagePerRead extends ChannelDuplexHandler {
    private final ArrayDeque<Object> queue = new ArrayDeque<>(4);
    private final boolean deliverQueuedOnClose;
    private boolean demand;

    /** @param deliverQueuedOnClose at the close, hand queued messages on (without a read) instead of dropping them */
    public OneMessagePerRead(boolean deliverQueuedOnClose) {
        this.deliverQueuedOnClose = deliverQueuedOnClose;
    }

    /** Whether a decoded message is waiting, i.e. the next {@code read()} will deliver at once, without I/O. */
    public boolean hasBuffered() {
        return !queue.isEmpty();
    }

    @Override public void read(ChannelHandlerContext ctx) {
        Object next = queue.poll();
        if (next != null) {
            ctx.fireChannelRead(next);
            return;
        }
        demand = true;
        ctx.read();
    }

    @Override public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (demand && queue.isEmpty()) {
            demand = false;
            ctx.fireChannelRead(msg);
        } else {
            queue.add(msg);
        }
    }

    @Override public void channelReadComplete(ChannelHandlerContext ctx) {
        if (demand && ctx.channel().isActive()) ctx.read(); // nothing decoded yet: keep reading for the waiting handler
        ctx.fireChannelReadComplete();
    }

    @Override public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        if (deliverQueuedOnClose) {
            Object o;
            while ((o = queue.poll()) != null) ctx.fireChannelRead(o);
        } else {
            drop();
        }
        super.channelInactive(ctx);
    }

    @Override public void handlerRemoved(ChannelHandlerContext ctx) {
        drop();
    }

    private void drop() {
        Object o;
        while ((o = queue.poll()) != null) ReferenceCountUtil.release(o);
    }
}
