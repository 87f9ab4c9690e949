package dev.vigil.gateway.pipeline;

import dev.vigil.gateway.Gateway;
import dev.vigil.gateway.config.GatewayFiles;
import dev.vigil.gateway.policy.tenant.ApiKeys;
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

/** With API keys, the upstream learns the tenant the gateway resolved, never the one a client claims. */
class TenantHeaderTest {
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
                plans:
                  free: {rate: 1000 rps}
                tenants:
                  key-header: X-Api-Key
                  anonymous-plan: free
                  keys:
                    - {sha256: %s, tenant: acme, plan: free}
                upstreams:
                  api: {endpoints: ["%s"]}
                routes:
                  - {name: all, prefix: /, upstream: api}
                """.formatted(ApiKeys.sha256Hex("acme-secret-key"), backend.endpoint());
        gateway = Gateway.builder(GatewayFiles.parse("gateway.yaml", yaml, dir, Map.<String, String>of()::get))
                .workerThreads(2).start();
        port = gateway.addresses().get(0).getPort();
    }

    @AfterEach void stop() {
        gateway.shutdown(Duration.ZERO);
        backend.close();
    }

    @Test void theTenantHeaderCarriesTheResolvedTenant() throws Exception {
        try (RawHttp raw = new RawHttp(port)) {
            String keyed = raw.send("GET /headers HTTP/1.1\r\nHost: x\r\nX-Api-Key: acme-secret-key\r\nX-Tenant: globex\r\n\r\n")
                    .read().body();
            assertThat(keyed).contains("x-tenant: acme\n").doesNotContain("globex");
            String anonymous = raw.send("GET /headers HTTP/1.1\r\nHost: x\r\nX-Tenant: acme\r\n\r\n").read().body();
            assertThat(anonymous).doesNotContain("x-tenant: acme\n").contains("x-tenant: ");
        }
    }
}
