package dev.vigil.gateway.policy.idempotency;

import dev.vigil.gateway.policy.Header;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Binary form of an embedded record. Versioned by its first byte so a future layout can still read
 * files written by this one.
 */
final class RecordCodec {
    static final byte IN_FLIGHT = 1, COMPLETED = 2, NOT_REPLAYABLE = 3;
    private static final byte VERSION = 1;

    /** A decoded record; {@code until} is the in-flight deadline or the expiry, epoch millis. */
    record Rec(byte state, byte[] fingerprint, String token, long until, int status, StoredResponse response) {}

    private RecordCodec() {}

    static byte[] encode(Rec r) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + (r.response == null ? 0 : r.response.body().length));
            DataOutputStream out = new DataOutputStream(bytes);
            out.writeByte(VERSION);
            out.writeByte(r.state);
            out.write(r.fingerprint);
            out.writeUTF(r.token);
            out.writeLong(r.until);
            out.writeInt(r.status);
            if (r.response != null) {
                out.writeInt(r.response.headers().size());
                for (Header h : r.response.headers()) {
                    out.writeUTF(h.name());
                    out.writeUTF(h.value());
                }
                out.writeInt(r.response.body().length);
                out.write(r.response.body());
            }
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] encodeHeaders(List<Header> headers) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(32 * headers.size() + 4);
            DataOutputStream out = new DataOutputStream(bytes);
            out.writeInt(headers.size());
            for (Header h : headers) {
                out.writeUTF(h.name());
                out.writeUTF(h.value());
            }
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<Header> decodeHeaders(byte[] data) {
        try {
            DataInputStream in = new DataInputStream(new ByteArrayInputStream(data));
            int n = in.readInt();
            List<Header> headers = new ArrayList<>(n);
            for (int i = 0; i < n; i++) headers.add(new Header(in.readUTF(), in.readUTF()));
            return headers;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Rec decode(byte[] data) {
        try {
            DataInputStream in = new DataInputStream(new ByteArrayInputStream(data));
            byte version = in.readByte();
            if (version != VERSION) throw new IllegalStateException("idempotency record version " + version + " is not supported");
            byte state = in.readByte();
            byte[] fp = in.readNBytes(32);
            String token = in.readUTF();
            long until = in.readLong();
            int status = in.readInt();
            StoredResponse response = null;
            if (state == COMPLETED) {
                int n = in.readInt();
                List<Header> headers = new ArrayList<>(n);
                for (int i = 0; i < n; i++) headers.add(new Header(in.readUTF(), in.readUTF()));
                byte[] body = in.readNBytes(in.readInt());
                response = new StoredResponse(status, headers, body);
            }
            return new Rec(state, fp, token, until, status, response);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
