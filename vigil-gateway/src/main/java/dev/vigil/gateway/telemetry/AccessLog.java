package dev.vigil.gateway.telemetry;

import dev.vigil.gateway.pipeline.Exchange;

import java.io.PrintStream;
import java.time.Instant;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One JSON line per request, written by a background thread so a slow terminal or pipe never stalls an event loop.
 * When the queue is full lines are dropped and counted, never waited for.
 */
public final class AccessLog implements AutoCloseable {
    private static final int QUEUE_LINES = 16_384;
    private final BlockingQueue<String> queue = new ArrayBlockingQueue<>(QUEUE_LINES);
    private final AtomicLong dropped = new AtomicLong();
    private final Thread writer;
    private volatile boolean closed;

    public AccessLog(PrintStream out) {
        writer = Thread.ofPlatform().daemon().name("vigil-access-log").start(() -> {
            try {
                while (!closed || !queue.isEmpty()) {
                    String line = queue.poll(100, java.util.concurrent.TimeUnit.MILLISECONDS);
                    if (line != null) out.println(line);
                    if (queue.isEmpty()) out.flush();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    public long dropped() { return dropped.get(); }

    public void record(Exchange ex, long latencyMicros, long epochMillis) {
        StringBuilder b = new StringBuilder(256);
        b.append("{\"time\":\"").append(Instant.ofEpochMilli(epochMillis)).append('"');
        field(b, "requestId", ex.requestId);
        field(b, "client", ex.clientAddress);
        field(b, "method", ex.method);
        field(b, "host", ex.host);
        field(b, "path", ex.path);
        field(b, "route", ex.routeName());
        field(b, "routeGroup", ex.routeGroup);
        field(b, "tenant", ex.tenant);
        b.append(",\"status\":").append(ex.status);
        if (ex.failure != dev.vigil.slo.Failure.NONE) field(b, "failure", ex.failure.name());
        field(b, "upstream", ex.upstream);
        b.append(",\"attempts\":").append(ex.attempts);
        if (ex.upstreamHeadNanos >= 0) b.append(",\"upstreamHeadMicros\":").append(ex.upstreamHeadNanos / 1000);
        b.append(",\"latencyMicros\":").append(latencyMicros);
        b.append(",\"requestBytes\":").append(ex.requestBodyBytes);
        b.append(",\"responseBytes\":").append(ex.responseBodyBytes);
        if (ex.cache != dev.vigil.slo.CacheResult.NONE) field(b, "cache", ex.cache.name());
        b.append('}');
        if (!queue.offer(b.toString())) dropped.incrementAndGet();
    }

    private static void field(StringBuilder b, String name, String value) {
        b.append(",\"").append(name).append("\":");
        if (value == null) {
            b.append("null");
            return;
        }
        b.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '"' || c == '\\') b.append('\\').append(c);
            else if (c < 0x20) b.append(String.format("\\u%04x", (int) c));
            else b.append(c);
        }
        b.append('"');
    }

    /** Writes what is queued (for up to 2 s) and stops the writer thread. */
    @Override public void close() {
        closed = true;
        try {
            writer.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
