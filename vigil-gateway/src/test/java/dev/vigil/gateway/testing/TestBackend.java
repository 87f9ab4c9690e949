package dev.vigil.gateway.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real HTTP/1.1 server on loopback for gateway tests (the JDK's {@code com.sun.net.httpserver}).
 * <ul>
 *   <li>{@code /hello} → {@code hello from NAME}</li>
 *   <li>{@code /echo} → streams the request body back (chunked)</li>
 *   <li>{@code /sha256} → the hex SHA-256 of the request body and its length, read in a streaming loop</li>
 *   <li>{@code /bytes?n=N} → N bytes streamed (chunked)</li>
 *   <li>{@code /slow?ms=N} → answers after N ms</li>
 *   <li>{@code /status?code=N} → answers with that status</li>
 *   <li>{@code /headers} → the request headers, one {@code name: value} per line, names lower case</li>
 *   <li>{@code /healthz} → 200, or 503 after {@link #failHealth(boolean)}</li>
 * </ul>
 */
public final class TestBackend implements AutoCloseable {
    private final String name;
    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool(r -> Thread.ofPlatform().daemon().unstarted(r));
    private final AtomicInteger requests = new AtomicInteger();
    private volatile boolean healthFailing;
    private volatile int forcedStatus;

    private TestBackend(String name, int port) throws IOException {
        this.name = name;
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 128);
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    public static TestBackend start(String name) throws IOException {
        return new TestBackend(name, 0);
    }

    /** Starts on a specific port (to bring a killed backend back where the gateway expects it). */
    public static TestBackend start(String name, int port) throws IOException {
        return new TestBackend(name, port);
    }

    public int port() { return server.getAddress().getPort(); }

    public String endpoint() { return "127.0.0.1:" + port(); }

    public int requests() { return requests.get(); }

    public void failHealth(boolean failing) { healthFailing = failing; }

    /** Answers every request except {@code /healthz} with {@code status}; 0 restores normal behaviour. */
    public void forceStatus(int status) { forcedStatus = status; }

    private void handle(HttpExchange ex) throws IOException {
        String path = ex.getRequestURI().getPath();
        if (!path.equals("/healthz")) requests.incrementAndGet();
        Map<String, String> q = query(ex.getRequestURI().getRawQuery());
        try (ex) {
            if (forcedStatus != 0 && !path.equals("/healthz")) {
                text(ex, forcedStatus, "forced by test");
                return;
            }
            switch (path) {
                case "/hello" -> text(ex, 200, "hello from " + name);
                case "/healthz" -> text(ex, healthFailing ? 503 : 200, healthFailing ? "failing" : "ok");
                case "/status" -> text(ex, Integer.parseInt(q.getOrDefault("code", "200")), "status");
                case "/slow" -> {
                    try {
                        Thread.sleep(Long.parseLong(q.getOrDefault("ms", "1000")));
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    text(ex, 200, "slow from " + name);
                }
                case "/headers" -> {
                    StringBuilder b = new StringBuilder();
                    new TreeMap<>(ex.getRequestHeaders()).forEach((k, vs) -> vs.forEach(v -> b.append(k.toLowerCase()).append(": ").append(v).append('\n')));
                    text(ex, 200, b.toString());
                }
                case "/echo" -> {
                    ex.getResponseHeaders().set("Content-Type", "application/octet-stream");
                    ex.sendResponseHeaders(200, 0);
                    try (InputStream in = ex.getRequestBody(); OutputStream out = ex.getResponseBody()) {
                        in.transferTo(out);
                    }
                }
                case "/sha256" -> {
                    MessageDigest md = MessageDigest.getInstance("SHA-256");
                    long n = 0;
                    byte[] buf = new byte[64 * 1024];
                    InputStream in = ex.getRequestBody();
                    int r;
                    while ((r = in.read(buf)) > 0) {
                        md.update(buf, 0, r);
                        n += r;
                    }
                    text(ex, 200, n + " " + HexFormat.of().formatHex(md.digest()));
                }
                case "/bytes" -> {
                    long n = Long.parseLong(q.getOrDefault("n", "0"));
                    ex.sendResponseHeaders(200, 0);
                    byte[] chunk = new byte[64 * 1024];
                    for (int i = 0; i < chunk.length; i++) chunk[i] = (byte) ('a' + i % 26);
                    try (OutputStream out = ex.getResponseBody()) {
                        while (n > 0) {
                            int w = (int) Math.min(n, chunk.length);
                            out.write(chunk, 0, w);
                            n -= w;
                        }
                    }
                }
                default -> text(ex, 404, "no such test path on " + name);
            }
        } catch (Exception e) {
            if (e instanceof IOException io) throw io;
            throw new IOException(e);
        }
    }

    private static void text(HttpExchange ex, int code, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        ex.getRequestBody().readAllBytes();
        ex.sendResponseHeaders(code, b.length == 0 ? -1 : b.length);
        if (b.length > 0) ex.getResponseBody().write(b);
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> m = new TreeMap<>();
        if (raw == null) return m;
        for (String kv : raw.split("&")) {
            int eq = kv.indexOf('=');
            if (eq > 0) m.put(kv.substring(0, eq), kv.substring(eq + 1));
        }
        return m;
    }

    @Override public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
