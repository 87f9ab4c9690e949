package dev.vigil.slo.spec;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * An exact fraction in [0, 1], written in files as a percentage ({@code 99.9%}). Decimal, so that
 * {@code 100% - 99.9%} is exactly {@code 0.1%}.
 */
public record Ratio(BigDecimal fraction) implements Comparable<Ratio> {
    public static final Ratio ZERO = new Ratio(BigDecimal.ZERO);
    public static final Ratio ONE = new Ratio(BigDecimal.ONE);

    public Ratio {
        if (fraction == null || fraction.signum() < 0 || fraction.compareTo(BigDecimal.ONE) > 0) {
            throw new IllegalArgumentException("a ratio must be between 0% and 100%: " + fraction);
        }
        fraction = fraction.stripTrailingZeros();
    }

    public static Ratio ofPercent(String percent) {
        return new Ratio(new BigDecimal(percent).movePointLeft(2));
    }

    /** 1 − this, exactly. */
    public Ratio complement() { return new Ratio(BigDecimal.ONE.subtract(fraction)); }

    public BigDecimal percent() { return fraction.movePointRight(2).stripTrailingZeros(); }

    public double doubleValue() { return fraction.doubleValue(); }

    @Override public int compareTo(Ratio o) { return fraction.compareTo(o.fraction); }

    /** {@code 99.9%}, never in exponent notation. */
    @Override public String toString() {
        BigDecimal p = percent();
        if (p.scale() < 0) p = p.setScale(0, RoundingMode.UNNECESSARY);
        return p.toPlainString() + "%";
    }
}
