package dev.vigil.gateway;

/**
 * A source of nanosecond time for durations (like Guava's and Netty's {@code Ticker}). Only differences between two
 * readings mean anything. Injected wherever a test needs to control time (ejection periods, health thresholds).
 */
@FunctionalInterface
public interface Ticker {
    Ticker SYSTEM = System::nanoTime;

    long nanoTime();
}
