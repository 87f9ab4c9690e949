package dev.vigil.gateway.policy.idempotency;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.gateway.policy.FailMode;
import dev.vigil.gateway.policy.Header;
import dev.vigil.gateway.policy.TestClock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdempotencyEngineTest {

    @TempDir Path dir;
    final TestClock clock = TestClock.at("2026-01-01T00:00:00Z");
    final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    EmbeddedIdempotencyStore store;
    IdempotencyEngine engine;

    static final IdempotencyConfig REQUIRED = IdempotencyConfig.defaults(IdempotencyMode.REQUIRED);
    static final IdempotencyConfig OPTIONAL = IdempotencyConfig.defaults(IdempotencyMode.OPTIONAL);
    static final List<Header> HEADERS = List.of(new Header("Content-Type", "application/json"), new Header("Location", "/orders/7"),
            new Header("Connection", "keep-alive"), new Header("Date", "Thu, 01 Jan 2026 00:00:00 GMT"));

    @BeforeEach
    void open() {
        store = EmbeddedIdempotencyStore.open(dir.resolve("idem.mv.db"), clock);
        engine = new IdempotencyEngine(store, scheduler);
    }

    @AfterEach
    void close() {
        store.close();
        scheduler.shutdownNow();
    }

    static IdempotencyRequest post(String tenant, String key, String body) {
        return IdempotencyRequest.of(tenant, "orders", "POST", "/orders", key, body.getBytes(StandardCharsets.UTF_8));
    }

    IdempotencyDecision begin(IdempotencyRequest r, IdempotencyConfig c) {
        return engine.begin(r, c).toCompletableFuture().join();
    }

    IdempotencyEngine.Ticket proceed(IdempotencyRequest r, IdempotencyConfig c) {
        IdempotencyDecision d = begin(r, c);
        assertThat(d).isInstanceOf(IdempotencyDecision.Proceed.class);
        return ((IdempotencyDecision.Proceed) d).ticket();
    }

    static String problemType(IdempotencyDecision d) {
        assertThat(d).isInstanceOf(IdempotencyDecision.Reject.class);
        return ((IdempotencyDecision.Reject) d).problem().type().replace(IdempotencyEngine.PROBLEM_BASE, "");
    }

    static int status(IdempotencyDecision d) {
        return ((IdempotencyDecision.Reject) d).problem().status();
    }

    @Test
    void replaysTheStoredResponseWithoutTheHopByHopHeaders() {
        var ticket = proceed(post("acme", "k1", "{\"n\":1}"), REQUIRED);
        assertThat(ticket.complete(201, HEADERS, "created".getBytes(StandardCharsets.UTF_8)).toCompletableFuture().join()).isTrue();
        IdempotencyDecision d = begin(post("acme", "k1", "{\"n\":1}"), REQUIRED);
        assertThat(d).isInstanceOf(IdempotencyDecision.Replay.class);
        StoredResponse r = ((IdempotencyDecision.Replay) d).response();
        assertThat(r.status()).isEqualTo(201);
        assertThat(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo("created");
        assertThat(r.replayHeaders()).containsExactly(new Header("Content-Type", "application/json"),
                new Header("Location", "/orders/7"), new Header("Idempotent-Replayed", "true"));
    }

    @Test
    void answers409WhileTheOriginalIsInFlight() {
        proceed(post("acme", "k1", "a"), REQUIRED);
        IdempotencyDecision d = begin(post("acme", "k1", "a"), REQUIRED);
        assertThat(problemType(d)).isEqualTo("idempotency-key-in-flight");
        assertThat(status(d)).isEqualTo(409);
    }

    @Test
    void waitsForTheInFlightResultWhenConfigured() {
        var waiting = new IdempotencyConfig(IdempotencyMode.REQUIRED, false, Duration.ofSeconds(60), Duration.ofSeconds(5),
                Duration.ofHours(24), true, 1 << 20, FailMode.CLOSED);
        var ticket = proceed(post("acme", "k1", "a"), waiting);
        var duplicate = engine.begin(post("acme", "k1", "a"), waiting).toCompletableFuture();
        scheduler.schedule(() -> ticket.complete(200, List.of(), "done".getBytes(StandardCharsets.UTF_8)), 60, TimeUnit.MILLISECONDS);
        IdempotencyDecision d = duplicate.orTimeout(5, TimeUnit.SECONDS).join();
        assertThat(d).isInstanceOf(IdempotencyDecision.Replay.class);
    }

    @Test
    void rejectsFingerprintMismatchWith422() {
        proceed(post("acme", "k1", "a"), REQUIRED).complete(200, List.of(), new byte[0]);
        assertThat(status(begin(post("acme", "k1", "b"), REQUIRED))).isEqualTo(422);
        var put = IdempotencyRequest.of("acme", "orders", "PUT", "/orders", "k1", "a".getBytes(StandardCharsets.UTF_8));
        assertThat(problemType(begin(put, REQUIRED))).isEqualTo("idempotency-key-reused");
    }

    @Test
    void rejectsMissingOrMalformedKeysWith400() {
        assertThat(problemType(begin(post("acme", null, "a"), REQUIRED))).isEqualTo("idempotency-key-missing");
        assertThat(problemType(begin(post("acme", "x".repeat(256), "a"), REQUIRED))).isEqualTo("idempotency-key-invalid");
        assertThat(problemType(begin(post("acme", "bad\u0001key", "a"), OPTIONAL))).isEqualTo("idempotency-key-invalid");
        assertThat(problemType(begin(post("acme", "caf\u00e9", "a"), REQUIRED))).isEqualTo("idempotency-key-invalid");
        assertThat(status(begin(post("acme", " padded", "a"), REQUIRED))).isEqualTo(400);
        assertThat(begin(post("acme", "x".repeat(255), "a"), REQUIRED)).isInstanceOf(IdempotencyDecision.Proceed.class);
    }

    @Test
    void treatsTheQuotedAndBareFormsAsOneKey() {
        proceed(post("acme", "\"k-9\"", "a"), REQUIRED).complete(200, List.of(), new byte[0]);
        assertThat(begin(post("acme", "k-9", "a"), REQUIRED)).isInstanceOf(IdempotencyDecision.Replay.class);
    }

    @Test
    void bypassesSafeMethodsOffRoutesAndOptionalRequestsWithoutAKey() {
        var get = IdempotencyRequest.of("acme", "orders", "GET", "/orders", "k1", new byte[0]);
        assertThat(begin(get, REQUIRED)).isEqualTo(new IdempotencyDecision.Bypass(false));
        assertThat(begin(post("acme", "k1", "a"), IdempotencyConfig.defaults(IdempotencyMode.OFF))).isEqualTo(new IdempotencyDecision.Bypass(false));
        assertThat(begin(post("acme", null, "a"), OPTIONAL)).isEqualTo(new IdempotencyDecision.Bypass(false));
    }

    @Test
    void derivesAKeyFromMethodPathAndBodyWhenNoneIsSent() {
        var derive = new IdempotencyConfig(IdempotencyMode.OPTIONAL, true, Duration.ofSeconds(60), Duration.ZERO,
                Duration.ofHours(24), true, 1 << 20, FailMode.CLOSED);
        proceed(post("acme", null, "same"), derive).complete(201, List.of(), new byte[0]);
        assertThat(begin(post("acme", null, "same"), derive)).isInstanceOf(IdempotencyDecision.Replay.class);
        assertThat(begin(post("acme", null, "other"), derive)).isInstanceOf(IdempotencyDecision.Proceed.class);
    }

    @Test
    void aDerivedKeyIsBoundToTheCallersCredentials() {
        var derive = new IdempotencyConfig(IdempotencyMode.OPTIONAL, true, Duration.ofSeconds(60), Duration.ZERO,
                Duration.ofHours(24), true, 1 << 20, FailMode.CLOSED);
        byte[] body = IdempotencyRequest.sha256().digest("{}".getBytes(StandardCharsets.UTF_8));
        IdempotencyRequest alice = new IdempotencyRequest("anonymous", "orders", "POST", "/session/refresh", null, body, "\n\nsession=alice");
        IdempotencyRequest bob = new IdempotencyRequest("anonymous", "orders", "POST", "/session/refresh", null, body, "\n\nsession=bob");
        proceed(alice, derive).complete(200, List.of(new Header("Set-Cookie", "session=alice-2")), new byte[0]);
        assertThat(begin(alice, derive)).isInstanceOf(IdempotencyDecision.Replay.class);
        assertThat(begin(bob, derive)).isInstanceOf(IdempotencyDecision.Proceed.class);    // never alice's response
    }

    @Test
    void releasesTheKeyWhenTheUpstreamWasNeverReached() {
        proceed(post("acme", "k1", "a"), REQUIRED).release().toCompletableFuture().join();
        assertThat(begin(post("acme", "k1", "a"), REQUIRED)).isInstanceOf(IdempotencyDecision.Proceed.class);
    }

    @Test
    void stores5xxByDefaultAndReleasesThemWhenConfiguredNotTo() {
        proceed(post("acme", "k1", "a"), REQUIRED).complete(502, List.of(), new byte[0]);
        assertThat(begin(post("acme", "k1", "a"), REQUIRED)).isInstanceOf(IdempotencyDecision.Replay.class);
        var noStore = new IdempotencyConfig(IdempotencyMode.REQUIRED, false, Duration.ofSeconds(60), Duration.ZERO,
                Duration.ofHours(24), false, 1 << 20, FailMode.CLOSED);
        proceed(post("acme", "k2", "a"), noStore).complete(503, List.of(), new byte[0]).toCompletableFuture().join();
        assertThat(begin(post("acme", "k2", "a"), noStore)).isInstanceOf(IdempotencyDecision.Proceed.class);
    }

    @Test
    void finishesOversizedResponsesAsNotReplayable() {
        var small = new IdempotencyConfig(IdempotencyMode.REQUIRED, false, Duration.ofSeconds(60), Duration.ZERO,
                Duration.ofHours(24), true, 4, FailMode.CLOSED);
        proceed(post("acme", "k1", "a"), small).complete(201, List.of(), "too large".getBytes(StandardCharsets.UTF_8));
        IdempotencyDecision d = begin(post("acme", "k1", "a"), small);
        assertThat(problemType(d)).isEqualTo("idempotency-response-not-stored");
        assertThat(((IdempotencyDecision.Reject) d).problem().extensions()).containsEntry("original-status", 201);
    }

    @Test
    void aCrashedClaimFreesTheKeyAtItsDeadline() {
        var first = proceed(post("acme", "k1", "a"), REQUIRED);
        clock.advance(Duration.ofSeconds(61));
        var second = proceed(post("acme", "k1", "a"), REQUIRED);
        assertThat(first.complete(200, List.of(), new byte[0]).toCompletableFuture().join()).isFalse();
        assertThat(second.complete(200, List.of(), new byte[0]).toCompletableFuture().join()).isTrue();
    }

    @Test
    void expiresRecordsAfterTheTtl() {
        proceed(post("acme", "k1", "a"), REQUIRED).complete(200, List.of(), new byte[0]);
        clock.advance(Duration.ofHours(24).minusSeconds(1));
        assertThat(begin(post("acme", "k1", "a"), REQUIRED)).isInstanceOf(IdempotencyDecision.Replay.class);
        clock.advance(Duration.ofSeconds(1));
        assertThat(store.purgeExpired()).isEqualTo(1);
        assertThat(store.size()).isZero();
        assertThat(begin(post("acme", "k1", "a"), REQUIRED)).isInstanceOf(IdempotencyDecision.Proceed.class);
    }

    @Test
    void tenantsNeverSeeEachOthersRecords() {
        proceed(post("acme", "k1", "a"), REQUIRED).complete(200, List.of(), "acme".getBytes(StandardCharsets.UTF_8));
        assertThat(begin(post("globex", "k1", "a"), REQUIRED)).isInstanceOf(IdempotencyDecision.Proceed.class);
        assertThat(begin(post("globex", "k1", "b"), REQUIRED)).isInstanceOf(IdempotencyDecision.Reject.class);  // globex's own in-flight
    }

    @Test
    void fiftyConcurrentClaimsOnTheEmbeddedStoreHaveExactlyOneWinner() throws Exception {
        var pool = Executors.newFixedThreadPool(8);
        var go = new java.util.concurrent.CountDownLatch(1);
        List<java.util.concurrent.Future<IdempotencyDecision>> all = new java.util.ArrayList<>();
        for (int i = 0; i < 50; i++) {
            all.add(pool.submit(() -> {
                go.await();
                return begin(post("acme", "race", "x"), REQUIRED);
            }));
        }
        go.countDown();
        int winners = 0;
        for (var f : all) {
            IdempotencyDecision d = f.get(10, TimeUnit.SECONDS);
            if (d instanceof IdempotencyDecision.Proceed) winners++;
            else assertThat(problemType(d)).isEqualTo("idempotency-key-in-flight");
        }
        pool.shutdown();
        assertThat(winners).isEqualTo(1);
    }

    @Test
    void replaysAfterTheStoreIsClosedAndReopened() {
        proceed(post("acme", "k1", "a"), REQUIRED).complete(201, HEADERS, "created".getBytes(StandardCharsets.UTF_8))
                .toCompletableFuture().join();
        var inFlight = proceed(post("acme", "k2", "a"), REQUIRED);
        store.close();

        store = EmbeddedIdempotencyStore.open(dir.resolve("idem.mv.db"), clock);
        engine = new IdempotencyEngine(store, scheduler);
        IdempotencyDecision d = begin(post("acme", "k1", "a"), REQUIRED);
        assertThat(d).isInstanceOf(IdempotencyDecision.Replay.class);
        assertThat(((IdempotencyDecision.Replay) d).response().body()).asString(StandardCharsets.UTF_8).isEqualTo("created");
        assertThat(problemType(begin(post("acme", "k2", "a"), REQUIRED))).isEqualTo("idempotency-key-in-flight");
        assertThat(inFlight.key().key()).isEqualTo("k2");
    }
}
