package dev.vigil.load;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;

/**
 * A deliberately simple HTTP/1.1 keep-alive server on 127.0.0.1 for accuracy tests: one blocking thread per
 * connection, so a handler that holds a request for exactly N ms adds no queueing or hand-over of its own.
 */
public final class TinyHttpServer implements AutoCloseable {
    public record Request(String method, String target, Map<String, String> headers, String body, long arrivedNanos) {
        String path() {
            int q = target.indexOf('?');
            return q < 0 ? target : target.substring(0, q);
        }
    }

    public record Response(int status, Map<String, String> headers, String body) {
        public static Response ok(String body) { return new Response(200, Map.of(), body); }
    }

    @FunctionalInterface
    public interface Handler {
        Response handle(Request request);
    }

    private final ServerSocket server;
    private final Handler handler;
    private final Map<Socket, Boolean> open = new ConcurrentHashMap<>();
    private volatile boolean running = true;

    public TinyHttpServer(Handler handler) throws IOException {
        this.handler = handler;
        this.server = new ServerSocket(0, 1024, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::accept, "tiny-http-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public URI uri() { return URI.create("http://127.0.0.1:" + server.getLocalPort()); }

    /** Holds the calling thread until {@code deadlineNanos} (System.nanoTime), to within a few microseconds. */
    public static void sleepUntil(long deadlineNanos) {
        long left;
        while ((left = deadlineNanos - System.nanoTime()) > 0) {
            if (left > 300_000) LockSupport.parkNanos(left - 200_000);
            else Thread.onSpinWait();
        }
    }

    private void accept() {
        while (running) {
            try {
                Socket s = server.accept();
                s.setTcpNoDelay(true);
                open.put(s, Boolean.TRUE);
                Thread t = new Thread(() -> serve(s), "tiny-http-conn");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket s) {
        try (s; InputStream in = new BufferedInputStream(s.getInputStream()); OutputStream out = s.getOutputStream()) {
            for (;;) {
                String line = readLine(in);
                if (line == null) return;
                if (line.isEmpty()) continue;
                long arrived = System.nanoTime();
                String[] parts = line.split(" ");
                Map<String, String> headers = new LinkedHashMap<>();
                String h;
                while ((h = readLine(in)) != null && !h.isEmpty()) {
                    int colon = h.indexOf(':');
                    headers.put(h.substring(0, colon).strip().toLowerCase(Locale.ROOT), h.substring(colon + 1).strip());
                }
                int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
                String body = new String(in.readNBytes(length), StandardCharsets.UTF_8);
                Response r = handler.handle(new Request(parts[0], parts[1], headers, body, arrived));
                byte[] bytes = r.body().getBytes(StandardCharsets.UTF_8);
                StringBuilder head = new StringBuilder("HTTP/1.1 ").append(r.status()).append(" X\r\n");
                r.headers().forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
                head.append("Content-Length: ").append(bytes.length).append("\r\n\r\n");
                out.write(head.toString().getBytes(StandardCharsets.US_ASCII));
                out.write(bytes);
                out.flush();
            }
        } catch (IOException | RuntimeException e) {
            // the client went away
        } finally {
            open.remove(s);
        }
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        int c;
        while ((c = in.read()) != -1) {
            if (c == '\n') {
                int n = sb.length();
                if (n > 0 && sb.charAt(n - 1) == '\r') sb.setLength(n - 1);
                return sb.toString();
            }
            sb.append((char) c);
        }
        return sb.isEmpty() ? null : sb.toString();
    }

    @Override public void close() throws IOException {
        running = false;
        server.close();
        for (Socket s : open.keySet()) s.close();
    }
}
