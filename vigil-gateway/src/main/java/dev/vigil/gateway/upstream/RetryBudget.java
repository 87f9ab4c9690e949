package dev.vigil.gateway.upstream;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Caps retries at a fraction of requests (Finagle's and Envoy's retry budget): every request deposits {@code ratio}
 * of a token, every retry withdraws a whole one. Under a full outage retries therefore add at most {@code ratio}
 * extra load instead of multiplying it. The balance is capped so a long quiet spell cannot bank a retry storm.
 *
 * <p>Thread-safe, lock-free; tokens are kept in thousandths so the arithmetic stays integral.
 */
public final class RetryBudget {
    private static final long ONE = 1000;
    private final long depositMillis;
    private final long capMillis;
    private final AtomicLong balanceMillis = new AtomicLong();

    /**
     * @param ratio    retries allowed per request, 0..1 (0.2 = at most 20% extra load)
     * @param maxSaved most whole retries the budget may hold at once
     */
    public RetryBudget(double ratio, int maxSaved) {
        if (ratio < 0 || ratio > 1) throw new IllegalArgumentException("ratio must be 0..1: " + ratio);
        this.depositMillis = Math.round(ratio * ONE);
        this.capMillis = maxSaved * ONE;
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
        do {
            cur = balanceMillis.get();
            if (cur < ONE) return false;
        } while (!balanceMillis.compareAndSet(cur, cur - ONE));
        return true;
    }
}
