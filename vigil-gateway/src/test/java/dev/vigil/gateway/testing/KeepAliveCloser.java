package dev.vigil.gateway.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A backend that promises keep-alive and then breaks it, the two ways real servers do:
 * <ul>
 *   <li>{@link Mode#CLOSE_ON_SECOND_REQUEST}: answers the first request on a connection, then closes the connection
 *       when the next request arrives, without answering it (a server whose idle timer fired as the request was
 *       on the wire);</li>
 *   <li>{@link Mode#CLOSE_WHEN_IDLE}: closes a connection after it was idle for {@code idleMillis}.</li>
 * </ul>
 * Request bodies (Content-Length only) are read and ignored.
 */
public final class KeepAliveCloser implements AutoCloseable {
    public enum Mode { CLOSE_ON_SECOND_REQUEST, CLOSE_WHEN_IDLE }

    private final ServerSocket server;
    private final Mode mode;
    private final int idleMillis;
    private final AtomicInteger answered = new AtomicInteger();
    private final AtomicInteger connections = new AtomicInteger();

    public KeepAliveCloser(Mode mode, int idleMillis) throws IOException {
        this.mode = mode;
        this.idleMillis = idleMillis;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofPlatform().daemon().start(this::acceptLoop);
    }

    public String endpoint() { return "127.0.0.1:" + server.getLocalPort(); }

    public int answered() { return answered.get(); }

    public int connections() { return connections.get(); }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                connections.incrementAndGet();
                Thread.ofPlatform().daemon().start(() -> serve(s));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket s) {
        try (s) {
            InputStream in = s.getInputStream();
            OutputStream out = s.getOutputStream();
            int served = 0;
            while (true) {
                if (mode == Mode.CLOSE_WHEN_IDLE && served > 0) s.setSoTimeout(idleMillis);
                String head;
                try {
                    head = readHead(in);
                } catch (SocketTimeoutException idle) {
                    return; // idle too long: close, as a server's keep-alive timer does
                }
                if (head == null) return;
                if (mode == Mode.CLOSE_ON_SECOND_REQUEST && served == 1) return;
                s.setSoTimeout(0);
                int length = contentLength(head);
                if (length > 0) in.readNBytes(length);
                byte[] body = ("answer " + answered.incrementAndGet()).getBytes(StandardCharsets.US_ASCII);
                out.write(("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: " + body.length
                        + "\r\nConnection: keep-alive\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.write(body);
                out.flush();
                served++;
            }
        } catch (IOException ignored) {
            // the peer went away
        }
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) >= 0) {
            b.write(c);
            byte[] a = b.toByteArray();
            int n = a.length;
            if (n >= 4 && a[n - 4] == '\r' && a[n - 3] == '\n' && a[n - 2] == '\r' && a[n - 1] == '\n') {
                return b.toString(StandardCharsets.ISO_8859_1);
            }
        }
        return null;
    }

    private static int contentLength(String head) {
        for (String line : head.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase("content-length")) {
                return Integer.parseInt(line.substring(colon + 1).trim());
            }
        }
        return 0;
    }

    @Override public void close() throws IOException {
        server.close();
    }
}
