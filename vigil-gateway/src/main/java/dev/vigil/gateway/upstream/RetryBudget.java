package dev.vigil.gateway.upstream;

import dev.vigil.gateway.Ticker;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Caps retries at a fraction of requests, as Finagle's {@code RetryBudget} does: every request deposits
 * {@code ratio} of a token, every retry withdraws a whole one. Under a full outage retries therefore add at most
 * {@code ratio} extra load instead of multiplying it. The deposit balance is capped ({@code maxSaved}) so a long
 * calm spell cannot bank a retry storm.
 *
 * <p>Like Finagle's budget it also has a small floor of {@code minPerSecond} retries per second, refilled by time,
 * so a quiet gateway (where 20 % of almost nothing rounds to zero) can still retry a single failed request. Under
 * real load the floor is negligible: at 1 000 req/s a floor of 2/s is 0.2 % extra.
 *
 * <p>Thread-safe, lock-free; tokens are kept in thousandths so the arithmetic stays integral.
 */
public final class RetryBudget {
    private static final long ONE = 1000;
    private final long depositMillis;
    private final long capMillis;
    private final long floorCapMillis;
    private final long nanosPerFloorToken;
    private final Ticker ticker;
    private final AtomicLong balanceMillis = new AtomicLong();
    /** Ticker time at which the floor bucket is considered full; refill is computed lazily from it. */
    private final AtomicLong floorFullAtNanos;

    /**
     * @param ratio        retries allowed per request, 0..1 (0.2 = at most 20 % extra load)
     * @param maxSaved     most whole retries the deposit balance may hold at once
     * @param minPerSecond retries per second always allowed (0 for none)
     */
    public RetryBudget(double ratio, int maxSaved, int minPerSecond, Ticker ticker) {
        if (ratio < 0 || ratio > 1) throw new IllegalArgumentException("ratio must be 0..1: " + ratio);
        if (maxSaved < 0 || minPerSecond < 0) throw new IllegalArgumentException("maxSaved and minPerSecond must be >= 0");
        this.depositMillis = Math.round(ratio * ONE);
        this.capMillis = maxSaved * ONE;
        this.floorCapMillis = minPerSecond * ONE;
        this.nanosPerFloorToken = minPerSecond == 0 ? Long.MAX_VALUE : 1_000_000_000L / minPerSecond;
        this.ticker = ticker;
        this.floorFullAtNanos = new AtomicLong(ticker.nanoTime());
    }

    /** Called once per original (not retried) request. */
    public void deposit() {
        if (depositMillis == 0) return;
        long cur;
        do {
            cur = balanceMillis.get();
            if (cur >= capMillis) return;
        } while (!balanceMillis.compareAndSet(cur, Math.min(capMillis, cur + depositMillis)));
    }

    /** Takes one retry from the budget; false when it is spent. */
    public boolean tryWithdraw() {
        long cur;
        while ((cur = balanceMillis.get()) >= ONE) {
            if (balanceMillis.compareAndSet(cur, cur - ONE)) return true;
        }
        return tryFloor();
    }

    /**
     * The floor is a token bucket kept as "the time it will be full": a withdrawal pushes that time one token
     * later, and it may never lie more than the bucket's capacity in the future.
     */
    private boolean tryFloor() {
        if (floorCapMillis == 0) return false;
        long now = ticker.nanoTime();
        long capacityNanos = (floorCapMillis / ONE) * nanosPerFloorToken;
        while (true) {
            long fullAt = floorFullAtNanos.get();
            long base = Math.max(fullAt, now);
            long next = base + nanosPerFloorToken;
            if (next - now > capacityNanos) return false;
            if (floorFullAtNanos.compareAndSet(fullAt, next)) return true;
        }
    }
}
