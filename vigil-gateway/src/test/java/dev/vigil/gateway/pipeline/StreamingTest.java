package dev.vigil.gateway.pipeline;

import dev.vigil.gateway.Gateway;
import dev.vigil.gateway.upstream.Transport;
import dev.vigil.gateway.testing.Configs;
import dev.vigil.gateway.testing.TestBackend;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * 50 MB bodies through the gateway, both directions, while the gateway's buffer memory is sampled: streaming means
 * the gateway never holds more than a few chunks, so its peak stays far below the body size.
 */
class StreamingTest {
    private static final long SIZE = 50L * 1024 * 1024;
    /** Far below 50 MB: a buffered body would blow through it. */
    private static final long MAX_GATEWAY_BUFFER_BYTES = 16L * 1024 * 1024;

    private static TestBackend backend;
    private static Gateway gateway;
    private static int port;
    private static final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeAll static void start() throws Exception {
        backend = TestBackend.start("a");
        var limits = Configs.fastLimits().withMaxBodyBytes(64L * 1024 * 1024).withRequestTimeout(Duration.ofSeconds(20));
        gateway = Gateway.builder(Configs.single(Configs.pool("api", backend.endpoint()), limits)).workerThreads(2).start();
        port = gateway.addresses().get(0).getPort();
    }

    @AfterAll static void stop() {
        gateway.shutdown(Duration.ZERO);
        backend.close();
    }

    @Test void streamsA50MegabyteUploadWithContentLength() throws Exception {
        HttpRequest.BodyPublisher body = HttpRequest.BodyPublishers.fromPublisher(
                HttpRequest.BodyPublishers.ofInputStream(() -> ProxyTest.generated(SIZE)), SIZE);
        String result = withPeakCheck(() -> client.send(post("/sha256", body), HttpResponse.BodyHandlers.ofString()).body());
        assertThat(result).isEqualTo(SIZE + " " + ProxyTest.sha256(SIZE));
    }

    @Test void streamsA50MegabyteChunkedUpload() throws Exception {
        HttpRequest.BodyPublisher body = HttpRequest.BodyPublishers.ofInputStream(() -> ProxyTest.generated(SIZE));
        String result = withPeakCheck(() -> client.send(post("/sha256", body), HttpResponse.BodyHandlers.ofString()).body());
        assertThat(result).isEqualTo(SIZE + " " + ProxyTest.sha256(SIZE));
    }

    @Test void streamsA50MegabyteDownload() throws Exception {
        long received = withPeakCheck(() -> {
            HttpResponse<InputStream> r = client.send(HttpRequest.newBuilder(uri("/bytes?n=" + SIZE)).build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            assertThat(r.statusCode()).isEqualTo(200);
            try (InputStream in = r.body()) {
                return in.transferTo(java.io.OutputStream.nullOutputStream());
            }
        });
        assertThat(received).isEqualTo(SIZE);
    }

    @Test void streamsBothWaysAtOnceWhenTheUpstreamEchoes() throws Exception {
        // A raw socket with a writer thread: the upstream echoes while the upload is still going, so the
        // response must flow back through the gateway while the request flows in (java.net.http would not
        // read the response before it finished sending, and the echo would then deadlock on full buffers).
        String digest = withPeakCheck(() -> {
            try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
                socket.setSoTimeout(20_000);
                Thread writer = Thread.ofPlatform().daemon().start(() -> {
                    try (InputStream body = ProxyTest.generated(SIZE)) {
                        var out = new java.io.BufferedOutputStream(socket.getOutputStream(), 1 << 16);
                        out.write("POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                        byte[] buf = new byte[32 * 1024];
                        int n;
                        while ((n = body.read(buf)) > 0) {
                            out.write((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                            out.write(buf, 0, n);
                            out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                        }
                        out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                        out.flush();
                    } catch (java.io.IOException e) {
                        // the reader reports the failure
                    }
                });
                InputStream in = new java.io.BufferedInputStream(socket.getInputStream());
                String status = line(in);
                assertThat(status).startsWith("HTTP/1.1 200");
                boolean chunked = false;
                String h;
                while (!(h = line(in)).isEmpty()) chunked |= h.toLowerCase().startsWith("transfer-encoding: chunked");
                assertThat(chunked).isTrue();
                MessageDigest md = MessageDigest.getInstance("SHA-256");
                byte[] buf = new byte[65536];
                while (true) {
                    int size = Integer.parseInt(line(in).trim(), 16);
                    if (size == 0) break;
                    while (size > 0) {
                        int n = in.read(buf, 0, Math.min(size, buf.length));
                        if (n < 0) throw new java.io.EOFException();
                        md.update(buf, 0, n);
                        size -= n;
                    }
                    line(in);
                }
                writer.join(5000);
                return HexFormat.of().formatHex(md.digest());
            }
        });
        assertThat(digest).isEqualTo(ProxyTest.sha256(SIZE));
    }

    private static String line(InputStream in) throws java.io.IOException {
        StringBuilder b = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0 && c != '\n') if (c != '\r') b.append((char) c);
        if (c < 0 && b.isEmpty()) throw new java.io.EOFException();
        return b.toString();
    }

    private interface Body<T> {
        T run() throws Exception;
    }

    /**
     * Runs the exchange while sampling the memory in use of the gateway's allocator (no other code in this test
     * allocates from Netty); fails if it ever got near the body size. The pooled allocator counts whole chunks.
     */
    private static <T> T withPeakCheck(Body<T> body) throws Exception {
        var metric = ((ByteBufAllocatorMetricProvider) Transport.allocator()).metric();
        AtomicLong peak = new AtomicLong();
        AtomicBoolean done = new AtomicBoolean();
        long baseline = metric.usedDirectMemory() + metric.usedHeapMemory();
        Thread sampler = Thread.ofPlatform().daemon().start(() -> {
            while (!done.get()) {
                peak.accumulateAndGet(metric.usedDirectMemory() + metric.usedHeapMemory(), Math::max);
                try {
                    Thread.sleep(2);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        try {
            return body.run();
        } finally {
            done.set(true);
            sampler.join();
            assertThat(peak.get() - baseline).as("gateway buffer memory growth").isLessThan(MAX_GATEWAY_BUFFER_BYTES);
        }
    }

    private static URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    private static HttpRequest post(String path, HttpRequest.BodyPublisher body) {
        return HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30)).POST(body).build();
    }
}
