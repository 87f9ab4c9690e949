package dev.vigil.gateway.policy.idempotency;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Run in a child JVM by {@link GroupCommitTest}: eight threads claim and complete idempotent requests
 * as fast as they can; each acknowledged completion is printed ({@code acked <key>}), and as soon as
 * {@code args[1]} have been acknowledged the JVM halts without closing the store (no final commit) while
 * other operations are still queued — a crash right after acknowledgements.
 */
public final class CrashingBatchWriter {
    static IdempotencyRequest request(String key) {
        return IdempotencyRequest.of("acme", "pay", "POST", "/pay", key, key.getBytes(StandardCharsets.UTF_8));
    }

    /** 0-2 ms, so completions arrive at any point of the commit cycle, not in step with it. */
    private static void upstreamWork(int i) {
        try {
            Thread.sleep(i % 3);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public static void main(String[] args) {
        // A slow disk: 2 ms before each commit, so every batch holds changes no earlier commit wrote.
        var store = EmbeddedIdempotencyStore.open(Path.of(args[0]), InstantSource.system(), false, () -> {
            try {
                Thread.sleep(2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        int haltAfter = Integer.parseInt(args[1]);
        var engine = new IdempotencyEngine(store, Executors.newSingleThreadScheduledExecutor());
        var config = IdempotencyConfig.defaults(IdempotencyMode.REQUIRED);
        AtomicInteger acked = new AtomicInteger();
        for (int t = 0; t < 8; t++) {
            int thread = t;
            Thread.ofPlatform().start(() -> {
                for (int i = 0; ; i++) {
                    String key = "t" + thread + "-" + i;
                    var proceed = (IdempotencyDecision.Proceed) engine.begin(request(key), config).toCompletableFuture().join();
                    upstreamWork(i);
                    // Not joined: completions pile up so that commits carry batches.
                    proceed.ticket().complete(201, List.of(), ("done " + key).getBytes(StandardCharsets.UTF_8))
                            .thenAccept(stored -> {
                                if (!stored) return;
                                synchronized (System.out) {
                                    System.out.println("acked " + key);
                                    System.out.flush();
                                    if (acked.incrementAndGet() >= haltAfter) Runtime.getRuntime().halt(0);
                                }
                            });
                }
            });
        }
    }
}
