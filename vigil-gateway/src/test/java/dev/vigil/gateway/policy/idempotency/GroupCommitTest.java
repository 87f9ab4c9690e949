package dev.vigil.gateway.policy.idempotency;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GroupCommitTest {

    @TempDir Path dir;

    static final byte[] FINGERPRINT = new byte[32];
    static final long IN_FLIGHT_MILLIS = 60_000;

    /** Holds the commit thread at its first commit until released, so operations pile up behind it. */
    static final class Gate implements Runnable {
        final CountDownLatch reached = new CountDownLatch(1);
        final CountDownLatch open = new CountDownLatch(1);
        final AtomicBoolean first = new AtomicBoolean(true);

        @Override public void run() {
            if (!first.compareAndSet(true, false)) return;
            reached.countDown();
            try {
                open.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Test
    void concurrentOperationsShareOneCommitAndAreAcknowledgedOnlyAfterIt() throws Exception {
        Gate gate = new Gate();
        ExecutorService callers = Executors.newFixedThreadPool(4);
        try (var store = EmbeddedIdempotencyStore.open(dir.resolve("idem.mv.db"), InstantSource.system(), false, gate)) {
            List<CompletableFuture<ClaimResult>> claims = new ArrayList<>();
            claims.add(store.claim(new RecordKey("acme", "orders", "k0"), FINGERPRINT, IN_FLIGHT_MILLIS).toCompletableFuture());
            assertThat(gate.reached.await(10, TimeUnit.SECONDS)).as("commit thread reached its first commit").isTrue();

            List<CompletableFuture<CompletableFuture<ClaimResult>>> submitted = new ArrayList<>();
            for (int i = 1; i < 100; i++) {
                RecordKey key = new RecordKey("acme", "orders", "k" + i);
                submitted.add(CompletableFuture.supplyAsync(
                        () -> store.claim(key, FINGERPRINT, IN_FLIGHT_MILLIS).toCompletableFuture(), callers));
            }
            for (var s : submitted) claims.add(s.get(10, TimeUnit.SECONDS));
            // A duplicate of k0 sees the claim at once (it loses) but is answered only once that claim is durable.
            CompletableFuture<ClaimResult> duplicate =
                    store.claim(new RecordKey("acme", "orders", "k0"), FINGERPRINT, IN_FLIGHT_MILLIS).toCompletableFuture();

            assertThat(claims).noneMatch(CompletableFuture::isDone);
            assertThat(duplicate).isNotDone();
            assertThat(store.commits()).isZero();
            assertThat(store.lookupNow(new RecordKey("acme", "orders", "k0"), FINGERPRINT)).isEqualTo(ClaimResult.IN_FLIGHT);

            gate.open.countDown();
            for (var c : claims) assertThat(c.get(10, TimeUnit.SECONDS)).isInstanceOf(ClaimResult.Claimed.class);
            assertThat(duplicate.get(10, TimeUnit.SECONDS)).isEqualTo(ClaimResult.IN_FLIGHT);
            assertThat(store.commits()).as("101 operations, one commit").isEqualTo(1);
        } finally {
            callers.shutdownNow();
        }
    }

    @Test
    void aReadOfCommittedStateIsAnsweredAtOnce() throws Exception {
        Gate gate = new Gate();
        try (var store = EmbeddedIdempotencyStore.open(dir.resolve("idem.mv.db"), InstantSource.system(), false, gate)) {
            RecordKey key = new RecordKey("acme", "orders", "k");
            var claim = store.claim(key, FINGERPRINT, IN_FLIGHT_MILLIS).toCompletableFuture();
            assertThat(gate.reached.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(store.lookup(key, FINGERPRINT).toCompletableFuture()).as("sees an uncommitted claim: waits").isNotDone();
            gate.open.countDown();
            var token = ((ClaimResult.Claimed) claim.get(10, TimeUnit.SECONDS)).token();

            assertThat(store.lookup(key, FINGERPRINT).toCompletableFuture()).isCompletedWithValue(ClaimResult.IN_FLIGHT);
            byte[] body = "ok".getBytes(StandardCharsets.UTF_8);
            assertThat(store.complete(key, token, 201, new StoredResponse(201, List.of(), body), 60_000).toCompletableFuture()
                    .get(10, TimeUnit.SECONDS)).isTrue();
            assertThat(store.lookup(key, FINGERPRINT).toCompletableFuture().getNow(null)).isInstanceOf(ClaimResult.Completed.class);
            assertThat(store.commits()).isEqualTo(2);
        }
    }

    @Test
    void everyAcknowledgedRecordSurvivesACrashRightAfterTheAcknowledgements() throws Exception {
        Path file = dir.resolve("idem.mv.db");
        String java = ProcessHandle.current().info().command().orElse("java");
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                CrashingBatchWriter.class.getName(), file.toString(), "300")
                .redirectErrorStream(true)
                .start();
        boolean exited = child.waitFor(60, TimeUnit.SECONDS);
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!exited) child.destroyForcibly();
        assertThat(exited).as("child finished").isTrue();

        List<String> acked = output.lines().filter(l -> l.startsWith("acked ")).map(l -> l.substring(6)).toList();
        assertThat(acked).as(output).hasSizeGreaterThanOrEqualTo(300);

        var scheduler = Executors.newSingleThreadScheduledExecutor();
        try (var store = EmbeddedIdempotencyStore.open(file, InstantSource.system())) {
            var engine = new IdempotencyEngine(store, scheduler);
            for (String key : acked) {
                var duplicate = CrashingBatchWriter.request(key);
                IdempotencyDecision d = engine.begin(duplicate, IdempotencyConfig.defaults(IdempotencyMode.REQUIRED))
                        .toCompletableFuture().get(10, TimeUnit.SECONDS);
                assertThat(d).as(key).isInstanceOf(IdempotencyDecision.Replay.class);
                assertThat(((IdempotencyDecision.Replay) d).response().body()).asString(StandardCharsets.UTF_8)
                        .isEqualTo("done " + key);
            }
        } finally {
            scheduler.shutdownNow();
        }
    }
}
