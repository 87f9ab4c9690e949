package dev.vigil.load;

import java.time.Duration;

/**
 * One short run before an accuracy test's measured run. A fresh test JVM interprets and compiles the engine's
 * code during its first second; what the accuracy tests check is how the engine measures, not how fast the JVM
 * starts (a real run's first second includes it, and shows it in the timeline).
 */
final class Warmup {
    private static boolean done;

    private Warmup() {}

    static synchronized void once() throws Exception {
        if (done) return;
        try (TinyHttpServer server = new TinyHttpServer(req -> TinyHttpServer.Response.ok("ok"))) {
            LoadTest.of(Scenarios.open(server.uri(), 2000, Duration.ofSeconds(1), 8,
                    Scenarios.flow("warm-up", 1, Scenarios.get("GET /", "/")))).build().run();
        }
        done = true;
    }
}
