package dev.vigil.gateway.policy.cache;

import dev.vigil.gateway.policy.state.RedisState;
import dev.vigil.gateway.policy.state.Script;
import io.lettuce.core.ScriptOutputType;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.LongAdder;

/**
 * L2 cache in Redis. Keys: {@code vigil:cache:{<sha256(host,path)>}:<sha256(key)>} plus one purge
 * generation per path {@code vigil:cache:{<sha256(host,path)>}:gen}; both share a hash tag, so each
 * read is one script in one Cluster slot. A purge increments the generation (one command, however
 * many entries the path has); older entries stop matching and expire by their TTL.
 *
 * <p>Known race: an instance that fetched before a purge on ANOTHER instance and stores after it
 * re-stores pre-purge content (at most until its TTL); the local instance guards against this itself.
 */
public final class RedisCacheL2 implements CacheL2 {

    private static final Script GET = Script.resource(RedisCacheL2.class, "get.lua");
    private static final Script PUT = Script.resource(RedisCacheL2.class, "put.lua");

    private final RedisState redis;
    private final String prefix;
    private final LongAdder errors = new LongAdder();

    public RedisCacheL2(RedisState redis) {
        this(redis, "vigil:cache:");
    }

    public RedisCacheL2(RedisState redis, String prefix) {
        this.redis = redis;
        this.prefix = prefix;
    }

    /** Reads or writes that failed (served as misses / not stored). */
    public long errors() { return errors.sum(); }

    @Override
    public CompletionStage<byte[]> get(String pathKey, String key) {
        return redis.eval(GET, ScriptOutputType.VALUE, keys(pathKey, key)).handle((v, e) -> {
            if (e != null) {
                errors.increment();
                return null;
            }
            return (byte[]) v;
        });
    }

    @Override
    public void put(String pathKey, String key, byte[] value, long ttlMillis) {
        redis.eval(PUT, ScriptOutputType.INTEGER, keys(pathKey, key), value, Long.toString(ttlMillis).getBytes(StandardCharsets.US_ASCII))
                .whenComplete((v, e) -> { if (e != null) errors.increment(); });
    }

    @Override
    public void purge(String pathKey) {
        byte[] gen = (prefix + tag(pathKey) + ":gen").getBytes(StandardCharsets.UTF_8);
        redis.call(cmd -> cmd.incr(gen).toCompletableFuture()).whenComplete((v, e) -> { if (e != null) errors.increment(); });
    }

    private byte[][] keys(String pathKey, String key) {
        String tag = tag(pathKey);
        return new byte[][] {
                (prefix + tag + ":gen").getBytes(StandardCharsets.UTF_8),
                (prefix + tag + ":" + sha256(key)).getBytes(StandardCharsets.UTF_8)};
    }

    private static String tag(String pathKey) {
        return "{" + sha256(pathKey) + "}";
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
