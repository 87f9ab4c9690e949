package dev.vigil.load.scenario;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Rows of a CSV file (RFC 4180: a header row naming the columns, quoted fields may hold commas, quotes and
 * line breaks) handed out one per flow start; each column becomes a variable. Thread-safe.
 */
public final class Feeder {
    /** How rows are handed out. */
    public enum Order {
        /** Each row once, top to bottom; the run stops when they run out. */
        SEQUENTIAL,
        /** Top to bottom, starting over after the last row. */
        CIRCULAR,
        /** A uniformly random row each time. */
        RANDOM
    }

    private final String file;
    private final Order order;
    private final List<String> columns;
    private final List<String[]> rows;
    private final AtomicLong next = new AtomicLong();

    Feeder(String file, Order order, List<String> columns, List<String[]> rows) {
        this.file = Objects.requireNonNull(file);
        this.order = Objects.requireNonNull(order);
        this.columns = List.copyOf(columns);
        this.rows = List.copyOf(rows);
        if (this.rows.isEmpty()) throw new IllegalArgumentException(file + " has a header but no rows");
    }

    /**
     * Reads {@code csv}.
     *
     * @throws IllegalArgumentException when the file is empty, a row has the wrong number of fields, a column name
     *                                  repeats, or a quote is unclosed (message names the line)
     */
    public static Feeder load(Path csv, String shownName, Order order) throws IOException {
        return parse(shownName, Files.readString(csv, StandardCharsets.UTF_8), order);
    }

    public static Feeder parse(String shownName, String text, Order order) {
        List<List<String>> records = parseCsv(shownName, text);
        if (records.isEmpty()) throw new IllegalArgumentException(shownName + " is empty; it needs a header row naming the columns");
        List<String> header = records.get(0).stream().map(String::strip).toList();
        Set<String> seen = new HashSet<>();
        for (String h : header) {
            if (h.isEmpty()) throw new IllegalArgumentException(shownName + ":1: a column has no name");
            if (!seen.add(h)) throw new IllegalArgumentException(shownName + ":1: column '" + h + "' appears twice");
        }
        List<String[]> rows = new ArrayList<>();
        for (int i = 1; i < records.size(); i++) {
            List<String> r = records.get(i);
            if (r.size() == 1 && r.get(0).isEmpty()) continue; // blank line
            if (r.size() != header.size()) {
                throw new IllegalArgumentException(shownName + ": row " + (i + 1) + " has " + r.size()
                        + " fields, the header has " + header.size());
            }
            rows.add(r.toArray(String[]::new));
        }
        return new Feeder(shownName, order, header, rows);
    }

    private static List<List<String>> parseCsv(String name, String text) {
        List<List<String>> out = new ArrayList<>();
        List<String> row = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        boolean any = false;
        int line = 1;
        int quoteLine = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            any = true;
            if (quoted) {
                if (c == '"') {
                    if (i + 1 < text.length() && text.charAt(i + 1) == '"') {
                        field.append('"');
                        i++;
                    } else {
                        quoted = false;
                    }
                } else {
                    if (c == '\n') line++;
                    field.append(c);
                }
            } else if (c == '"' && field.isEmpty()) {
                quoted = true;
                quoteLine = line;
            } else if (c == ',') {
                row.add(field.toString());
                field.setLength(0);
            } else if (c == '\n' || c == '\r') {
                if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') i++;
                row.add(field.toString());
                field.setLength(0);
                out.add(row);
                row = new ArrayList<>();
                any = false;
                line++;
            } else {
                field.append(c);
            }
        }
        if (quoted) throw new IllegalArgumentException(name + ":" + quoteLine + ": unclosed '\"'");
        if (any) {
            row.add(field.toString());
            out.add(row);
        }
        return out;
    }

    public String file() { return file; }

    public Order order() { return order; }

    public List<String> columns() { return columns; }

    public int size() { return rows.size(); }

    /** The next row's values in column order, or null when a sequential feeder has run out. */
    public String[] next() {
        return switch (order) {
            case RANDOM -> rows.get(ThreadLocalRandom.current().nextInt(rows.size()));
            case CIRCULAR -> rows.get((int) (next.getAndIncrement() % rows.size()));
            case SEQUENTIAL -> {
                long i = next.getAndIncrement();
                yield i < rows.size() ? rows.get((int) i) : null;
            }
        };
    }
}
