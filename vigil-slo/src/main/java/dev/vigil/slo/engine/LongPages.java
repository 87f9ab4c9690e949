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
        forEachEncoded(encoded, this::add);
    }

    void addAll(LongPages other) {
        for (int p = 0; p < other.pages.length; p++) {
            long[] page = other.pages[p];
            if (page == null) continue;
            for (int i = 0; i < page.length; i++) add((p << shift) | i, page[i]);
        }
    }

    /**
     * Sparse encoding of the non-zero cells, ascending. Each cell is one varint {@code count << 2 | tag}:
     * tags 0-2 say how many empty cells precede it, tag 3 that a varint {@code gap − 3} follows. Latency
     * histograms are dense around their mode, so most cells cost one or two bytes.
     */
    byte[] encode() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int previous = -1;
        for (int cell = nextNonZero(0); cell >= 0; cell = nextNonZero(cell + 1)) {
            long count = count(cell);
            int gap = cell - previous - 1;
            if (gap < 3) {
                Varint.write(out, count << 2 | gap);
            } else {
                Varint.write(out, count << 2 | 3);
                Varint.write(out, gap - 3);
            }
            previous = cell;
        }
        return out.toByteArray();
    }

    private long count(int cell) {
        long[] page = pages[cell >>> shift];
        return page == null ? 0 : page[cell & mask];
    }

    /** The first non-zero cell at or after {@code cell}, skipping absent pages; −1 when none. */
    private int nextNonZero(int cell) {
        int cells = pages.length << shift;
        while (cell < cells) {
            long[] page = pages[cell >>> shift];
            if (page == null) {
                cell = ((cell >>> shift) + 1) << shift;
                continue;
            }
            if (page[cell & mask] != 0) return cell;
            cell++;
        }
        return -1;
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
            long v = in.next();
            int tag = (int) (v & 3);
            cell += 1 + (tag < 3 ? tag : 3 + in.nextInt());
            visitor.visit(cell, v >>> 2);
        }
    }
}
