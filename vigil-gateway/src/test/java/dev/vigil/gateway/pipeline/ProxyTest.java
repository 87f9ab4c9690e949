package dev.vigil.gateway.pipeline;

import dev.vigil.gateway.Gateway;
import dev.vigil.gateway.config.GatewayConfig;
import dev.vigil.gateway.config.Limits;
import dev.vigil.gateway.testing.Configs;
import dev.vigil.gateway.testing.RawHttp;
import dev.vigil.gateway.testing.TestBackend;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;

class ProxyTest {
    private TestBackend backend;
    private Gateway gateway;
    private HttpClient client;
    private int port;

    @BeforeEach void start() throws Exception {
        backend = TestBackend.start("a");
        Limits limits = Configs.fastLimits().withRequestTimeout(Duration.ofMillis(400)).withHeaderTimeout(Duration.ofMillis(300))
                .withMaxBodyBytes(1024 * 1024);
        GatewayConfig cfg = Configs.single(Configs.pool("api", backend.endpoint()), limits);
        gateway = Gateway.builder(cfg).workerThreads(2).start();
        port = gateway.addresses().get(0).getPort();
        client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(2)).build();
    }

    @AfterEach void stop() {
        gateway.shutdown(Duration.ZERO);
        backend.close();
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    @Test void proxiesGetsOverOneKeepAliveConnection() throws Exception {
        try (RawHttp raw = new RawHttp(port)) {
            for (int i = 0; i < 20; i++) {
                RawHttp.Response r = raw.send("GET /hello HTTP/1.1\r\nHost: example.test\r\n\r\n").read();
                assertThat(r.status()).isEqualTo(200);
                assertThat(r.body()).isEqualTo("hello from a");
                assertThat(r.header("connection")).isNull();
            }
        }
        assertThat(backend.requests()).isEqualTo(20);
    }

    @Test void answersExpectContinueItselfBeforeReadingTheBody() throws Exception {
        try (RawHttp raw = new RawHttp(port)) {
            raw.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n");
            assertThat(raw.read().status()).isEqualTo(100);
            raw.send("hello");
            RawHttp.Response r = raw.read();
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.body()).isEqualTo("hello");
        }
        try (RawHttp raw = new RawHttp(port)) {
            // Too large: refused at once, no 100 Continue, so a polite client never sends the body.
            RawHttp.Response r = raw.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999\r\nExpect: 100-continue\r\n\r\n").read();
            assertThat(r.status()).isEqualTo(413);
        }
    }

    @Test void speaksHttp10WithAndWithoutKeepAlive() throws Exception {
        try (RawHttp raw = new RawHttp(port)) {
            RawHttp.Response r = raw.send("GET /hello HTTP/1.0\r\n\r\n").read();
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.body()).isEqualTo("hello from a");
            assertThat(raw.closedByServer()).isTrue();
        }
        try (RawHttp raw = new RawHttp(port)) {
            RawHttp.Response r = raw.send("GET /hello HTTP/1.0\r\nConnection: keep-alive\r\n\r\n").read();
            assertThat(r.header("connection")).isEqualToIgnoringCase("keep-alive");
            assertThat(raw.send("GET /bytes?n=10 HTTP/1.0\r\nConnection: keep-alive\r\n\r\n").read().body()).isEqualTo("abcdefghij");
        }
    }

    @Test void answersPipelinedRequestsInOrder() throws Exception {
        try (RawHttp raw = new RawHttp(port)) {
            raw.send("GET /slow?ms=100 HTTP/1.1\r\nHost: x\r\n\r\nGET /hello HTTP/1.1\r\nHost: x\r\n\r\n"
                    + "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\n\r\nping");
            assertThat(raw.read().body()).isEqualTo("slow from a");
            assertThat(raw.read().body()).isEqualTo("hello from a");
            assertThat(raw.read().body()).isEqualTo("ping");
        }
    }

    @Test void answers502WhenTheUpstreamSendsGarbage() throws Exception {
        try (java.net.ServerSocket garbage = new java.net.ServerSocket(0, 10, java.net.InetAddress.getLoopbackAddress())) {
            Thread.ofPlatform().daemon().start(() -> {
                try (java.net.Socket s = garbage.accept()) {
                    s.getInputStream().read(new byte[4096]);
                    s.getOutputStream().write("NOT HTTP AT ALL\r\n\r\n".getBytes());
                    s.getOutputStream().flush();
                    Thread.sleep(500);
                } catch (Exception ignored) {
                    // test ends
                }
            });
            gateway.shutdown(Duration.ZERO);
            gateway = Gateway.builder(Configs.single(Configs.pool("api", "127.0.0.1:" + garbage.getLocalPort()), Configs.fastLimits())).start();
            port = gateway.addresses().get(0).getPort();
            try (RawHttp raw = new RawHttp(port)) {
                assertThat(raw.send("POST /x HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n").read().status()).isEqualTo(502);
            }
        }
    }

    @Test void reframesABodyTheUpstreamEndsByClosingAsChunked() throws Exception {
        try (java.net.ServerSocket old = new java.net.ServerSocket(0, 10, java.net.InetAddress.getLoopbackAddress())) {
            Thread.ofPlatform().daemon().start(() -> {
                for (int i = 0; i < 2; i++) {
                    try (java.net.Socket s = old.accept()) {
                        s.getInputStream().read(new byte[4096]);
                        s.getOutputStream().write("HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nuntil the end".getBytes());
                    } catch (Exception ignored) {
                        return;
                    }
                }
            });
            gateway.shutdown(Duration.ZERO);
            gateway = Gateway.builder(Configs.single(Configs.pool("api", "127.0.0.1:" + old.getLocalPort()), Configs.fastLimits())).start();
            port = gateway.addresses().get(0).getPort();
            try (RawHttp raw = new RawHttp(port)) {
                for (int i = 0; i < 2; i++) { // the client connection stays usable: the body was framed for it
                    RawHttp.Response r = raw.send("GET /old HTTP/1.1\r\nHost: x\r\n\r\n").read();
                    assertThat(r.status()).isEqualTo(200);
                    assertThat(r.header("transfer-encoding")).isEqualTo("chunked");
                    assertThat(r.body()).isEqualTo("until the end");
                }
            }
        }
    }

    @Test void deliversAWholeResponseToASlowClientWhenTheUpstreamClosesRightAfterSendingIt() throws Exception {
        int size = 8 << 20;
        try (java.net.ServerSocket upstream = new java.net.ServerSocket(0, 10, java.net.InetAddress.getLoopbackAddress())) {
            Thread.ofPlatform().daemon().start(() -> {
                try (java.net.Socket s = upstream.accept()) {
                    s.getInputStream().read(new byte[4096]);
                    var out = s.getOutputStream();
                    out.write(("HTTP/1.1 200 OK\r\nContent-Length: " + size + "\r\nConnection: close\r\n\r\n").getBytes());
                    out.write(new byte[size]);
                    out.write("stray bytes after the response".getBytes()); // must not cost the client its response
                    out.flush();
                } catch (Exception ignored) {
                    // test ends
                }
            });
            gateway.shutdown(Duration.ZERO);
            gateway = Gateway.builder(Configs.single(Configs.pool("api", "127.0.0.1:" + upstream.getLocalPort()),
                    Configs.fastLimits().withRequestTimeout(Duration.ofSeconds(10)))).start();
            port = gateway.addresses().get(0).getPort();
            try (java.net.Socket client = new java.net.Socket()) {
                client.setReceiveBufferSize(16 * 1024);
                client.connect(new java.net.InetSocketAddress("127.0.0.1", port));
                client.setSoTimeout(10_000);
                client.getOutputStream().write("GET /big HTTP/1.1\r\nHost: x\r\n\r\n".getBytes());
                Thread.sleep(1000); // the upstream has sent everything and closed; the gateway holds the rest
                var in = client.getInputStream();
                StringBuilder head = new StringBuilder();
                while (!head.toString().endsWith("\r\n\r\n")) {
                    int b = in.read();
                    if (b < 0) break;
                    head.append((char) b);
                }
                assertThat(head.toString()).startsWith("HTTP/1.1 200 OK").contains("Content-Length: " + size);
                assertThat(in.readNBytes(size)).hasSize(size);
            }
        }
    }

    @Test void dropsRequestTrailersSoNoneCanForgeAFieldUpstream() throws Exception {
        try (java.net.ServerSocket upstream = new java.net.ServerSocket(0, 10, java.net.InetAddress.getLoopbackAddress())) {
            java.util.concurrent.CompletableFuture<String> received = new java.util.concurrent.CompletableFuture<>();
            Thread.ofPlatform().daemon().start(() -> {
                try (java.net.Socket s = upstream.accept()) {
                    StringBuilder seen = new StringBuilder();
                    byte[] buf = new byte[4096];
                    int n;
                    while (seen.indexOf("hello") < 0 || !seen.toString().endsWith("\r\n\r\n")) { // to the body's end
                        if ((n = s.getInputStream().read(buf)) < 0) break;
                        seen.append(new String(buf, 0, n, java.nio.charset.StandardCharsets.ISO_8859_1));
                    }
                    received.complete(seen.toString());
                    s.getOutputStream().write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok".getBytes());
                    s.getOutputStream().flush();
                    Thread.sleep(200);
                } catch (Exception e) {
                    received.completeExceptionally(e);
                }
            });
            gateway.shutdown(Duration.ZERO);
            gateway = Gateway.builder(Configs.single(Configs.pool("api", "127.0.0.1:" + upstream.getLocalPort()), Configs.fastLimits())).start();
            port = gateway.addresses().get(0).getPort();
            try (RawHttp raw = new RawHttp(port)) {
                RawHttp.Response r = raw.send("POST /in HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                        + "5\r\nhello\r\n0\r\nX-Forwarded-For: 6.6.6.6\r\nX-Tenant: globex\r\n\r\n").read();
                assertThat(r.status()).isEqualTo(200);
            }
            String seen = received.get(5, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(seen).contains("hello").doesNotContain("6.6.6.6", "globex");
        }
    }

    @Test void streamsChunkedRequestBodyToUpstreamAndBack() throws Exception {
        try (RawHttp raw = new RawHttp(port)) {
            RawHttp.Response r = raw.send("POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n").read();
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.body()).isEqualTo("hello world");
            // The connection is still usable afterwards.
            assertThat(raw.send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n").read().body()).isEqualTo("hello from a");
        }
    }

    @Test void answers504WhenUpstreamIsSlowerThanRequestTimeout() throws Exception {
        long t0 = System.nanoTime();
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(uri("/slow?ms=3000")).build(), HttpResponse.BodyHandlers.ofString());
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertThat(r.statusCode()).isEqualTo(504);
        assertThat(r.headers().firstValue("content-type")).hasValue("application/problem+json");
        assertThat(ms).isBetween(350L, 2500L);
    }

    @Test void rejectsDeclaredOversizedBodyWith413BeforeReadingIt() throws Exception {
        try (RawHttp raw = new RawHttp(port)) {
            // Only the head is sent: the 413 must come without the gateway waiting for 10 MB of body.
            RawHttp.Response r = raw.send("POST /sha256 HTTP/1.1\r\nHost: x\r\nContent-Length: 10485760\r\n\r\n").read();
            assertThat(r.status()).isEqualTo(413);
            assertThat(r.header("connection")).isEqualTo("close");
            assertThat(raw.closedByServer()).isTrue();
        }
        assertThat(backend.requests()).isZero();
    }

    @Test void cutsChunkedBodyWith413WhenItPassesTheLimit() throws Exception {
        try (RawHttp raw = new RawHttp(port)) {
            raw.send("POST /sha256 HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n");
            String chunk = "10000\r\n" + "a".repeat(0x10000) + "\r\n";
            RawHttp.Response r = null;
            for (int i = 0; i < 40 && r == null; i++) {
                try {
                    raw.send(chunk);
                } catch (java.io.IOException closed) {
                    break;
                }
                if (i == 20) break; // 21 × 64 KiB > 1 MiB
            }
            r = raw.read();
            assertThat(r.status()).isEqualTo(413);
        }
    }

    @Test void rejectsContentLengthWithTransferEncodingAs400() throws Exception {
        assertRejected("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400);
    }

    @Test void rejectsConflictingContentLengthsAs400() throws Exception {
        assertRejected("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello!", 400);
    }

    @Test void rejectsDuplicateContentLengthsAs400() throws Exception {
        assertRejected("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 5\r\n\r\nhello", 400);
    }

    @Test void rejectsObfuscatedTransferEncodingAs400() throws Exception {
        assertRejected("POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked, identity\r\n\r\n0\r\n\r\n", 400);
        assertRejected("POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: xchunked\r\n\r\n0\r\n\r\n", 400);
    }

    @Test void rejectsOtherSmugglingShapesAs400() throws Exception {
        assertRejected("POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding : chunked\r\nContent-Length: 4\r\n\r\n0\r\n\r\n", 400);
        assertRejected("POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400);
        assertRejected("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 5, 5\r\n\r\nhello", 400);
        assertRejected("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: +5\r\n\r\nhello", 400);
        assertRejected("POST /echo HTTP/1.1\nHost: x\nContent-Length: 5\n\nhello", 400);
        assertRejected("GET /hello HTTP/1.1\r\nHost: x\r\nHost: y\r\n\r\n", 400);
    }

    @Test void rejectsPathsTheUpstreamCouldReadAsAnotherPathAs400() throws Exception {
        assertRejected("GET /static/../account HTTP/1.1\r\nHost: x\r\n\r\n", 400);
        assertRejected("GET /static/..;/account HTTP/1.1\r\nHost: x\r\n\r\n", 400);
        assertRejected("GET /static%2F..%2Faccount HTTP/1.1\r\nHost: x\r\n\r\n", 400);
        assertThat(backend.requests()).isZero();
    }

    @Test void forwardsObsoleteLineFoldingAsOneLine() throws Exception {
        // RFC 9112 §5.2: reject, or replace the fold with a space before forwarding; either way no upstream sees a fold.
        try (RawHttp raw = new RawHttp(port)) {
            String seen = raw.send("GET /headers HTTP/1.1\r\nHost: x\r\nX-Fold: a\r\n b\r\n\r\n").read().body();
            assertThat(seen).contains("x-fold: a b\n");
        }
    }

    @Test void rejectsMissingHostAs400() throws Exception {
        assertRejected("GET /hello HTTP/1.1\r\n\r\n", 400);
    }

    @Test void refusesToActAsForwardProxy() throws Exception {
        assertRejected("GET http://evil.example/steal HTTP/1.1\r\nHost: x\r\n\r\n", 400);
        assertRejected("CONNECT evil.example:443 HTTP/1.1\r\nHost: evil.example:443\r\n\r\n", 405);
    }

    @Test void acceptsAbsoluteFormForItsOwnHost() throws Exception {
        try (RawHttp raw = new RawHttp(port)) {
            RawHttp.Response r = raw.send("GET http://x/hello HTTP/1.1\r\nHost: x\r\n\r\n").read();
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.body()).isEqualTo("hello from a");
        }
    }

    @Test void rejectsOversizedHeadersWith431() throws Exception {
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(uri("/hello")).header("X-Big", "b".repeat(16 * 1024)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(431);
        assertThat(backend.requests()).isZero();
    }

    @Test void answers408WhenRequestHeadTrickles() throws Exception {
        try (RawHttp raw = new RawHttp(port)) {
            raw.send("GET /hello HTTP/1.1\r\nHost: x\r\n"); // never finished
            RawHttp.Response r = raw.read();
            assertThat(r.status()).isEqualTo(408);
            assertThat(raw.closedByServer()).isTrue();
        }
    }

    @Test void removesHopByHopHeadersAndOverwritesForwardingHeaders() throws Exception {
        try (RawHttp raw = new RawHttp(port)) {
            RawHttp.Response r = raw.send("GET /headers HTTP/1.1\r\nHost: api.example.test:8080\r\n"
                    + "Connection: keep-alive, X-Drop-Me\r\nX-Drop-Me: secret\r\nKeep-Alive: timeout=5\r\n"
                    + "Proxy-Authorization: Basic Zm9vOmJhcg==\r\nTE: trailers\r\nUpgrade: websocket\r\n"
                    + "X-Forwarded-For: 6.6.6.6\r\nX-Forwarded-Host: evil.example\r\nX-Forwarded-Proto: https\r\n"
                    + "Forwarded: for=6.6.6.6\r\nX-Real-IP: 6.6.6.6\r\nTrue-Client-IP: 6.6.6.6\r\nX-Client-IP: 6.6.6.6\r\n"
                    + "X-Forwarded-Port: 6666\r\nX-Forwarded-Prefix: /evil\r\nX-Request-Id: trace-123\r\n\r\n").read();
            assertThat(r.status()).isEqualTo(200);
            String seen = r.body();
            assertThat(seen).doesNotContain("x-drop-me", "keep-alive", "proxy-authorization", "te:", "upgrade", "forwarded: ", "6.6.6.6",
                    "evil.example", "6666", "/evil");
            assertThat(seen).contains("x-forwarded-for: 127.0.0.1\n", "x-forwarded-proto: http\n",
                    "x-forwarded-host: api.example.test:8080\n", "x-request-id: trace-123\n", "host: api.example.test:8080\n");
            assertThat(r.header("x-request-id")).isEqualTo("trace-123");
        }
    }

    @Test void connectionCannotRemoveTheRequestsFramingOrHost() throws Exception {
        // Honoured, "Connection: Content-Length" would send the body unframed: the upstream would read it as a
        // second request on the pooled connection.
        String smuggled = "GET /hello HTTP/1.1\r\nHost: x\r\n\r\n";
        try (RawHttp raw = new RawHttp(port)) {
            RawHttp.Response r = raw.send("POST /echo HTTP/1.1\r\nHost: x\r\nConnection: Content-Length, host, X-Drop\r\n"
                    + "X-Drop: 1\r\nContent-Length: " + smuggled.length() + "\r\n\r\n" + smuggled).read();
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.body()).isEqualTo(smuggled);
            RawHttp.Response seen = raw.send("GET /headers HTTP/1.1\r\nHost: api.example.test\r\nConnection: HOST\r\n\r\n").read();
            assertThat(seen.body()).contains("host: api.example.test\n");
        }
        assertThat(backend.requests()).isEqualTo(2);
    }

    @Test void generatesRequestIdWhenClientSendsNone() throws Exception {
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(uri("/headers")).build(), HttpResponse.BodyHandlers.ofString());
        String id = r.headers().firstValue("x-request-id").orElseThrow();
        assertThat(id).matches("[0-9a-f]{32}");
        assertThat(r.body()).contains("x-request-id: " + id + "\n");
    }

    @Test void answers404ForUnroutedRequestsWithoutContactingUpstream() throws Exception {
        gateway.shutdown(Duration.ZERO);
        var limits = Configs.fastLimits();
        var route = new dev.vigil.gateway.config.Route("only-api", "api.test", java.util.Set.of("GET"),
                dev.vigil.gateway.config.PathMatch.Pattern.of("/items/{id}"), "api", limits);
        gateway = Gateway.builder(Configs.config(java.util.List.of(route), java.util.List.of(Configs.pool("api", backend.endpoint())), limits)).start();
        port = gateway.addresses().get(0).getPort();
        try (RawHttp raw = new RawHttp(port)) {
            assertThat(raw.send("GET /items/7 HTTP/1.1\r\nHost: other.test\r\n\r\n").read().status()).isEqualTo(404);
        }
        try (RawHttp raw = new RawHttp(port)) {
            assertThat(raw.send("POST /items/7 HTTP/1.1\r\nHost: api.test\r\nContent-Length: 0\r\n\r\n").read().status()).isEqualTo(404);
        }
        try (RawHttp raw = new RawHttp(port)) {
            assertThat(raw.send("GET /items/7/x HTTP/1.1\r\nHost: api.test\r\n\r\n").read().status()).isEqualTo(404);
        }
        assertThat(backend.requests()).isZero();
        try (RawHttp raw = new RawHttp(port)) {
            assertThat(raw.send("GET /items/7 HTTP/1.1\r\nHost: API.test:80\r\n\r\n").read().status()).isEqualTo(404); // no such backend path
        }
        assertThat(backend.requests()).isEqualTo(1);
    }

    @Test void answersHeadWithoutBody() throws Exception {
        try (RawHttp raw = new RawHttp(port)) {
            RawHttp.Response r = raw.send("HEAD /bytes?n=100 HTTP/1.1\r\nHost: x\r\n\r\n").readHead();
            assertThat(r.status()).isEqualTo(200);
            // Next response on the same connection parses cleanly: no stray body bytes were sent for HEAD.
            RawHttp.Response next = raw.send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n").read();
            assertThat(next.body()).isEqualTo("hello from a");
        }
    }

    @Test void closesAKeepAliveConnectionThatStaysIdle() throws Exception {
        restart(Configs.fastLimits().withIdleTimeout(Duration.ofMillis(300)), java.util.List.of());
        try (RawHttp raw = new RawHttp(port)) {
            assertThat(raw.send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n").read().status()).isEqualTo(200);
            long t0 = System.nanoTime();
            assertThat(raw.closedByServer()).isTrue();
            assertThat((System.nanoTime() - t0) / 1_000_000).isBetween(200L, 2000L);
        }
    }

    @Test void appendsToForwardedForOnlyFromTrustedProxies() throws Exception {
        restart(Configs.fastLimits(), java.util.List.of(dev.vigil.gateway.config.Cidr.parse("127.0.0.0/8")));
        try (RawHttp raw = new RawHttp(port)) {
            String seen = raw.send("GET /headers HTTP/1.1\r\nHost: x\r\nX-Forwarded-For: 203.0.113.9\r\n"
                    + "X-Forwarded-Proto: https\r\nX-Forwarded-Host: shop.example\r\n\r\n").read().body();
            assertThat(seen).contains("x-forwarded-for: 203.0.113.9, 127.0.0.1\n", "x-forwarded-proto: https\n",
                    "x-forwarded-host: shop.example\n");
        }
    }

    private void restart(Limits limits, java.util.List<dev.vigil.gateway.config.Cidr> trusted) throws Exception {
        gateway.shutdown(Duration.ZERO);
        GatewayConfig base = Configs.single(Configs.pool("api", backend.endpoint()), limits);
        GatewayConfig cfg = new GatewayConfig(base.source(), base.listeners(), base.admin(), base.routes(), base.pools(),
                base.limits(), base.slo(), trusted, base.tenantHeader(), false, 0.2, Duration.ofSeconds(1));
        gateway = Gateway.builder(cfg).workerThreads(2).start();
        port = gateway.addresses().get(0).getPort();
    }

    static InputStream generated(long n) {
        return new InputStream() {
            long left = n;

            @Override public int read() {
                return left-- > 0 ? (int) (left % 251) : -1;
            }

            @Override public int read(byte[] b, int off, int len) {
                if (left <= 0) return -1;
                int k = (int) Math.min(len, left);
                for (int i = 0; i < k; i++) b[off + i] = (byte) ((left - 1 - i) % 251);
                left -= k;
                return k;
            }
        };
    }

    static String sha256(long n) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        try (InputStream in = generated(n)) {
            byte[] buf = new byte[65536];
            int r;
            while ((r = in.read(buf)) > 0) md.update(buf, 0, r);
        }
        return HexFormat.of().formatHex(md.digest());
    }

    private void assertRejected(String request, int status) throws Exception {
        int before = backend.requests();
        try (RawHttp raw = new RawHttp(port)) {
            RawHttp.Response r = raw.send(request).read();
            assertThat(r.status()).isEqualTo(status);
            assertThat(raw.closedByServer()).isTrue();
        }
        assertThat(backend.requests()).isEqualTo(before);
    }
}
