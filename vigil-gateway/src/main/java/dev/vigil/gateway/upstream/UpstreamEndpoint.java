package dev.vigil.gateway.upstream;

import dev.vigil.gateway.Ticker;
import dev.vigil.gateway.config.Endpoint;
import dev.vigil.gateway.config.PassiveHealth;

import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The live state of one upstream endpoint: health (active and passive), requests in flight and its connection pool.
 *
 * <p>An endpoint takes traffic when the active check (if any) says healthy and it is not ejected. Passive ejection
 * follows Envoy's outlier detection: {@code consecutiveFailures} connect errors, timeouts or 5xx in a row eject it for
 * the ejection period; afterwards it is re-admitted, and one more failure streak ejects it again.
 *
 * <p>Thread-safe: counters are atomics, health flags volatile.
 */
public final class UpstreamEndpoint {
    private final Endpoint address;
    private final String label;
    private final InetSocketAddress socketAddress;
    private final PassiveHealth passive;
    private final Ticker ticker;
    private final AtomicInteger outstanding = new AtomicInteger();
    private final AtomicInteger consecutiveFailures = new AtomicInteger();
    private final AtomicLong ejections = new AtomicLong();
    private volatile boolean activeHealthy = true;
    private volatile long ejectedUntilNanos;
    private volatile boolean ejected;
    /** Where attempts to this endpoint are reported; bound by the gateway to its metrics, a no-op until then. */
    private volatile UpstreamObserver observer = UpstreamObserver.NONE;
    // Touched only by the health checker's thread.
    int checkPasses;
    int checkFailures;
    final ConnectionPool connections;

    UpstreamEndpoint(Endpoint address, PassiveHealth passive, Ticker ticker, int maxConnections, long idleTimeoutNanos) {
        this.address = address;
        this.label = address.toString();
        // Resolved once when the config is loaded; a reload re-resolves.
        this.socketAddress = new InetSocketAddress(address.host(), address.port());
        this.passive = passive;
        this.ticker = ticker;
        this.connections = new ConnectionPool(this, maxConnections, idleTimeoutNanos, ticker);
    }

    public Endpoint address() { return address; }

    InetSocketAddress socketAddress() { return socketAddress; }

    /** Whether the endpoint may take a new request now. */
    public boolean available() {
        if (!activeHealthy) return false;
        if (ejected) {
            if (ticker.nanoTime() - ejectedUntilNanos < 0) return false;
            ejected = false; // re-admitted on probation: the next failure streak ejects again
            consecutiveFailures.set(0);
        }
        return true;
    }

    public boolean activeHealthy() { return activeHealthy; }

    public boolean ejected() { return ejected && ticker.nanoTime() - ejectedUntilNanos < 0; }

    public int outstanding() { return outstanding.get(); }

    public long ejections() { return ejections.get(); }

    public ConnectionPool connections() { return connections; }

    public UpstreamObserver observer() { return observer; }

    /** Binds the endpoint's per-attempt telemetry (the gateway does so for each pool it builds). */
    public void observer(UpstreamObserver o) { this.observer = Objects.requireNonNull(o); }

    public void requestStarted() { outstanding.incrementAndGet(); }

    public void requestFinished() { outstanding.decrementAndGet(); }

    /** A response that counts as healthy (anything but a 5xx). */
    public void recordSuccess() {
        if (consecutiveFailures.get() != 0) consecutiveFailures.set(0);
    }

    /** A connect error, timeout, reset or 5xx. */
    public void recordFailure() {
        if (consecutiveFailures.incrementAndGet() >= passive.consecutiveFailures() && !ejected) {
            ejectedUntilNanos = ticker.nanoTime() + passive.ejection().toNanos();
            ejected = true;
            ejections.incrementAndGet();
            consecutiveFailures.set(0);
        }
    }

    void activeResult(boolean passed, int healthyThreshold, int unhealthyThreshold) {
        if (passed) {
            checkFailures = 0;
            if (++checkPasses >= healthyThreshold && !activeHealthy) {
                activeHealthy = true;
                ejected = false;
                consecutiveFailures.set(0);
            }
        } else {
            checkPasses = 0;
            if (++checkFailures >= unhealthyThreshold) activeHealthy = false;
        }
    }

    /** {@code host:port}, computed once: it labels every request in the access log and metrics. */
    @Override public String toString() { return label; }
}
