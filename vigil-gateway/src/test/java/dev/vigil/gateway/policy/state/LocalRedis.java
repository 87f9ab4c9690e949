package dev.vigil.gateway.policy.state;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.UUID;

/**
 * The real Redis every Redis test uses: 127.0.0.1:6379 (CI starts it). Tests FAIL, never skip,
 * when it is down — a silently skipped shared-state test would hide exactly the bugs it exists for.
 */
public final class LocalRedis {
    public static final String URI = "redis://127.0.0.1:6379";
    public static final int PORT = 6379;

    private LocalRedis() {}

    /** Opens a state on the local Redis, failing with a clear message when it is not running. */
    public static RedisState open() {
        requireRunning();
        return RedisState.open(URI, Duration.ofSeconds(2));   // generous: the CI machine is shared
    }

    public static void requireRunning() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", PORT), 1000);
        } catch (IOException e) {
            throw new AssertionError("These tests need a real Redis on 127.0.0.1:" + PORT
                    + " (start one with `redis-server --port 6379`); it is not reachable: " + e, e);
        }
    }

    /** A key prefix no other test run uses, so runs never see each other's keys. */
    public static String uniquePrefix(String what) {
        return "vigil-test:" + what + ":" + UUID.randomUUID() + ":";
    }
}
