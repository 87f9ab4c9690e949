package dev.vigil.gateway.pipeline;

import dev.vigil.gateway.Gateway;
import dev.vigil.gateway.config.GatewayFiles;
import dev.vigil.gateway.testing.RawHttp;
import dev.vigil.gateway.testing.TestBackend;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The response cache keys a request on exactly what the upstream reads: no client can store an answer under a key
 * that other clients' requests map to while the upstream answered a different request (cache poisoning).
 * <ul>
 *   <li>fields a client names in {@code Connection} are gone before any policy reads the request;</li>
 *   <li>a repeated field is keyed on all its values, as the upstream reads them;</li>
 *   <li>the Host field is keyed with its port, which the route ignores but the upstream sees.</li>
 * </ul>
 */
class CacheKeyIntegrityTest {
    @TempDir Path dir;
    private TestBackend backend;
    private Gateway gateway;
    private int port;

    @BeforeEach void start() throws Exception {
        backend = TestBackend.start("a");
        String yaml = """
                listeners: [{address: 127.0.0.1, port: 0}]
                admin: {address: 127.0.0.1, port: 0, token: "test-admin-token-0123456789"}
                state: memory
                upstreams:
                  api: {endpoints: ["%s"]}
                routes:
                  - name: headers
                    prefix: /headers
                    upstream: api
                    cache: {ttl: 60s, vary: [Accept-Language]}
                """.formatted(backend.endpoint());
        gateway = Gateway.builder(GatewayFiles.parse("gateway.yaml", yaml, dir, Map.<String, String>of()::get))
                .workerThreads(2).start();
        port = gateway.addresses().get(0).getPort();
    }

    @AfterEach void stop() {
        gateway.shutdown(Duration.ZERO);
        backend.close();
    }

    @Test void aFieldNamedInConnectionCannotPoisonTheCacheEntryOfClientsThatSendIt() throws Exception {
        try (RawHttp raw = new RawHttp(port)) {
            // The upstream never sees this Accept-Language, so its answer must not be stored under "de".
            RawHttp.Response stripped = raw.send("GET /headers HTTP/1.1\r\nHost: x\r\nAccept-Language: de\r\n"
                    + "Connection: accept-language\r\n\r\n").read();
            assertThat(stripped.status()).isEqualTo(200);
            assertThat(stripped.body()).doesNotContain("accept-language");

            RawHttp.Response german = raw.send("GET /headers HTTP/1.1\r\nHost: x\r\nAccept-Language: de\r\n\r\n").read();
            assertThat(german.status()).isEqualTo(200);
            assertThat(german.body()).contains("accept-language: de\n");

            // The first answer was stored under "no Accept-Language", where it belongs.
            RawHttp.Response none = raw.send("GET /headers HTTP/1.1\r\nHost: x\r\n\r\n").read();
            assertThat(none.body()).isEqualTo(stripped.body());
        }
        assertThat(backend.requests()).isEqualTo(2);
    }

    @Test void aRepeatedFieldIsKeyedOnAllItsValues() throws Exception {
        try (RawHttp raw = new RawHttp(port)) {
            RawHttp.Response both = raw.send("GET /headers HTTP/1.1\r\nHost: x\r\nAccept-Language: de\r\n"
                    + "Accept-Language: en\r\n\r\n").read();
            assertThat(both.body()).contains("accept-language: de\n", "accept-language: en\n");

            RawHttp.Response german = raw.send("GET /headers HTTP/1.1\r\nHost: x\r\nAccept-Language: de\r\n\r\n").read();
            assertThat(german.body()).contains("accept-language: de\n").doesNotContain("accept-language: en");
        }
        assertThat(backend.requests()).isEqualTo(2);
    }

    @Test void theHostsPortIsPartOfTheKey() throws Exception {
        try (RawHttp raw = new RawHttp(port)) {
            RawHttp.Response odd = raw.send("GET /headers HTTP/1.1\r\nHost: x:1\r\n\r\n").read();
            assertThat(odd.body()).contains("host: x:1\n");
            RawHttp.Response plain = raw.send("GET /headers HTTP/1.1\r\nHost: x\r\n\r\n").read();
            assertThat(plain.body()).contains("host: x\n").doesNotContain("x:1");
            assertThat(raw.send("GET /headers HTTP/1.1\r\nHost: X:1\r\n\r\n").read().body()).isEqualTo(odd.body());
        }
        assertThat(backend.requests()).isEqualTo(2);
    }
}
