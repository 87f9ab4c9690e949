package dev.vigil.gateway.policy.idempotency;

import dev.vigil.gateway.policy.FailMode;
import dev.vigil.gateway.policy.Header;
import dev.vigil.gateway.policy.Problem;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * Idempotency keys for POST, PUT and PATCH (draft-ietf-httpapi-idempotency-key-header semantics).
 *
 * <p>How a stage uses it: {@link #begin} once the request body digest is known, then act on the
 * {@link IdempotencyDecision}. On {@code Proceed}, forward the request and finish the ticket exactly
 * once: {@link Ticket#complete} with the upstream response, or {@link Ticket#release} when the
 * upstream was never reached (connect failure, load shed, client gone before forwarding) so the
 * client may retry. A ticket never finished still frees its key at the in-flight deadline.
 *
 * <p>Rules: the key comes from {@code Idempotency-Key} (or {@code X-Idempotency-Key}); a quoted
 * Structured-Field string and the bare value are the same key. A key longer than 255 characters or
 * containing anything but visible ASCII and inner spaces → 400, in both optional and required mode
 * (a client that sends a key expects protection; ignoring a malformed one silently would not be
 * safe). Records are scoped to tenant and route. Duplicates: in flight → 409 (or wait up to
 * {@code waitForResult} for the result), completed → replay, different method/target/body → 422.
 *
 * <p>Thread-safe; never blocks a caller thread (waiting is done with the scheduler).
 */
public final class IdempotencyEngine {

    public static final String PROBLEM_BASE = "https://vigil.dev/problems/";
    private static final long POLL_MILLIS = 20;

    private final IdempotencyStore store;
    private final ScheduledExecutorService scheduler;
    private final LongAdder storeFailures = new LongAdder();
    private final LongAdder replays = new LongAdder();

    public IdempotencyEngine(IdempotencyStore store, ScheduledExecutorService scheduler) {
        this.store = store;
        this.scheduler = scheduler;
    }

    /** Store operations that failed (the fail mode decided those requests). */
    public long storeFailures() { return storeFailures.sum(); }

    /** Duplicates answered with the stored response (the upstream was not contacted again). */
    public long replays() { return replays.sum(); }

    public CompletionStage<IdempotencyDecision> begin(IdempotencyRequest req, IdempotencyConfig cfg) {
        if (cfg.mode() == IdempotencyMode.OFF || !unsafe(req.method())) return done(new IdempotencyDecision.Bypass(false));
        byte[] fingerprint = req.fingerprint();
        String key;
        if (req.key() == null) {
            if (cfg.deriveKey()) {
                key = req.derivedKey();
            } else if (cfg.mode() == IdempotencyMode.REQUIRED) {
                return done(reject(400, "idempotency-key-missing", "Idempotency-Key is missing",
                        "This operation requires an Idempotency-Key header (1-255 visible ASCII characters)."));
            } else {
                return done(new IdempotencyDecision.Bypass(false));
            }
        } else {
            key = normalise(req.key());
            if (key == null) {
                return done(reject(400, "idempotency-key-invalid", "Idempotency-Key is invalid",
                        "An Idempotency-Key must be 1-255 visible ASCII characters (inner spaces allowed), optionally quoted."));
            }
        }
        RecordKey recordKey = new RecordKey(req.tenant(), req.route(), key);
        CompletableFuture<IdempotencyDecision> result = new CompletableFuture<>();
        attempt(recordKey, fingerprint, cfg, Math.ceilDiv(cfg.waitForResult().toMillis(), POLL_MILLIS), result);
        return result;
    }

    private void attempt(RecordKey key, byte[] fingerprint, IdempotencyConfig cfg, long pollsLeft,
                         CompletableFuture<IdempotencyDecision> result) {
        store.claim(key, fingerprint, cfg.inFlightDeadline().toMillis()).whenComplete((claim, error) -> {
            if (error != null) {
                storeFailures.increment();
                result.complete(cfg.failMode() == FailMode.OPEN ? new IdempotencyDecision.Bypass(true)
                        : reject(503, "idempotency-store-unavailable", "Idempotency store unavailable",
                        "The idempotency store cannot be reached and this route fails closed; retry later with the same key."));
                return;
            }
            switch (claim) {
                case ClaimResult.Claimed c -> result.complete(new IdempotencyDecision.Proceed(new Ticket(key, c.token(), cfg)));
                case ClaimResult.Completed c -> {
                    replays.increment();
                    result.complete(new IdempotencyDecision.Replay(c.response()));
                }
                case ClaimResult.Mismatch m -> result.complete(reject(422, "idempotency-key-reused", "Idempotency-Key is already used",
                        "This Idempotency-Key was used with a different method, target or body; use a new key for a new request."));
                case ClaimResult.NotReplayable n -> result.complete(reject(409, "idempotency-response-not-stored",
                        "Response not replayable",
                        "The original request with this Idempotency-Key completed with status " + n.status()
                                + " but its response was too large to store; it was not executed again.",
                        Map.of("original-status", n.status())));
                case ClaimResult.InFlight f -> {
                    if (pollsLeft <= 0) {
                        result.complete(reject(409, "idempotency-key-in-flight", "A request is outstanding for this Idempotency-Key",
                                "The original request with this Idempotency-Key is still being processed; retry later."));
                    } else {
                        // Claim again rather than only look: if the original is released meanwhile, this one proceeds.
                        scheduler.schedule(() -> attempt(key, fingerprint, cfg, pollsLeft - 1, result), POLL_MILLIS, TimeUnit.MILLISECONDS);
                    }
                }
                case ClaimResult.Absent a -> throw new IllegalStateException("a claim never answers Absent");
            }
        });
    }

    /** The right to finish one claimed key. Finish it once: the first call wins, later calls do nothing. */
    public final class Ticket {
        private final RecordKey key;
        private final String token;
        private final IdempotencyConfig cfg;
        private final AtomicBoolean finished = new AtomicBoolean();

        Ticket(RecordKey key, String token, IdempotencyConfig cfg) {
            this.key = key;
            this.token = token;
            this.cfg = cfg;
        }

        public RecordKey key() { return key; }

        /**
         * Records the upstream response. A 5xx with {@code store5xx=false} releases the key instead;
         * a body over {@code maxStoredBodyBytes} finishes the key as not replayable.
         *
         * @return completes when stored; false when the claim had expired and was taken by another request
         */
        public CompletionStage<Boolean> complete(int status, List<Header> headers, byte[] body) {
            if (!finished.compareAndSet(false, true)) return done(false);
            if (status >= 500 && !cfg.store5xx()) return counted(store.release(key, token)).thenApply(v -> true);
            StoredResponse response = body.length > cfg.maxStoredBodyBytes() ? null
                    : new StoredResponse(status, StoredResponse.keep(headers), body);
            return counted(store.complete(key, token, status, response, cfg.ttl().toMillis()));
        }

        /** The upstream was never reached: free the key so the client may retry. */
        public CompletionStage<Void> release() {
            if (!finished.compareAndSet(false, true)) return done(null);
            return counted(store.release(key, token));
        }

        /**
         * A store failure here leaves the claim in flight until its deadline: duplicates get 409
         * until then, after which the key is free again. Counted in {@link #storeFailures()}.
         */
        private <T> CompletionStage<T> counted(CompletionStage<T> stage) {
            return stage.whenComplete((v, e) -> { if (e != null) storeFailures.increment(); });
        }
    }

    /** Bare or sf-string form → the key; {@code null} when invalid. */
    static String normalise(String raw) {
        String k = raw;
        if (k.length() >= 2 && k.charAt(0) == '"' && k.charAt(k.length() - 1) == '"') k = k.substring(1, k.length() - 1);
        if (k.isEmpty() || k.length() > 255) return null;
        if (k.charAt(0) == ' ' || k.charAt(k.length() - 1) == ' ') return null;
        for (int i = 0; i < k.length(); i++) {
            char c = k.charAt(i);
            if (c < 0x20 || c > 0x7e) return null;
        }
        return k;
    }

    private static boolean unsafe(String method) {
        return method.equals("POST") || method.equals("PUT") || method.equals("PATCH");
    }

    private static IdempotencyDecision.Reject reject(int status, String type, String title, String detail) {
        return reject(status, type, title, detail, Map.of());
    }

    private static IdempotencyDecision.Reject reject(int status, String type, String title, String detail, Map<String, Object> ext) {
        return new IdempotencyDecision.Reject(new Problem(PROBLEM_BASE + type, title, status, detail, ext));
    }

    private static <T> CompletableFuture<T> done(T value) {
        return CompletableFuture.completedFuture(value);
    }
}
