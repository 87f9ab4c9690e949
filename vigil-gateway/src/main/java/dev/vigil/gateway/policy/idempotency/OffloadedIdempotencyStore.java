package dev.vigil.gateway.policy.idempotency;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Runs a blocking store's operations on one thread of its own, so callers on network event loops never wait for
 * them. Why: {@link EmbeddedIdempotencyStore} commits every change to its file before returning (durability
 * across restarts); called directly from a Netty event loop, each commit would stall every connection of that loop.
 * One thread keeps the store's operations in call order; MVStore serialises commits anyway.
 */
public final class OffloadedIdempotencyStore implements IdempotencyStore {
    private final IdempotencyStore delegate;
    private final ExecutorService thread = Executors.newSingleThreadExecutor(
            r -> Thread.ofPlatform().daemon().name("vigil-idempotency-store").unstarted(r));

    public OffloadedIdempotencyStore(IdempotencyStore delegate) {
        this.delegate = delegate;
    }

    @Override public CompletionStage<ClaimResult> claim(RecordKey key, byte[] fingerprint, long inFlightMillis) {
        return run(() -> delegate.claim(key, fingerprint, inFlightMillis));
    }

    @Override public CompletionStage<ClaimResult> lookup(RecordKey key, byte[] fingerprint) {
        return run(() -> delegate.lookup(key, fingerprint));
    }

    @Override public CompletionStage<Boolean> complete(RecordKey key, String token, int status, StoredResponse response, long ttlMillis) {
        return run(() -> delegate.complete(key, token, status, response, ttlMillis));
    }

    @Override public CompletionStage<Void> release(RecordKey key, String token) {
        return run(() -> delegate.release(key, token));
    }

    private <T> CompletionStage<T> run(Supplier<CompletionStage<T>> op) {
        try {
            return CompletableFuture.supplyAsync(op, thread).thenCompose(s -> s);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            return CompletableFuture.failedFuture(e);   // closed: the fail mode decides, as for any store failure
        }
    }

    /** Finishes the operations already queued (bounded wait), then closes the store. */
    @Override public void close() {
        thread.shutdown();
        try {
            thread.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        delegate.close();
    }
}
