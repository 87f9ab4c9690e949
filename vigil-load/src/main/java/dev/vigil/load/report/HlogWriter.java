package dev.vigil.load.report;

import dev.vigil.load.IntervalSink;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogWriter;

import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Writes a run's interval histograms as an HdrHistogram interval log ({@code .hlog}), readable by HdrHistogram's
 * own {@code HistogramLogReader}, {@code HistogramLogProcessor} and the online log analysers.
 *
 * <p>Layout: the log-format version, {@code StartTime} and {@code BaseTime} (both the run's start, so each
 * interval's time stamp is seconds since the run began), the legend, then one line per interval and tag.
 * Values are latencies in microseconds measured from the intended send time; the {@code Interval_Max} column
 * is written in milliseconds (max value unit ratio 1000).
 *
 * <p>Tags: HdrHistogram forbids commas and whitespace in a tag, so every run of them in a step name becomes
 * {@code _} ({@code "POST /missions"} → {@code POST_/missions}); the first use of a changed tag is recorded in
 * a {@code #} comment line, which log readers skip.
 *
 * <p>Single-threaded, as {@link IntervalSink} allows: the engine calls it from one reporting thread.
 */
public final class HlogWriter implements IntervalSink, Closeable {
    /** The file name inside the output directory. */
    public static final String FILE_NAME = "latency.hlog";

    /** Histogram values are microseconds; the log's max column is milliseconds. */
    static final double MICROS_PER_MILLI = 1_000.0;
    private static final Pattern NOT_ALLOWED_IN_TAG = Pattern.compile("[\\s,]+");

    private final Path file;
    private final PrintStream out;
    private final HistogramLogWriter log;
    private final Set<String> tagsSeen = new HashSet<>();

    private HlogWriter(Path file, PrintStream out, Instant start) {
        this.file = file;
        this.out = out;
        this.log = new HistogramLogWriter(out);
        long startMillis = start.toEpochMilli();
        log.outputComment("Vigil load run latency log: microseconds from each request's intended send time");
        log.outputLogFormatVersion();
        log.outputStartTime(startMillis);
        log.setBaseTime(startMillis);
        log.outputBaseTime(startMillis);
        log.outputLegend();
    }

    /**
     * Creates (or replaces) the log file and writes its header.
     *
     * @param start the run's start; interval time stamps are written relative to it
     */
    public static HlogWriter create(Path file, Instant start) throws IOException {
        PrintStream out = new PrintStream(new BufferedOutputStream(Files.newOutputStream(file)), false,
                StandardCharsets.US_ASCII);
        return new HlogWriter(file, out, start);
    }

    @Override
    public void onInterval(String tag, Histogram interval) {
        String safe = safeTag(tag);
        if (tagsSeen.add(safe) && !safe.equals(tag)) {
            log.outputComment("Tag " + safe + " is step \"" + tag.replaceAll("[\\r\\n]", " ") + "\"");
        }
        // The sink owns the histogram (IntervalSink's contract), so tagging it in place is safe.
        interval.setTag(safe);
        log.outputIntervalHistogram((interval.getStartTimeStamp() - log.getBaseTime()) / 1000.0,
                (interval.getEndTimeStamp() - log.getBaseTime()) / 1000.0, interval, MICROS_PER_MILLI);
        // A few lines a second: flushing each keeps the log readable while the run goes on (tail it, analyse
        // it live) and loses nothing if the process is killed outright.
        out.flush();
    }

    /** A tag HdrHistogram accepts, derived from a step name. */
    static String safeTag(String tag) {
        String safe = NOT_ALLOWED_IN_TAG.matcher(tag.strip()).replaceAll("_");
        return safe.isEmpty() ? "_" : safe;
    }

    /** Flushes and closes the file; reports a write failure (disk full...) that happened at any time. */
    @Override
    public void close() throws IOException {
        out.flush();
        boolean failed = out.checkError();
        out.close();
        if (failed) {
            throw new IOException("could not write the latency log " + file);
        }
    }
}
