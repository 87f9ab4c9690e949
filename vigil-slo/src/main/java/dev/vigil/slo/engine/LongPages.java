package dev.vigil.slo.engine;

import java.io.ByteArrayOutputStream;

/**
 * Histogram cell counts with pages allocated on first use. Single-threaded: used under the store's lock
 * for the open minute and open hour, and as scratch space while evaluating. Latencies cluster in a few
 * octaves, so a series typically holds 5-15 pages of {@code 8 × 2^pageShift} bytes instead of the
 * full 23-page range.
 */
final class LongPages {
    private final int shift;
    private final int mask;
    private final long[][] pages;
    private boolean empty = true;

    LongPages(HdrIndex index) {
        this.shift = index.pageShift();
        this.mask = (1 << shift) - 1;
        this.pages = new long[(index.length + mask) >>> shift][];
    }

    void add(int cell, long count) {
        if (count == 0) return;
        long[] page = pages[cell >>> shift];
        if (page == null) page = pages[cell >>> shift] = new long[mask + 1];
        page[cell & mask] += count;
        empty = false;
    }

    boolean isEmpty() { return empty; }

    void clear() {
        for (long[] page : pages) if (page != null) java.util.Arrays.fill(page, 0);
        empty = true;
    }

    /** Adds an encoding made by {@link #encode()}. */
    void addEncoded(byte[] encoded) {
        Varint.Reader in = new Varint.Reader(encoded);
        int cell = -1;
        while (in.hasMore()) {
            cell += 1 + in.nextInt();
            add(cell, in.next());
        }
    }

    void addAll(LongPages other) {
        for (int p = 0; p < other.pages.length; p++) {
            long[] page = other.pages[p];
            if (page == null) continue;
            for (int i = 0; i < page.length; i++) add((p << shift) | i, page[i]);
        }
    }

    /** Sparse encoding: (cell − previous cell − 1, count) as varints for every non-zero cell, ascending. */
    byte[] encode() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int previous = -1;
        for (int p = 0; p < pages.length; p++) {
            long[] page = pages[p];
            if (page == null) continue;
            for (int i = 0; i < page.length; i++) {
                if (page[i] == 0) continue;
                int cell = (p << shift) | i;
                Varint.write(out, cell - previous - 1);
                Varint.write(out, page[i]);
                previous = cell;
            }
        }
        return out.toByteArray();
    }

    interface CellVisitor { void visit(int cell, long count); }

    void forEach(CellVisitor visitor) {
        for (int p = 0; p < pages.length; p++) {
            long[] page = pages[p];
            if (page == null) continue;
            for (int i = 0; i < page.length; i++) if (page[i] != 0) visitor.visit((p << shift) | i, page[i]);
        }
    }

    static void forEachEncoded(byte[] encoded, CellVisitor visitor) {
        Varint.Reader in = new Varint.Reader(encoded);
        int cell = -1;
        while (in.hasMore()) {
            cell += 1 + in.nextInt();
            visitor.visit(cell, in.next());
        }
    }
}
