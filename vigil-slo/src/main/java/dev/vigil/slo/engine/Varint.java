package dev.vigil.slo.engine;

import java.io.ByteArrayOutputStream;

/** LEB128 unsigned variable-length integers: small counts and index deltas take one or two bytes. */
final class Varint {
    private Varint() {}

    static void write(ByteArrayOutputStream out, long value) {
        if (value < 0) throw new IllegalArgumentException("varint must be >= 0: " + value);
        while ((value & ~0x7FL) != 0) {
            out.write((int) ((value & 0x7F) | 0x80));
            value >>>= 7;
        }
        out.write((int) value);
    }

    /** Reads sequentially from a byte array. */
    static final class Reader {
        private final byte[] bytes;
        private int pos;

        Reader(byte[] bytes) { this.bytes = bytes; }

        boolean hasMore() { return pos < bytes.length; }

        long next() {
            long value = 0;
            int shift = 0;
            while (true) {
                if (pos >= bytes.length) throw new IllegalArgumentException("truncated varint");
                byte b = bytes[pos++];
                value |= (long) (b & 0x7F) << shift;
                if ((b & 0x80) == 0) return value;
                shift += 7;
                if (shift > 63) throw new IllegalArgumentException("varint too long");
            }
        }

        int nextInt() {
            long v = next();
            if (v > Integer.MAX_VALUE) throw new IllegalArgumentException("varint out of int range: " + v);
            return (int) v;
        }
    }
}
