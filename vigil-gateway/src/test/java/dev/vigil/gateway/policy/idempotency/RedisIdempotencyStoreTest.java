package dev.vigil.gateway.policy.idempotency;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.gateway.policy.FailMode;
import dev.vigil.gateway.policy.Header;
import dev.vigil.gateway.policy.state.LocalRedis;
import dev.vigil.gateway.policy.state.RedisState;
import dev.vigil.gateway.policy.state.TcpProxy;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("redis")
class RedisIdempotencyStoreTest {

    final List<AutoCloseable> closeables = new ArrayList<>();
    final String prefix = LocalRedis.uniquePrefix("idem");
    final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : closeables.reversed()) c.close();
        scheduler.shutdownNow();
    }

    RedisIdempotencyStore store() {
        RedisState s = LocalRedis.open();
        closeables.add(s);
        return new RedisIdempotencyStore(s, prefix);
    }

    static IdempotencyRequest post(String key, String body) {
        return IdempotencyRequest.of("acme", "orders", "POST", "/orders", key, body.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void fiftyConcurrentClaimsOnTwoInstancesHaveExactlyOneWinner() throws Exception {
        var engines = List.of(new IdempotencyEngine(store(), scheduler), new IdempotencyEngine(store(), scheduler));
        var cfg = IdempotencyConfig.defaults(IdempotencyMode.REQUIRED);
        ExecutorService pool = Executors.newFixedThreadPool(16);
        CountDownLatch go = new CountDownLatch(1);
        List<CompletableFuture<IdempotencyDecision>> decisions = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            IdempotencyEngine e = engines.get(i % 2);
            decisions.add(CompletableFuture.supplyAsync(() -> {
                try { go.await(); } catch (InterruptedException ex) { throw new IllegalStateException(ex); }
                IdempotencyDecision d = e.begin(post("pay-1", "{\"amount\":10}"), cfg).toCompletableFuture().join();
                if (d instanceof IdempotencyDecision.Proceed p) {
                    p.ticket().complete(201, List.of(new Header("Content-Type", "text/plain")),
                            "paid".getBytes(StandardCharsets.UTF_8)).toCompletableFuture().join();
                }
                return d;
            }, pool));
        }
        go.countDown();
        CompletableFuture.allOf(decisions.toArray(CompletableFuture[]::new)).get(20, TimeUnit.SECONDS);
        pool.shutdown();
        long winners = decisions.stream().map(CompletableFuture::join).filter(d -> d instanceof IdempotencyDecision.Proceed).count();
        assertThat(winners).isEqualTo(1);
        for (var f : decisions) {
            IdempotencyDecision d = f.join();
            if (d instanceof IdempotencyDecision.Reject r) {
                assertThat(r.problem().status()).isEqualTo(409);
            } else if (d instanceof IdempotencyDecision.Replay r) {
                assertThat(r.response().body()).asString(StandardCharsets.UTF_8).isEqualTo("paid");
            } else {
                assertThat(d).isInstanceOf(IdempotencyDecision.Proceed.class);
            }
        }
        // after completion, every instance replays
        for (IdempotencyEngine e : engines) {
            IdempotencyDecision d = e.begin(post("pay-1", "{\"amount\":10}"), cfg).toCompletableFuture().join();
            assertThat(d).isInstanceOf(IdempotencyDecision.Replay.class);
            assertThat(((IdempotencyDecision.Replay) d).response().replayHeaders())
                    .containsExactly(new Header("Content-Type", "text/plain"), new Header("Idempotent-Replayed", "true"));
        }
    }

    @Test
    void aDuplicateOnAnotherInstanceWaitsForTheOriginalsResult() {
        var waiting = new IdempotencyConfig(IdempotencyMode.REQUIRED, false, Duration.ofSeconds(60), Duration.ofSeconds(5),
                Duration.ofHours(24), true, 1 << 20, FailMode.CLOSED);
        var a = new IdempotencyEngine(store(), scheduler);
        var b = new IdempotencyEngine(store(), scheduler);
        var original = (IdempotencyDecision.Proceed) a.begin(post("slow-1", "x"), waiting).toCompletableFuture().join();
        var duplicate = b.begin(post("slow-1", "x"), waiting).toCompletableFuture();
        scheduler.schedule(() -> original.ticket().complete(202, List.of(), "accepted".getBytes(StandardCharsets.UTF_8)),
                100, TimeUnit.MILLISECONDS);
        IdempotencyDecision d = duplicate.orTimeout(10, TimeUnit.SECONDS).join();
        assertThat(d).isInstanceOf(IdempotencyDecision.Replay.class);
        assertThat(((IdempotencyDecision.Replay) d).response().status()).isEqualTo(202);
    }

    @Test
    void keepsTheSameStateMachineAsTheEmbeddedStore() {
        var store = store();
        RecordKey key = new RecordKey("acme", "orders", "k1");
        byte[] fp = post("k1", "a").fingerprint();
        byte[] other = post("k1", "b").fingerprint();
        assertThat(store.lookup(key, fp).toCompletableFuture().join()).isEqualTo(ClaimResult.ABSENT);
        var claim = (ClaimResult.Claimed) store.claim(key, fp, 60_000).toCompletableFuture().join();
        assertThat(store.claim(key, fp, 60_000).toCompletableFuture().join()).isEqualTo(ClaimResult.IN_FLIGHT);
        assertThat(store.claim(key, other, 60_000).toCompletableFuture().join()).isEqualTo(ClaimResult.MISMATCH);
        assertThat(store.complete(key, "not-mine", 200, null, 60_000).toCompletableFuture().join()).isFalse();
        byte[] binary = {0, (byte) 0xff, 10, 13, 0};
        assertThat(store.complete(key, claim.token(), 200, new StoredResponse(200, List.of(), binary), 60_000)
                .toCompletableFuture().join()).isTrue();
        var found = (ClaimResult.Completed) store.lookup(key, fp).toCompletableFuture().join();
        assertThat(found.response().body()).containsExactly(binary);
        assertThat(store.lookup(new RecordKey("globex", "orders", "k1"), fp).toCompletableFuture().join()).isEqualTo(ClaimResult.ABSENT);

        RecordKey big = new RecordKey("acme", "orders", "k2");
        var c2 = (ClaimResult.Claimed) store.claim(big, fp, 60_000).toCompletableFuture().join();
        store.complete(big, c2.token(), 201, null, 60_000).toCompletableFuture().join();
        assertThat(store.claim(big, fp, 60_000).toCompletableFuture().join()).isEqualTo(new ClaimResult.NotReplayable(201));
    }

    @Test
    void anExpiredClaimNoLongerLocksTheKey() throws Exception {
        var store = store();
        RecordKey key = new RecordKey("acme", "orders", "k1");
        byte[] fp = post("k1", "a").fingerprint();
        var first = (ClaimResult.Claimed) store.claim(key, fp, 100).toCompletableFuture().join();
        Thread.sleep(150);
        assertThat(store.claim(key, fp, 60_000).toCompletableFuture().join()).isInstanceOf(ClaimResult.Claimed.class);
        assertThat(store.complete(key, first.token(), 200, null, 60_000).toCompletableFuture().join()).isFalse();
        var released = (ClaimResult.Claimed) store.claim(new RecordKey("acme", "orders", "k3"), fp, 60_000).toCompletableFuture().join();
        store.release(new RecordKey("acme", "orders", "k3"), released.token()).toCompletableFuture().join();
        assertThat(store.lookup(new RecordKey("acme", "orders", "k3"), fp).toCompletableFuture().join()).isEqualTo(ClaimResult.ABSENT);
    }

    @Test
    void failsClosedWith503OrOpenWhenRedisIsUnreachable() throws Exception {
        TcpProxy proxy = new TcpProxy(LocalRedis.PORT);
        closeables.add(proxy);
        RedisState state = RedisState.open(proxy.uri(), Duration.ofMillis(200));
        closeables.add(state);
        var engine = new IdempotencyEngine(new RedisIdempotencyStore(state, prefix), scheduler);
        var warmUp = engine.begin(post("warm-up", "a"), IdempotencyConfig.defaults(IdempotencyMode.REQUIRED)).toCompletableFuture().join();
        assertThat(warmUp).isInstanceOf(IdempotencyDecision.Proceed.class);
        proxy.stop();
        // completing while Redis is gone fails visibly and is counted; the claim then frees itself at its deadline
        assertThat(((IdempotencyDecision.Proceed) warmUp).ticket().complete(200, List.of(), new byte[0]).toCompletableFuture())
                .failsWithin(Duration.ofSeconds(5));
        var closed = IdempotencyConfig.defaults(IdempotencyMode.REQUIRED);
        IdempotencyDecision d = engine.begin(post("k1", "a"), closed).toCompletableFuture().join();
        assertThat(((IdempotencyDecision.Reject) d).problem().status()).isEqualTo(503);
        var open = new IdempotencyConfig(IdempotencyMode.REQUIRED, false, Duration.ofSeconds(60), Duration.ZERO,
                Duration.ofHours(24), true, 1 << 20, FailMode.OPEN);
        assertThat(engine.begin(post("k1", "a"), open).toCompletableFuture().join()).isEqualTo(new IdempotencyDecision.Bypass(true));
        assertThat(engine.storeFailures()).isEqualTo(3);
    }
}
