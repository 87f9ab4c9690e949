package dev.vigil.gateway.policy.idempotency;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedStoreCrashTest {

    @TempDir Path dir;

    @Test
    void aCompletedRecordSurvivesAProcessCrash() throws Exception {
        Path file = dir.resolve("idem.mv.db");
        String java = ProcessHandle.current().info().command().orElse("java");
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), CrashingWriter.class.getName(), file.toString())
                .redirectErrorStream(true)
                .start();
        boolean exited = child.waitFor(60, TimeUnit.SECONDS);
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!exited) child.destroyForcibly();
        assertThat(exited).as("child finished").isTrue();
        assertThat(output).contains("completed");

        var scheduler = Executors.newSingleThreadScheduledExecutor();
        try (var store = EmbeddedIdempotencyStore.open(file, InstantSource.system())) {
            var engine = new IdempotencyEngine(store, scheduler);
            var duplicate = IdempotencyRequest.of("acme", "pay", "POST", "/pay", "crash-1", "{}".getBytes(StandardCharsets.UTF_8));
            IdempotencyDecision d = engine.begin(duplicate, IdempotencyConfig.defaults(IdempotencyMode.REQUIRED)).toCompletableFuture().join();
            assertThat(d).isInstanceOf(IdempotencyDecision.Replay.class);
            assertThat(((IdempotencyDecision.Replay) d).response().body()).asString(StandardCharsets.UTF_8).isEqualTo("charged once");
        } finally {
            scheduler.shutdownNow();
        }
    }
}
