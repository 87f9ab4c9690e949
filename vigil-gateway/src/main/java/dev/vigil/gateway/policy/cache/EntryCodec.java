package dev.vigil.gateway.policy.cache;

import dev.vigil.gateway.policy.Header;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/** Binary form of an {@link Entry} without Vary, for L2. Versioned by the first byte. */
final class EntryCodec {
    private static final byte VERSION = 1;

    private EntryCodec() {}

    static byte[] encode(Entry e) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(128 + e.response().body().length);
            DataOutputStream out = new DataOutputStream(bytes);
            out.writeByte(VERSION);
            out.writeLong(e.storedAt());
            out.writeLong(e.freshUntil());
            out.writeLong(e.staleWhileRevalidateUntil());
            out.writeLong(e.staleIfErrorUntil());
            out.writeShort(e.response().status());
            out.writeInt(e.response().headers().size());
            for (Header h : e.response().headers()) {
                out.writeUTF(h.name());
                out.writeUTF(h.value());
            }
            out.writeInt(e.response().body().length);
            out.write(e.response().body());
            return bytes.toByteArray();
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /** @return the entry, or {@code null} when written by an unknown version */
    static Entry decode(byte[] data, String pathKey) {
        try {
            DataInputStream in = new DataInputStream(new ByteArrayInputStream(data));
            if (in.readByte() != VERSION) return null;
            long storedAt = in.readLong(), fresh = in.readLong(), swr = in.readLong(), sie = in.readLong();
            int status = in.readShort();
            int n = in.readInt();
            List<Header> headers = new ArrayList<>(n);
            for (int i = 0; i < n; i++) headers.add(new Header(in.readUTF(), in.readUTF()));
            byte[] body = in.readNBytes(in.readInt());
            return new Entry(new UpstreamResponse(status, headers, body), storedAt, fresh, swr, sie, List.of(), List.of(), pathKey);
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }
}
