package dev.vigil.load.engine;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Wakes each worker's event loop when its next arrival is due. Netty's own timers on NIO round up to whole
 * milliseconds, which would add up to 1 ms to every open-model latency; {@link LockSupport#parkNanos} wakes within
 * tens of microseconds. Due arrivals are handed over in batches (a worker sends all that are due when woken), so
 * the pacer never wakes more than once per worker per pause, however high the rate.
 *
 * <p>Hand-over protocol (Dekker style, on volatiles): while scanning, {@code plannedWake} is MAX, so a worker that
 * publishes a wake-up time meanwhile always unparks the pacer, and one that publishes later compares against the
 * time the pacer will really wake.
 */
final class Pacer implements Runnable {
    private static final long MAX_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
    private final Worker[] workers;
    private volatile long plannedWake = Long.MAX_VALUE;
    private volatile boolean running = true;
    private volatile Thread thread;

    Pacer(Worker[] workers) {
        this.workers = workers;
    }

    void start() {
        Thread t = new Thread(this, "vigil-pacer");
        t.setDaemon(true);
        t.setPriority(Thread.MAX_PRIORITY);
        thread = t;
        t.start();
    }

    void stop() {
        running = false;
        Thread t = thread;
        if (t != null) LockSupport.unpark(t);
    }

    /** Called by a worker that has published {@code wakeAtNanos}: makes sure the pacer wakes by then. */
    void wakeNoLaterThan(long wakeAtNanos) {
        if (wakeAtNanos < plannedWake) {
            Thread t = thread;
            if (t != null) LockSupport.unpark(t);
        }
    }

    @Override public void run() {
        while (running) {
            plannedWake = Long.MAX_VALUE;
            long now = System.nanoTime();
            long next = now + MAX_PARK_NANOS;
            for (Worker w : workers) {
                long due = w.wakeAtNanos;
                if (due <= now) {
                    if (w.wakePending.compareAndSet(false, true)) w.loop.execute(w.drainTask);
                } else if (due < next) {
                    next = due;
                }
            }
            plannedWake = next;
            long pause = next - System.nanoTime();
            if (pause > 0) LockSupport.parkNanos(this, pause);
        }
    }
}
