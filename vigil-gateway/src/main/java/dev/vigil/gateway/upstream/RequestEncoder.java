package dev.vigil.gateway.upstream;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.AsciiString;

import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Map;

/**
 * Writes what the gateway sends an upstream as HTTP/1.1 bytes: a {@link ForwardedRequest} head, then its body as
 * {@link HttpContent} pieces, chunk-framed when the head says so (a Content-Length body goes as it is). In place of
 * Netty's {@code HttpRequestEncoder}, which would need the forwarded fields set into the client's header map first.
 *
 * <p>Field values are written as ISO-8859-1 bytes, as they were decoded. One instance per connection; confined to
 * its event loop.
 */
public final class RequestEncoder extends ChannelOutboundHandlerAdapter {
    private static final byte[] HTTP_1_1 = " HTTP/1.1\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] LAST_CHUNK = "0\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    /** A body piece up to this size is copied between its chunk framing (one buffer); a larger one is a composite. */
    private static final int COPY_BYTES = 8 * 1024;
    private static final short CRLF = ('\r' << 8) | '\n';

    /** The body being sent is chunk-framed. */
    private boolean chunked;
    /** Where a head is composed. */
    private byte[] scratch = new byte[1024];

    @Override public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof ForwardedRequest r) {
            chunked = r.chunked();
            ctx.write(head(r, ctx.alloc()), promise);
        } else if (msg instanceof HttpContent c) {
            ctx.write(chunked ? chunk(ctx, c) : c.content(), promise);
        } else {
            ctx.write(msg, promise);
        }
    }

    /**
     * The head, composed in a per-connection array and written to the buffer in one copy: a write per name, colon,
     * value and CRLF each checks the buffer's reference count and capacity.
     */
    private ByteBuf head(ForwardedRequest r, ByteBufAllocator alloc) {
        int n = put(0, r.method().asciiName());
        n = put(n, ' ');
        n = put(n, r.target());
        n = put(n, HTTP_1_1);
        for (Iterator<Map.Entry<CharSequence, CharSequence>> it = r.fields().iteratorCharSequence(); it.hasNext(); ) {
            Map.Entry<CharSequence, CharSequence> f = it.next();
            if (r.keeps(f.getKey())) n = field(n, f.getKey(), f.getValue());
        }
        CharSequence[] added = r.added();
        for (int i = 0; i < added.length; i += 2) n = field(n, added[i], added[i + 1]);
        n = put(n, '\r');
        n = put(n, '\n');
        return alloc.buffer(n).writeBytes(scratch, 0, n);
    }

    private int field(int at, CharSequence name, CharSequence value) {
        at = put(at, name);
        at = put(at, ':');
        at = put(at, ' ');
        at = put(at, value);
        at = put(at, '\r');
        return put(at, '\n');
    }

    /** Puts {@code text} as ISO-8859-1 bytes (how fields were decoded) at {@code at}; returns the end. */
    private int put(int at, CharSequence text) {
        int length = text.length();
        byte[] b = room(at + length);
        if (text instanceof AsciiString a) {
            System.arraycopy(a.array(), a.arrayOffset(), b, at, length);
        } else {
            for (int k = 0; k < length; k++) {
                char c = text.charAt(k);
                // Beyond Latin-1 (a tenant name from the config, say): '?', as Netty writes it. Its low byte could
                // be a CR or LF and split the request.
                b[at + k] = c > 0xff ? (byte) '?' : (byte) c;
            }
        }
        return at + length;
    }

    private int put(int at, byte[] bytes) {
        System.arraycopy(bytes, 0, room(at + bytes.length), at, bytes.length);
        return at + bytes.length;
    }

    private int put(int at, char c) {
        room(at + 1)[at] = (byte) c;
        return at + 1;
    }

    private byte[] room(int size) {
        if (scratch.length < size) scratch = java.util.Arrays.copyOf(scratch, Math.max(size, 2 * scratch.length));
        return scratch;
    }

    private static ByteBuf chunk(ChannelHandlerContext ctx, HttpContent c) {
        ByteBuf data = c.content();
        int n = data.readableBytes();
        boolean last = c instanceof LastHttpContent;
        if (n == 0) {
            data.release();
            return last ? ctx.alloc().buffer(5).writeBytes(LAST_CHUNK) : ctx.alloc().buffer(0);
        }
        if (n <= COPY_BYTES) {
            ByteBuf out = ctx.alloc().buffer(n + 24);
            out.writeCharSequence(Integer.toHexString(n), StandardCharsets.US_ASCII);
            out.writeShort(CRLF);
            out.writeBytes(data, data.readerIndex(), n);
            out.writeShort(CRLF);
            if (last) out.writeBytes(LAST_CHUNK);
            data.release();
            return out;
        }
        ByteBuf prefix = ctx.alloc().buffer(16);
        prefix.writeCharSequence(Integer.toHexString(n), StandardCharsets.US_ASCII);
        prefix.writeShort(CRLF);
        ByteBuf suffix = ctx.alloc().buffer(7);
        suffix.writeShort(CRLF);
        if (last) suffix.writeBytes(LAST_CHUNK);
        CompositeByteBuf all = ctx.alloc().compositeBuffer(3);
        return all.addComponents(true, prefix, data, suffix);
    }
}
