package dev.vigil.gateway.policy.idempotency;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.Executors;

/**
 * Run in a child JVM by {@link EmbeddedStoreCrashTest}: completes one idempotent request and then
 * halts the JVM without closing the store (no shutdown hooks, no final commit) — a crash.
 */
public final class CrashingWriter {
    public static void main(String[] args) {
        var store = EmbeddedIdempotencyStore.open(Path.of(args[0]), InstantSource.system());
        var engine = new IdempotencyEngine(store, Executors.newSingleThreadScheduledExecutor());
        var request = IdempotencyRequest.of("acme", "pay", "POST", "/pay", "crash-1", "{}".getBytes(StandardCharsets.UTF_8));
        var proceed = (IdempotencyDecision.Proceed) engine.begin(request, IdempotencyConfig.defaults(IdempotencyMode.REQUIRED))
                .toCompletableFuture().join();
        proceed.ticket().complete(201, List.of(), "charged once".getBytes(StandardCharsets.UTF_8)).toCompletableFuture().join();
        System.out.println("completed");
        System.out.flush();
        Runtime.getRuntime().halt(0);
    }
}
