package dev.vigil.gateway.pipeline;

import dev.vigil.gateway.Gateway;
import dev.vigil.gateway.config.GatewayFiles;
import dev.vigil.gateway.policy.tenant.ApiKeys;
import dev.vigil.gateway.testing.RawHttp;
import dev.vigil.gateway.testing.TestBackend;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each policy stage through HTTP on one keep-alive connection, embedded state: what it answers itself, that the
 * connection stays usable after it answered, and that the request and response bodies still stream.
 */
class PolicyStagesTest {
    private static final String KEY = "stage-test-key";
    @TempDir Path dir;
    private TestBackend backend;
    private Gateway gw;
    private Path file;

    private String yaml(String freePlan) {
        return """
                listeners: [{address: 127.0.0.1, port: 0}]
                admin: {address: 127.0.0.1, port: 0, token: "stage-test-token-0123456789"}
                limits: {connect-timeout: 500ms, request-timeout: 5s, max-body: 4MiB}
                plans:
                  free: %s
                  pro: {rate: 100000 rps, burst: 100000}
                tenants:
                  anonymous-plan: free
                  keys: [{sha256: %s, tenant: acme, plan: pro}]
                upstreams:
                  api: {endpoints: ["%s"]}
                routes:
                  - {name: pay, prefix: /echo, upstream: api, idempotency: {mode: required, max-stored-body: 1MiB}}
                  - {name: big, prefix: /bytes, upstream: api, methods: [POST], idempotency: {mode: required, max-stored-body: 1MiB}}
                  - {name: status, prefix: /status, upstream: api, methods: [POST], idempotency: {mode: optional}}
                  - {name: hello, prefix: /hello, upstream: api, cache: {ttl: 60s}}
                  - {name: rest, prefix: /, upstream: api}
                """.formatted(freePlan, ApiKeys.sha256Hex(KEY), backend.endpoint());
    }

    private void start(String freePlan) throws Exception {
        backend = TestBackend.start("a");
        file = dir.resolve("gateway.yaml");
        Files.writeString(file, yaml(freePlan));
        gw = Gateway.builder(GatewayFiles.load(file)).reloadFrom(() -> GatewayFiles.load(file)).workerThreads(1).start();
    }

    @AfterEach void stop() {
        if (gw != null) gw.shutdown(Duration.ZERO);
        if (backend != null) backend.close();
    }

    private RawHttp connect() throws Exception {
        return new RawHttp(gw.addresses().get(0).getPort());
    }

    private static String post(String path, String idemKey, String body) {
        return "POST " + path + " HTTP/1.1\r\nHost: x\r\nX-Api-Key: " + KEY + "\r\n"
                + (idemKey == null ? "" : "Idempotency-Key: " + idemKey + "\r\n")
                + "Content-Length: " + body.length() + "\r\n\r\n" + body;
    }

    @Test void unknownKeyGets401AndTheConnectionServesTheNextRequest() throws Exception {
        start("{rate: 100 rps, burst: 100}");
        try (RawHttp raw = connect()) {
            RawHttp.Response r = raw.send("POST /x HTTP/1.1\r\nHost: x\r\nX-Api-Key: wrong\r\nContent-Length: 5\r\n\r\nhello").read();
            assertThat(r.status()).isEqualTo(401);
            assertThat(r.header("content-type")).isEqualTo("application/problem+json");
            assertThat(raw.send("GET /hello HTTP/1.1\r\nHost: x\r\nX-Api-Key: " + KEY + "\r\n\r\n").read().status()).isEqualTo(200);
        }
        assertThat(backend.requests()).isEqualTo(1);
    }

    @Test void anonymousTenantBehindATrustedProxyIsTheForwardedClient() throws Exception {
        start("{rate: 1 rpm, burst: 1}");
        Files.writeString(file, yaml("{rate: 1 rpm, burst: 1}") + "trusted-proxies: [127.0.0.1]\n");
        assertThat(gw.reload().applied()).isTrue();
        try (RawHttp raw = connect()) {
            String from = "GET /x HTTP/1.1\r\nHost: x\r\nX-Forwarded-For: %s\r\n\r\n";
            assertThat(raw.send(from.formatted("198.51.100.7, 127.0.0.1")).read().status()).isEqualTo(404);
            assertThat(raw.send(from.formatted("198.51.100.7")).read().status()).isEqualTo(429);   // same client
            assertThat(raw.send(from.formatted("203.0.113.9")).read().status()).isEqualTo(404);    // another client
            // A forged left-most entry does not make a new tenant: the right-most untrusted hop counts.
            assertThat(raw.send(from.formatted("192.0.2.1, 203.0.113.9")).read().status()).isEqualTo(429);
        }
    }

    @Test void rateLimitAnswers429WithFieldsAndReadsTheRefusedBody() throws Exception {
        start("{rate: 1 rpm, burst: 2}");
        try (RawHttp raw = connect()) {
            RawHttp.Response first = raw.send("GET /x HTTP/1.1\r\nHost: x\r\n\r\n").read();
            assertThat(first.status()).isEqualTo(404);   // the backend's answer: admitted
            assertThat(first.header("ratelimit-policy")).isEqualTo("\"rate\";q=1;w=60;vigil-burst=2");
            assertThat(first.header("ratelimit")).contains("r=1");
            raw.send("GET /x HTTP/1.1\r\nHost: x\r\n\r\n").read();
            RawHttp.Response refused = raw.send("POST /x HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello").read();
            assertThat(refused.status()).isEqualTo(429);
            assertThat(refused.header("retry-after")).isNotNull();
            assertThat(refused.header("ratelimit")).contains("r=0");
            assertThat(refused.body()).contains("quota-exceeded");
            // Same connection, a keyed tenant on another plan: unaffected.
            assertThat(raw.send("GET /hello HTTP/1.1\r\nHost: x\r\nX-Api-Key: " + KEY + "\r\n\r\n").read().status()).isEqualTo(200);
        }
        assertThat(backend.requests()).isEqualTo(3);
    }

    @Test void reloadKeepsTheCountersOfUnchangedLimits() throws Exception {
        start("{rate: 1 rpm, burst: 2}");
        try (RawHttp raw = connect()) {
            assertThat(raw.send("GET /x HTTP/1.1\r\nHost: x\r\n\r\n").read().status()).isEqualTo(404);
            Files.writeString(file, yaml("{rate: 1 rpm, burst: 2}").replace("  - {name: rest,", "  - {name: extra, prefix: /extra, upstream: api}\n  - {name: rest,"));
            assertThat(gw.reload().applied()).isTrue();
            assertThat(raw.send("GET /x HTTP/1.1\r\nHost: x\r\n\r\n").read().status()).isEqualTo(404);
            assertThat(raw.send("GET /x HTTP/1.1\r\nHost: x\r\n\r\n").read().status()).isEqualTo(429);   // burst not handed out again
            Files.writeString(file, yaml("{rate: 1 rpm, burst: 50}"));
            assertThat(gw.reload().applied()).isTrue();
            assertThat(raw.send("GET /x HTTP/1.1\r\nHost: x\r\n\r\n").read().status()).isEqualTo(404);   // the new limit applies
        }
    }

    @Test void idempotencyReplaysAStoredResponseByteForByte() throws Exception {
        start("{rate: 100 rps, burst: 100}");
        try (RawHttp raw = connect()) {
            RawHttp.Response first = raw.send(post("/echo", "k1", "payload-1")).read();
            assertThat(first.status()).isEqualTo(200);
            assertThat(first.body()).isEqualTo("payload-1");
            assertThat(first.header("idempotent-replayed")).isNull();
            RawHttp.Response again = raw.send(post("/echo", "k1", "payload-1")).read();
            assertThat(again.body()).isEqualTo("payload-1");
            assertThat(again.header("idempotent-replayed")).isEqualTo("true");
            assertThat(again.header("content-type")).isEqualTo("application/octet-stream");
            assertThat(raw.send(post("/echo", "k1", "payload-2")).read().status()).isEqualTo(422);
            assertThat(raw.send(post("/echo", null, "payload-2")).read().status()).isEqualTo(400);
            assertThat(raw.send(post("/echo", "x".repeat(256), "payload-2")).read().status()).isEqualTo(400);
        }
        assertThat(backend.requests()).isEqualTo(1);
    }

    @Test void aLargeResponseStreamsInFullButIsNotStored() throws Exception {
        start("{rate: 100 rps, burst: 100}");
        int n = 3 * 1024 * 1024;
        try (RawHttp raw = connect()) {
            RawHttp.Response r = raw.send(post("/bytes?n=" + n, "big-1", "")).read();
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.body()).hasSize(n);
            RawHttp.Response dup = raw.send(post("/bytes?n=" + n, "big-1", "")).read();
            assertThat(dup.status()).isEqualTo(409);
            assertThat(dup.body()).contains("idempotency-response-not-stored");
        }
        assertThat(backend.requests()).isEqualTo(1);
    }

    @Test void upstream5xxIsStoredAndOptionalModePassesRequestsWithoutKey() throws Exception {
        start("{rate: 100 rps, burst: 100}");
        try (RawHttp raw = connect()) {
            assertThat(raw.send(post("/status?code=500", "five", "")).read().status()).isEqualTo(500);
            RawHttp.Response dup = raw.send(post("/status?code=500", "five", "")).read();
            assertThat(dup.status()).isEqualTo(500);
            assertThat(dup.header("idempotent-replayed")).isEqualTo("true");
            assertThat(raw.send(post("/status?code=201", null, "")).read().status()).isEqualTo(201);
            assertThat(raw.send(post("/status?code=201", null, "")).read().status()).isEqualTo(201);
        }
        assertThat(backend.requests()).isEqualTo(3);
    }

    @Test void aCacheFetchThatCannotConnectTriesAnotherEndpoint() throws Exception {
        start("{rate: 100 rps, burst: 100}");
        int dead;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            dead = s.getLocalPort();
        }
        Files.writeString(file, yaml("{rate: 100 rps, burst: 100}").replace("endpoints: [\"", "endpoints: [\"127.0.0.1:" + dead + "\", \""));
        assertThat(gw.reload().applied()).isTrue();
        try (RawHttp raw = connect()) {
            for (String q : new String[] {"a", "b", "c"}) {   // round robin: at least one starts at the dead endpoint
                RawHttp.Response r = raw.send("GET /hello?" + q + " HTTP/1.1\r\nHost: x\r\nX-Api-Key: " + KEY + "\r\n\r\n").read();
                assertThat(r.status()).isEqualTo(200);
                assertThat(r.header("x-cache")).isEqualTo("MISS");
            }
        }
        assertThat(backend.requests()).isEqualTo(3);
    }

    @Test void cacheAnswersGetAndHeadAndMarksTheResult() throws Exception {
        start("{rate: 100 rps, burst: 100}");
        String get = "GET /hello HTTP/1.1\r\nHost: x\r\nX-Api-Key: " + KEY + "\r\n\r\n";
        try (RawHttp raw = connect()) {
            RawHttp.Response miss = raw.send(get).read();
            assertThat(miss.header("x-cache")).isEqualTo("MISS");
            RawHttp.Response hit = raw.send(get).read();
            assertThat(hit.header("x-cache")).isEqualTo("HIT");
            assertThat(hit.body()).isEqualTo("hello from a");
            assertThat(hit.header("age")).isNotNull();
            RawHttp.Response head = raw.send("HEAD /hello HTTP/1.1\r\nHost: x\r\nX-Api-Key: " + KEY + "\r\n\r\n").readHead();
            assertThat(head.header("x-cache")).isEqualTo("HIT");
            assertThat(head.header("content-length")).isEqualTo(Integer.toString("hello from a".length()));
            assertThat(raw.send(get).read().header("x-cache")).isEqualTo("HIT");   // the HEAD left the connection in step
        }
        assertThat(backend.requests()).isEqualTo(1);
    }
}
