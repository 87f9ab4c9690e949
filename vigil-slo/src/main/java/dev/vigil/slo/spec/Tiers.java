package dev.vigil.slo.spec;

import dev.vigil.slo.Tier;

/**
 * Three thresholds for one objective. For lower-is-better quantities (latency, error rate)
 * {@code target <= acceptable <= critical}; for higher-is-better ones (availability, hit ratio)
 * {@code target >= acceptable >= critical}. The parser fills a missing tier with the next stricter one.
 */
public record Tiers<T extends Comparable<T>>(T target, T acceptable, T critical, Direction direction) {
    public enum Direction { LOWER_IS_BETTER, HIGHER_IS_BETTER }

    public Tiers {
        if (target == null || acceptable == null || critical == null || direction == null) {
            throw new IllegalArgumentException("all tiers are required");
        }
        if (!atLeastAsGood(target, acceptable, direction) || !atLeastAsGood(acceptable, critical, direction)) {
            throw new IllegalArgumentException("tiers out of order: target " + target + ", acceptable " + acceptable
                    + ", critical " + critical + (direction == Direction.LOWER_IS_BETTER
                    ? " (need target <= acceptable <= critical)" : " (need target >= acceptable >= critical)"));
        }
    }

    /** The best tier that {@code measured} meets. */
    public Tier classify(T measured) {
        if (atLeastAsGood(measured, target, direction)) return Tier.TARGET;
        if (atLeastAsGood(measured, acceptable, direction)) return Tier.ACCEPTABLE;
        if (atLeastAsGood(measured, critical, direction)) return Tier.CRITICAL;
        return Tier.BREACH;
    }

    /** a is at least as good as b (the file reader checks tier order with it too). */
    static <T extends Comparable<T>> boolean atLeastAsGood(T a, T b, Direction d) {
        int c = a.compareTo(b);
        return d == Direction.LOWER_IS_BETTER ? c <= 0 : c >= 0;
    }
}
