package dev.vigil.load.sample;

import java.time.InstantSource;
import java.util.Locale;
import java.util.Objects;

/**
 * How to run the {@link SampleBackend}.
 *
 * @param host                 address to bind; loopback by default, since the backend exists to be load-tested locally
 * @param port                 TCP port, 0 for any free port (read the real one from {@link SampleBackend#port()})
 * @param serviceTime          service-time distribution of every API request ({@code /healthz} is always immediate)
 * @param errorRate            fraction (0..1) of API requests answered with an injected 500 or 503; an injected
 *                             failure never changes state, so retrying it is always safe
 * @param honourIdempotencyKey when true, a repeated {@code POST /users/{id}/points} with the same
 *                             {@code Idempotency-Key} replays the first answer instead of awarding points again;
 *                             when false (the default, like most real backends) it is applied again and counted in
 *                             the user's {@code duplicateWrites}, so a test can prove double application
 * @param maxBodyBytes         largest accepted request body; larger bodies get 413
 * @param eventLoopThreads     Netty event-loop threads
 * @param clock                source of {@code createdAt}/{@code updatedAt} timestamps
 */
public record SampleBackendConfig(String host, int port, ServiceTime serviceTime, double errorRate,
                                  boolean honourIdempotencyKey, int maxBodyBytes, int eventLoopThreads,
                                  InstantSource clock) {

    public static final int DEFAULT_MAX_BODY_BYTES = 64 * 1024;

    public SampleBackendConfig {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(serviceTime, "serviceTime");
        Objects.requireNonNull(clock, "clock");
        if (host.isBlank()) {
            throw new IllegalArgumentException("host must not be blank");
        }
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port must be 0..65535, got " + port);
        }
        if (!(errorRate >= 0 && errorRate <= 1)) {
            throw new IllegalArgumentException("error rate must be between 0% and 100%, got " + errorRate);
        }
        if (maxBodyBytes < 1 || maxBodyBytes > 16 * 1024 * 1024) {
            throw new IllegalArgumentException("maxBodyBytes must be 1..16MiB, got " + maxBodyBytes);
        }
        if (eventLoopThreads < 1) {
            throw new IllegalArgumentException("eventLoopThreads must be at least 1, got " + eventLoopThreads);
        }
    }

    /** 127.0.0.1 on a free port, no added service time, no errors, one event loop per core. */
    public static SampleBackendConfig defaults() {
        return new SampleBackendConfig("127.0.0.1", 0, ServiceTime.none(), 0.0, false, DEFAULT_MAX_BODY_BYTES,
                Runtime.getRuntime().availableProcessors(), InstantSource.system());
    }

    public SampleBackendConfig withHost(String host) {
        return new SampleBackendConfig(host, port, serviceTime, errorRate, honourIdempotencyKey, maxBodyBytes,
                eventLoopThreads, clock);
    }

    public SampleBackendConfig withPort(int port) {
        return new SampleBackendConfig(host, port, serviceTime, errorRate, honourIdempotencyKey, maxBodyBytes,
                eventLoopThreads, clock);
    }

    public SampleBackendConfig withServiceTime(ServiceTime serviceTime) {
        return new SampleBackendConfig(host, port, serviceTime, errorRate, honourIdempotencyKey, maxBodyBytes,
                eventLoopThreads, clock);
    }

    public SampleBackendConfig withErrorRate(double errorRate) {
        return new SampleBackendConfig(host, port, serviceTime, errorRate, honourIdempotencyKey, maxBodyBytes,
                eventLoopThreads, clock);
    }

    public SampleBackendConfig withHonourIdempotencyKey(boolean honour) {
        return new SampleBackendConfig(host, port, serviceTime, errorRate, honour, maxBodyBytes,
                eventLoopThreads, clock);
    }

    public SampleBackendConfig withMaxBodyBytes(int maxBodyBytes) {
        return new SampleBackendConfig(host, port, serviceTime, errorRate, honourIdempotencyKey, maxBodyBytes,
                eventLoopThreads, clock);
    }

    public SampleBackendConfig withEventLoopThreads(int eventLoopThreads) {
        return new SampleBackendConfig(host, port, serviceTime, errorRate, honourIdempotencyKey, maxBodyBytes,
                eventLoopThreads, clock);
    }

    public SampleBackendConfig withClock(InstantSource clock) {
        return new SampleBackendConfig(host, port, serviceTime, errorRate, honourIdempotencyKey, maxBodyBytes,
                eventLoopThreads, clock);
    }

    /**
     * Parses an error rate: {@code 1%}, {@code 0.5%} or a fraction such as {@code 0.01}.
     *
     * @throws IllegalArgumentException naming what is allowed
     */
    public static double parseErrorRate(String text) {
        String t = text.strip().toLowerCase(Locale.ROOT);
        boolean percent = t.endsWith("%");
        double value;
        try {
            value = Double.parseDouble(percent ? t.substring(0, t.length() - 1).strip() : t);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("error rate '" + text + "' is not a number; use e.g. 1% or 0.01");
        }
        double fraction = percent ? value / 100 : value;
        if (!(fraction >= 0 && fraction <= 1)) {
            throw new IllegalArgumentException("error rate '" + text + "' must be between 0% and 100%");
        }
        return fraction;
    }
}
