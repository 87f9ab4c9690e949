package dev.vigil.gateway.upstream;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;

/**
 * One HTTP/1.1 connection to an upstream endpoint, owned either by its pool (idle) or by one exchange (leased).
 *
 * <p>The channel has AUTO_READ off, a {@link ResponseParser} and a {@code OneMessagePerRead}, so each
 * {@link Channel#read()} delivers at most one message ({@link UpstreamHead}, {@link UpstreamBody} or
 * {@link UpstreamMalformed}): the exchange reads the next piece of the response only after the previous one was written
 * to the client (back-pressure). While idle in the pool one read is kept pending so that an upstream closing the
 * connection is noticed at once and the connection leaves the pool before anyone reuses it.
 *
 * <p>Confined to the channel's event loop, which is also the event loop of the client connection that leases it.
 */
public final class UpstreamConnection extends ChannelInboundHandlerAdapter {
    /** What a leased connection tells its exchange. Called on the event loop. */
    public interface Listener {
        /** An {@link UpstreamHead}, {@link UpstreamBody} (both reference counted) or {@link UpstreamMalformed}. */
        void onUpstreamMessage(UpstreamConnection connection, Object message);

        /** The connection closed or failed while leased; {@code cause} may be null for a plain close. */
        void onUpstreamClosed(UpstreamConnection connection, Throwable cause);

        /** A socket read finished: the moment to flush whatever was written without a flush. */
        default void onUpstreamReadComplete(UpstreamConnection connection) {}
    }

    final UpstreamEndpoint endpoint;
    final ResponseParser parser;
    final OneMessagePerRead flow = new OneMessagePerRead(true);
    private Channel channel;
    private Listener listener;
    private boolean reused;
    /** Why the connection is being closed, when an error closed it; reported with the close. */
    private Throwable failure;
    long idleSinceNanos;
    /** The idle time the upstream itself promised ({@code Keep-Alive: timeout=N}), minus a margin; MAX when unknown. */
    long upstreamIdleLimitNanos = Long.MAX_VALUE;

    UpstreamConnection(UpstreamEndpoint endpoint, int maxResponseHeadBytes) {
        this.endpoint = endpoint;
        this.parser = new ResponseParser(maxResponseHeadBytes);
    }

    public Channel channel() { return channel; }

    public UpstreamEndpoint endpoint() { return endpoint; }

    /**
     * Call before writing a request: its response is what the connection reads next. A HEAD's response has no body
     * whatever its fields say.
     */
    public void expectResponse(boolean toHeadRequest) { parser.expect(toHeadRequest); }

    /** Whether the next piece of the response is already decoded (a read delivers it without waiting for I/O). */
    public boolean hasBuffered() { return flow.hasBuffered(); }

    /** Whether this lease reuses a pooled connection (which the upstream may have closed meanwhile) or a new one. */
    public boolean reused() { return reused; }

    /**
     * Notes the upstream's {@code Keep-Alive: timeout=N} (RFC 2068 §19.7.1, sent by Node.js, Apache and others): the
     * pool will not reuse this connection after {@code N − 1} seconds idle (half of N below two seconds), so the
     * gateway stops using it before the upstream closes it rather than racing the close.
     */
    public void upstreamKeepAlive(String keepAliveHeader) {
        if (keepAliveHeader == null) return;
        for (String part : keepAliveHeader.split(",")) {
            String p = part.trim();
            if (p.regionMatches(true, 0, "timeout=", 0, 8)) {
                try {
                    long seconds = Long.parseLong(p.substring(8).trim());
                    if (seconds <= 0) return;
                    long millis = seconds >= 2 ? (seconds - 1) * 1000 : seconds * 500;
                    upstreamIdleLimitNanos = millis * 1_000_000L;
                } catch (NumberFormatException ignored) {
                    // not a number: keep the pool's own idle timeout
                }
                return;
            }
        }
    }

    void lease(Listener l, boolean wasPooled) {
        this.listener = l;
        this.reused = wasPooled;
    }

    /**
     * Gives the connection back. A connection is only reusable when both messages were complete and both sides
     * allowed keep-alive; anything else is closed because its framing state is unknown.
     */
    public void release(boolean reusable) {
        listener = null;
        endpoint.connections.release(this, reusable);
    }

    @Override public void handlerAdded(ChannelHandlerContext ctx) {
        channel = ctx.channel();
    }

    @Override public void channelRead(ChannelHandlerContext ctx, Object msg) {
        Listener l = listener;
        if (l == null) {
            // Bytes on an idle connection: the upstream broke framing; this connection can never be trusted again.
            ReferenceCountUtil.release(msg);
            ctx.close();
            return;
        }
        l.onUpstreamMessage(this, msg);
    }

    @Override public void channelReadComplete(ChannelHandlerContext ctx) {
        Listener l = listener;
        if (l != null) l.onUpstreamReadComplete(this);
    }

    @Override public void channelInactive(ChannelHandlerContext ctx) {
        Listener l = listener;
        listener = null;
        endpoint.connections.closed(this);
        if (l != null) l.onUpstreamClosed(this, failure);
    }

    @Override public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (ctx.channel().isActive()) {
            // Reported by channelInactive, after the pieces of the response already read (a reset that follows the
            // response's last bytes must not cut a slow client short: see OneMessagePerRead).
            failure = cause;
            ctx.close();
            return;
        }
        Listener l = listener;
        listener = null;
        ctx.close();
        if (l != null) l.onUpstreamClosed(this, cause);
    }
}
