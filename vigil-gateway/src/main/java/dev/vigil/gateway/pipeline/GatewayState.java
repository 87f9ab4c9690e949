package dev.vigil.gateway.pipeline;

import java.util.concurrent.atomic.AtomicInteger;

/** Process-wide gateway state the pipeline consults: requests in flight and whether a shutdown is draining. */
public final class GatewayState {
    private final AtomicInteger inFlight = new AtomicInteger();
    private volatile boolean draining;

    public int inFlight() { return inFlight.get(); }

    public boolean draining() { return draining; }

    /** From now on every response closes its connection, so keep-alive clients move elsewhere. */
    public void startDraining() { draining = true; }

    void requestStarted() { inFlight.incrementAndGet(); }

    void requestFinished() { inFlight.decrementAndGet(); }
}
