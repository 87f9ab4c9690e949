package dev.vigil.load;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.vigil.load.scenario.Scenario;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import java.io.FileInputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static org.assertj.core.api.Assertions.assertThat;

/** https targets: certificates are verified unless the scenario says {@code tls: { insecure: true }}. */
class HttpsTest {
    @TempDir Path dir;

    @Test
    void speaksHttpsAndAcceptsASelfSignedCertificateOnlyWhenTold() throws Exception {
        Path keystore = dir.resolve("server.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-keyalg", "EC", "-groupname", "secp256r1", "-alias", "test", "-dname", "CN=127.0.0.1",
                "-ext", "SAN=ip:127.0.0.1", "-validity", "2", "-storetype", "PKCS12", "-keystore", keystore.toString(),
                "-storepass", "changeit", "-keypass", "changeit").redirectErrorStream(true).start();
        assertThat(keytool.waitFor()).isZero();
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (FileInputStream in = new FileInputStream(keystore.toFile())) {
            ks.load(in, "changeit".toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, "changeit".toCharArray());
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(kmf.getKeyManagers(), null, null);

        HttpsServer server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 128);
        server.setHttpsConfigurator(new HttpsConfigurator(ssl));
        ExecutorService pool = Executors.newFixedThreadPool(8);
        server.setExecutor(pool);
        server.createContext("/", ex -> {
            byte[] ok = "ok".getBytes();
            ex.sendResponseHeaders(200, ok.length);
            ex.getResponseBody().write(ok);
            ex.close();
        });
        server.start();
        try {
            URI uri = URI.create("https://127.0.0.1:" + server.getAddress().getPort());
            Scenario verified = Scenarios.open(uri, 50, Duration.ofSeconds(1), 4,
                    Scenarios.flow("a", 1, Scenarios.get("GET /", "/")));
            Scenario insecure = new Scenario(verified.file(), uri, verified.phases(), verified.flows(), verified.feeders(),
                    verified.variables(), 4, verified.failureCriteria(), true);

            RunResult ok = LoadTest.of(insecure).build().run();
            assertThat(ok.totals().count()).isEqualTo(50);
            assertThat(ok.totals().errors().total()).isZero();

            RunResult refused = LoadTest.of(verified).build().run();
            assertThat(refused.totals().count()).isEqualTo(50);
            assertThat(refused.totals().errors().total()).isEqualTo(50);
        } finally {
            server.stop(0);
            pool.shutdownNow();
        }
    }
}
