package dev.vigil.bench;

import dev.vigil.gateway.policy.Header;
import dev.vigil.gateway.policy.idempotency.ClaimResult;
import dev.vigil.gateway.policy.idempotency.EmbeddedIdempotencyStore;
import dev.vigil.gateway.policy.idempotency.IdempotencyConfig;
import dev.vigil.gateway.policy.idempotency.IdempotencyDecision;
import dev.vigil.gateway.policy.idempotency.IdempotencyEngine;
import dev.vigil.gateway.policy.idempotency.IdempotencyMode;
import dev.vigil.gateway.policy.idempotency.IdempotencyRequest;
import dev.vigil.gateway.policy.idempotency.RecordKey;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Embedded idempotency: {@code lookup} reads a completed record (MVStore, 10 000 records, 256-byte
 * bodies) and decodes it; {@code replay} is the whole engine path a duplicate takes (fingerprint
 * SHA-256 of a 1 KiB body's digest, key validation, claim → Replay). Target: lookup < 1 µs.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class IdempotencyBenchmark {

    Path dir;
    EmbeddedIdempotencyStore store;
    IdempotencyEngine engine;
    ScheduledExecutorService scheduler;
    IdempotencyConfig config;
    RecordKey key;
    byte[] fingerprint;
    IdempotencyRequest duplicate;

    @Setup(Level.Trial)
    public void setup() throws IOException {
        dir = Files.createTempDirectory("vigil-idem-bench");
        store = EmbeddedIdempotencyStore.open(dir.resolve("idem.mv.db"), InstantSource.system());
        scheduler = Executors.newSingleThreadScheduledExecutor();
        engine = new IdempotencyEngine(store, scheduler);
        config = IdempotencyConfig.defaults(IdempotencyMode.REQUIRED);
        byte[] body = new byte[1024];
        byte[] responseBody = new byte[256];
        for (int i = 0; i < 10_000; i++) {
            IdempotencyRequest r = IdempotencyRequest.of("acme", "orders", "POST", "/orders", "key-" + i, body);
            var d = (IdempotencyDecision.Proceed) engine.begin(r, config).toCompletableFuture().join();
            d.ticket().complete(201, List.of(new Header("Content-Type", "application/json")), responseBody).toCompletableFuture().join();
        }
        duplicate = IdempotencyRequest.of("acme", "orders", "POST", "/orders", "key-4242", body);
        key = new RecordKey("acme", "orders", "key-4242");
        fingerprint = fingerprintOf(duplicate);
        if (!(store.lookupNow(key, fingerprint) instanceof ClaimResult.Completed)) {
            throw new IllegalStateException("benchmark setup: the record is not completed");
        }
    }

    /** The engine's fingerprint, recomputed here because it is package-private. */
    private static byte[] fingerprintOf(IdempotencyRequest r) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(r.method().getBytes(StandardCharsets.US_ASCII));
            md.update((byte) '\n');
            md.update(r.target().getBytes(StandardCharsets.UTF_8));
            md.update((byte) '\n');
            md.update(r.bodySha256());
            return md.digest();
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        store.close();
        scheduler.shutdownNow();
        try (var files = Files.list(dir)) {
            for (Path p : files.toList()) Files.delete(p);
        }
        Files.delete(dir);
    }

    @Benchmark
    public ClaimResult lookup() {
        return store.lookupNow(key, fingerprint);
    }

    @Benchmark
    public IdempotencyDecision replay() {
        return engine.begin(duplicate, config).toCompletableFuture().join();
    }
}
