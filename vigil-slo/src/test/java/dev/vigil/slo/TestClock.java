package dev.vigil.slo;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;

/** A clock tests move by hand. */
final class TestClock implements InstantSource {
    private volatile long millis;

    TestClock(Instant start) { this.millis = start.toEpochMilli(); }

    static TestClock at(String instant) { return new TestClock(Instant.parse(instant)); }

    @Override public long millis() { return millis; }

    @Override public Instant instant() { return Instant.ofEpochMilli(millis); }

    void advance(Duration d) { millis += d.toMillis(); }

    void set(Instant instant) { millis = instant.toEpochMilli(); }
}
