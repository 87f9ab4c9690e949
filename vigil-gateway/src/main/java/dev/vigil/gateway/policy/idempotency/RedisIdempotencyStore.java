package dev.vigil.gateway.policy.idempotency;

import dev.vigil.gateway.policy.Header;
import io.lettuce.core.ScriptOutputType;
import dev.vigil.gateway.policy.state.RedisState;
import dev.vigil.gateway.policy.state.Script;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletionStage;

/**
 * Idempotency records in Redis, shared by every gateway instance on that Redis.
 *
 * <p>Each operation is one round trip: claim, complete and release are Lua scripts (atomic: of 50
 * concurrent claims on several instances exactly one wins); lookup is one HMGET. A record is a hash
 * {@code vigil:idem:{<tenant>}:<sha256(route, key)>} — hash-tagged by tenant for Redis Cluster, the
 * client's key hashed so its length never matters. Expiry is Redis's own: the in-flight record
 * expires at its deadline, the completed one after the TTL.
 */
public final class RedisIdempotencyStore implements IdempotencyStore {

    private static final Script CLAIM = Script.resource(RedisIdempotencyStore.class, "claim.lua");
    private static final Script COMPLETE = Script.resource(RedisIdempotencyStore.class, "complete.lua");
    private static final Script RELEASE = Script.resource(RedisIdempotencyStore.class, "release.lua");
    private static final byte[][] FIELDS = {b("s"), b("fp"), b("st"), b("h"), b("b")};

    private final RedisState redis;
    private final String prefix;

    public RedisIdempotencyStore(RedisState redis) {
        this(redis, "vigil:idem:");
    }

    /** @param prefix key prefix; tests use their own */
    public RedisIdempotencyStore(RedisState redis, String prefix) {
        this.redis = redis;
        this.prefix = prefix;
    }

    @Override
    public CompletionStage<ClaimResult> claim(RecordKey key, byte[] fingerprint, long inFlightMillis) {
        String token = UUID.randomUUID().toString();
        return redis.eval(CLAIM, ScriptOutputType.MULTI, new byte[][] {redisKey(key)}, fingerprint, b(token), b(Long.toString(inFlightMillis)))
                .thenApply(reply -> {
                    List<?> r = (List<?>) reply;
                    return switch (s(r.get(0))) {
                        case "claimed" -> new ClaimResult.Claimed(token);
                        case "mismatch" -> ClaimResult.MISMATCH;
                        case "inflight" -> ClaimResult.IN_FLIGHT;
                        case "completed" -> new ClaimResult.Completed(response(r.get(1), r.get(2), r.get(3)));
                        default -> new ClaimResult.NotReplayable(Integer.parseInt(s(r.get(1))));
                    };
                });
    }

    @Override
    public CompletionStage<ClaimResult> lookup(RecordKey key, byte[] fingerprint) {
        byte[] k = redisKey(key);
        return redis.call(cmd -> cmd.hmget(k, FIELDS).toCompletableFuture()).thenApply(values -> {
            byte[][] v = new byte[FIELDS.length][];
            for (int i = 0; i < values.size(); i++) v[i] = values.get(i).getValueOrElse(null);
            if (v[0] == null) return ClaimResult.ABSENT;
            if (!MessageDigest.isEqual(v[1], fingerprint)) return ClaimResult.MISMATCH;
            return switch (s(v[0])) {
                case "1" -> ClaimResult.IN_FLIGHT;
                case "2" -> new ClaimResult.Completed(response(v[2], v[3], v[4]));
                default -> new ClaimResult.NotReplayable(Integer.parseInt(s(v[2])));
            };
        });
    }

    @Override
    public CompletionStage<Boolean> complete(RecordKey key, String token, int status, StoredResponse response, long ttlMillis) {
        byte[] headers = response == null ? new byte[0] : RecordCodec.encodeHeaders(response.headers());
        byte[] body = response == null ? new byte[0] : response.body();
        return redis.eval(COMPLETE, ScriptOutputType.INTEGER, new byte[][] {redisKey(key)}, b(token), b(response == null ? "3" : "2"),
                        b(Integer.toString(status)), headers, body, b(Long.toString(ttlMillis)))
                .thenApply(reply -> ((Long) reply) == 1L);
    }

    @Override
    public CompletionStage<Void> release(RecordKey key, String token) {
        return redis.eval(RELEASE, ScriptOutputType.INTEGER, new byte[][] {redisKey(key)}, b(token)).thenApply(reply -> null);
    }

    private byte[] redisKey(RecordKey key) {
        byte[] digest = sha256((key.route().length() + ":" + key.route() + key.key()).getBytes(StandardCharsets.UTF_8));
        return b(prefix + RedisState.tag(key.tenant()) + ":" + HexFormat.of().formatHex(digest));
    }

    private static StoredResponse response(Object status, Object headers, Object body) {
        List<Header> h = RecordCodec.decodeHeaders((byte[]) headers);
        return new StoredResponse(Integer.parseInt(s(status)), h, (byte[]) body);
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] b(String s) { return s.getBytes(StandardCharsets.UTF_8); }

    private static String s(Object o) { return new String((byte[]) o, StandardCharsets.UTF_8); }

    @Override
    public void close() {
        // the RedisState is shared; its owner closes it
    }

    @Override
    public String toString() { return "RedisIdempotencyStore[" + redis.address() + ", " + prefix + "]"; }
}
