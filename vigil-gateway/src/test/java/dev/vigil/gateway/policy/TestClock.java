package dev.vigil.gateway.policy;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.atomic.AtomicReference;

/** A clock the test moves by hand. */
public final class TestClock implements InstantSource {
    private final AtomicReference<Instant> now;

    public TestClock(Instant start) { this.now = new AtomicReference<>(start); }

    public static TestClock at(String iso) { return new TestClock(Instant.parse(iso)); }

    @Override public Instant instant() { return now.get(); }

    public void advance(Duration d) { now.updateAndGet(i -> i.plus(d)); }

    public void set(Instant i) { now.set(i); }
}
