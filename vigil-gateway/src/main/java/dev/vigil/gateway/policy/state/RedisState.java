package dev.vigil.gateway.policy.state;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;

/**
 * One Redis connection shared by every policy of a gateway instance, and the outage bookkeeping.
 *
 * <p>Guarantees: a command never waits longer than the command timeout; while Redis is unreachable
 * commands fail at once (Lettuce rejects them instead of queueing), so each policy can apply its
 * fail mode without adding latency. An outage is logged ONCE when it starts and once when it ends;
 * in between failures are only counted ({@link #failures()}). Recovery needs no restart: Lettuce
 * reconnects an established connection itself, and a connection that never came up (Redis down at
 * start) is retried at most once per {@code reconnectInterval} on the next command.
 *
 * <p>Thread-safe. Keys built by the policies carry a hash tag ({@link #tag}) so all keys of one
 * tenant live in one Redis Cluster slot.
 */
public final class RedisState implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(RedisState.class.getName());

    private final RedisClient client;
    private final RedisURI uri;
    private final Duration reconnectInterval;
    private final LongAdder failures = new LongAdder();
    private final LongAdder outages = new LongAdder();
    private final AtomicBoolean down = new AtomicBoolean();
    private final AtomicLong downSinceNanos = new AtomicLong();
    private final AtomicLong lastConnectAttemptNanos = new AtomicLong(Long.MIN_VALUE / 2);
    private volatile CompletableFuture<StatefulRedisConnection<byte[], byte[]>> connection;

    private RedisState(RedisURI uri, Duration commandTimeout, Duration reconnectInterval) {
        this.uri = uri;
        this.reconnectInterval = reconnectInterval;
        this.client = RedisClient.create();
        client.setOptions(ClientOptions.builder()
                .autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .timeoutOptions(TimeoutOptions.enabled(commandTimeout))
                .socketOptions(SocketOptions.builder().connectTimeout(commandTimeout.multipliedBy(4)).build())
                .build());
    }

    /**
     * @param uri            {@code redis://host:port} (the gateway file's {@code state:} value)
     * @param commandTimeout longest wait for one command, e.g. 100 ms; the connect timeout is 4× this
     */
    public static RedisState open(String uri, Duration commandTimeout) {
        RedisURI parsed = RedisURI.create(uri);
        parsed.setTimeout(commandTimeout);
        RedisState state = new RedisState(parsed, commandTimeout, Duration.ofSeconds(1));
        state.connect();
        return state;
    }

    /** Where this state lives, without credentials. */
    public String address() { return uri.getHost() + ":" + uri.getPort(); }

    /** Commands that failed because Redis was unreachable or too slow, since start. */
    public long failures() { return failures.sum(); }

    /** Outages seen since start (one per transition from reachable to unreachable). */
    public long outages() { return outages.sum(); }

    /** Whether the last command succeeded. */
    public boolean available() { return !down.get(); }

    /**
     * Runs one command. The returned stage completes exceptionally with {@link StateUnavailableException}
     * when Redis is unreachable or slow; the caller applies its fail mode.
     */
    public <T> CompletionStage<T> call(Function<RedisAsyncCommands<byte[], byte[]>, CompletionStage<T>> command) {
        CompletableFuture<StatefulRedisConnection<byte[], byte[]>> c = connection;
        if (c.isCompletedExceptionally()) c = connect();
        return c.thenCompose(conn -> command.apply(conn.async()))
                .handle((value, error) -> {
                    if (error == null) {
                        recovered();
                        return value;
                    }
                    // Any failure (unreachable, timeout, or an error reply such as LOADING) means the
                    // shared state cannot decide this request; the cause is in the outage log line.
                    Throwable cause = unwrap(error);
                    failed(cause);
                    throw new CompletionException(new StateUnavailableException("Redis at " + address() + " unavailable: " + cause, cause));
                });
    }

    /**
     * Runs a Lua script by SHA (EVALSHA), loading it once when Redis does not know it (first use,
     * restart, flush). The reply is a {@code List} of {@code Long}/{@code byte[]} for
     * {@link ScriptOutputType#MULTI}, a {@code Long} for {@link ScriptOutputType#INTEGER}.
     */
    public CompletionStage<Object> eval(Script script, ScriptOutputType type, byte[][] keys, byte[]... args) {
        return call(cmd -> cmd.<Object>evalsha(script.sha1(), type, keys, args).toCompletableFuture()
                .exceptionallyCompose(e -> {
                    if (unwrap(e) instanceof RedisNoScriptException) {
                        return cmd.scriptLoad(script.source()).toCompletableFuture()
                                .thenCompose(sha -> cmd.<Object>evalsha(sha, type, keys, args).toCompletableFuture());
                    }
                    return CompletableFuture.failedFuture(e);
                }));
    }

    /**
     * A Redis Cluster hash tag for {@code id}: {@code {id}} with braces and percent signs escaped,
     * so an identifier can never change which part of a key Redis hashes.
     */
    public static String tag(String id) {
        return "{" + id.replace("%", "%25").replace("{", "%7B").replace("}", "%7D") + "}";
    }

    private synchronized CompletableFuture<StatefulRedisConnection<byte[], byte[]>> connect() {
        CompletableFuture<StatefulRedisConnection<byte[], byte[]>> current = connection;
        if (current != null && !current.isCompletedExceptionally()) return current;
        long now = System.nanoTime();   // only throttles reconnect attempts
        if (current != null && now - lastConnectAttemptNanos.get() < reconnectInterval.toNanos()) return current;
        lastConnectAttemptNanos.set(now);
        CompletableFuture<StatefulRedisConnection<byte[], byte[]>> next =
                client.connectAsync(ByteArrayCodec.INSTANCE, uri).toCompletableFuture();
        next.whenComplete((conn, error) -> {
            if (error != null) failed(unwrap(error));
        });
        connection = next;
        return next;
    }

    private void failed(Throwable cause) {
        failures.increment();
        if (down.compareAndSet(false, true)) {
            outages.increment();
            downSinceNanos.set(System.nanoTime());
            LOG.log(System.Logger.Level.WARNING, "Redis at " + address() + " is unreachable (" + cause
                    + "); policies now apply their fail modes (fail-open: admit without the shared state, fail-closed: 503)"
                    + " until it recovers. Further failures are counted, not logged.");
        }
    }

    private void recovered() {
        if (down.get() && down.compareAndSet(true, false)) {
            long seconds = Duration.ofNanos(System.nanoTime() - downSinceNanos.get()).toSeconds();
            LOG.log(System.Logger.Level.INFO, "Redis at " + address() + " is reachable again after ~" + seconds
                    + " s; " + failures() + " failed commands since start.");
        }
    }

    static Throwable unwrap(Throwable t) {
        while ((t instanceof CompletionException || t instanceof java.util.concurrent.ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    @Override
    public void close() {
        CompletableFuture<StatefulRedisConnection<byte[], byte[]>> c = connection;
        if (c != null) c.thenAccept(StatefulRedisConnection::close);
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }
}
