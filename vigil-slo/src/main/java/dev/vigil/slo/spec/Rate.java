package dev.vigil.slo.spec;

/** A request rate in requests per second, written in files as {@code 10k rps}, {@code 2.5M rps}, {@code 500 rpm}. */
public record Rate(double perSecond) implements Comparable<Rate> {
    public Rate {
        if (!(perSecond >= 0) || Double.isInfinite(perSecond)) throw new IllegalArgumentException("a rate must be >= 0: " + perSecond);
    }
    @Override public int compareTo(Rate o) { return Double.compare(perSecond, o.perSecond); }
}
