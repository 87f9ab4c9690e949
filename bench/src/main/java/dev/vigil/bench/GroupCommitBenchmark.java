package dev.vigil.bench;

import dev.vigil.gateway.policy.idempotency.ClaimResult;
import dev.vigil.gateway.policy.idempotency.EmbeddedIdempotencyStore;
import dev.vigil.gateway.policy.idempotency.RecordKey;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Durable idempotency claims per second on the embedded store (each claim acknowledged only after the
 * MVStore commit containing it). {@code oneCommitPerClaim}: 64 claims, each awaited before the next is
 * sent — every commit carries one claim, as the gateway did before group commit (one commit per claim on
 * one store thread). {@code groupCommit}: the same 64 claims sent at once, as concurrent requests do, then
 * awaited — the commit thread batches whatever queued during its previous commit. {@code fsync} adds
 * {@code MVStore.sync()} (FileChannel.force) to each commit: the power-loss-durable setting.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class GroupCommitBenchmark {

    static final int CLAIMS = 64;

    @Param({"false", "true"})
    boolean fsync;

    Path dir;
    EmbeddedIdempotencyStore store;
    final byte[] fingerprint = new byte[32];
    long next;

    @Setup(Level.Trial)
    public void setup() throws IOException {
        dir = Files.createTempDirectory("vigil-groupcommit-bench");
        store = EmbeddedIdempotencyStore.open(dir.resolve("idem.mv.db"), InstantSource.system(), fsync);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        store.close();
        try (var files = Files.list(dir)) {
            for (Path p : files.toList()) Files.delete(p);
        }
        Files.delete(dir);
    }

    private RecordKey freshKey() {
        return new RecordKey("acme", "orders", "k" + next++);
    }

    @Benchmark
    @OperationsPerInvocation(CLAIMS)
    public ClaimResult oneCommitPerClaim() {
        ClaimResult last = null;
        for (int i = 0; i < CLAIMS; i++) last = store.claim(freshKey(), fingerprint, 60_000).toCompletableFuture().join();
        return last;
    }

    @Benchmark
    @OperationsPerInvocation(CLAIMS)
    public Object groupCommit() {
        @SuppressWarnings("unchecked")
        CompletableFuture<ClaimResult>[] claims = new CompletableFuture[CLAIMS];
        for (int i = 0; i < CLAIMS; i++) claims[i] = store.claim(freshKey(), fingerprint, 60_000).toCompletableFuture();
        return CompletableFuture.allOf(claims).join();
    }
}
