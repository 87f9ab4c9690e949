package dev.vigil.slo.config;

import dev.vigil.slo.spec.Rate;
import dev.vigil.slo.spec.Ratio;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses the quantities people write in Vigil's files and flags: durations ({@code 150ms}, {@code 1m30s}),
 * percentages ({@code 99.9%}), request rates ({@code 10k rps}) and byte sizes ({@code 6MB}, {@code 512KiB}).
 *
 * <p>Every number is read as a decimal, so {@code 99.9%} is exactly 999/1000 and {@code 1.5ms} exactly
 * 1 500 000 ns. Units are required (a bare {@code 0} excepted): a file that says {@code timeout: 5} is
 * ambiguous, and the error says what to write instead. Each method throws {@link IllegalArgumentException}
 * whose message is meant for a person; {@link ConfigNode} adds the file position.
 */
public final class Quantities {
    private Quantities() {}

    /** What a duration may look like, for error messages. */
    public static final String DURATION_HELP = "a duration like 150ms, 2s, 1m30s, 1h or 7d (units: ns, us, ms, s, m, h, d)";
    public static final String PERCENT_HELP = "a percentage from 0% to 100% like 99.9%";
    public static final String RATE_HELP = "a rate like 200 rps, 10k rps, 1.5M rpm or 500 rph";
    public static final String BYTES_HELP = "a size like 512B, 64KB, 6MB, 512KiB or 2GiB (KB = 1000 bytes, KiB = 1024 bytes)";

    private static final Pattern NUMBER = Pattern.compile("[0-9]+(?:\\.[0-9]+)?|\\.[0-9]+");
    private static final Pattern DURATION_PART = Pattern.compile("\\s*(" + NUMBER.pattern() + ")\\s*(ns|us|µs|ms|s|min|m|h|d)(?![a-zA-Z])");
    private static final Pattern PERCENT = Pattern.compile("\\s*([+-]?(?:" + NUMBER.pattern() + "))\\s*%\\s*");
    private static final Pattern RATE = Pattern.compile("\\s*(" + NUMBER.pattern() + ")\\s*([kKM]?)\\s*(rps|rpm|rph|req/s|req/min|req/h|/s|/min|/m|/h)\\s*");
    private static final Pattern BYTES = Pattern.compile("\\s*(" + NUMBER.pattern() + ")\\s*([a-zA-Z]*)\\s*");

    /** Units in the order a compound duration must list them (largest first), with their length in ns. */
    private static final String[] DURATION_UNITS = {"d", "h", "m", "s", "ms", "us", "ns"};
    private static final long[] DURATION_NANOS = {86_400_000_000_000L, 3_600_000_000_000L, 60_000_000_000L,
            1_000_000_000L, 1_000_000L, 1_000L, 1L};

    private static final Map<String, Long> BYTE_UNITS = Map.ofEntries(
            Map.entry("b", 1L),
            Map.entry("kb", 1_000L), Map.entry("mb", 1_000_000L), Map.entry("gb", 1_000_000_000L),
            Map.entry("tb", 1_000_000_000_000L),
            Map.entry("kib", 1L << 10), Map.entry("mib", 1L << 20), Map.entry("gib", 1L << 30), Map.entry("tib", 1L << 40));

    /**
     * {@code 150ms}, {@code 2s}, {@code 1.5s}, {@code 1m30s}, {@code 1h 30m}, {@code 7d}, {@code 250us}; also
     * {@code min} for minutes. Compound parts must go from larger to smaller units. Negative durations are rejected.
     */
    public static Duration parseDuration(String text) {
        String s = text.strip();
        if (s.isEmpty()) throw new IllegalArgumentException("expected " + DURATION_HELP + ", got nothing");
        if (s.startsWith("-")) throw new IllegalArgumentException("negative durations are not allowed: '" + s + "'; expected " + DURATION_HELP);
        if (s.startsWith("+")) s = s.substring(1);
        if (isZero(s)) return Duration.ZERO;
        if (NUMBER.matcher(s).matches()) {
            throw new IllegalArgumentException("'" + s + "' has no unit; expected " + DURATION_HELP + " (e.g. " + s + "ms or " + s + "s)");
        }
        Matcher m = DURATION_PART.matcher(s);
        BigInteger nanos = BigInteger.ZERO;
        int pos = 0;
        int lastUnit = -1;
        while (pos < s.length()) {
            if (!m.find(pos) || m.start() != pos) {
                throw new IllegalArgumentException("'" + s + "' is not a duration; expected " + DURATION_HELP);
            }
            String unit = m.group(2);
            if (unit.equals("min")) unit = "m";
            if (unit.equals("µs")) unit = "us";
            int u = indexOf(unit);
            if (u <= lastUnit) {
                throw new IllegalArgumentException("'" + s + "' lists its units out of order or twice; write larger units first, e.g. 1h30m or 1m30s");
            }
            lastUnit = u;
            BigDecimal part = new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(DURATION_NANOS[u]));
            try {
                nanos = nanos.add(part.toBigIntegerExact());
            } catch (ArithmeticException e) {
                throw new IllegalArgumentException("'" + s + "' is finer than one nanosecond");
            }
            pos = m.end();
        }
        if (nanos.bitLength() > 62) throw new IllegalArgumentException("'" + s + "' is too long a duration");
        return Duration.ofNanos(nanos.longValueExact());
    }

    /** {@code 99.9%} → 0.999 exactly. Rejects values over 100% or below 0%, and numbers without {@code %}. */
    public static Ratio parsePercent(String text) {
        String s = text.strip();
        Matcher m = PERCENT.matcher(s);
        if (!m.matches()) {
            if (s.matches("[+-]?(" + NUMBER.pattern() + ")")) {
                throw new IllegalArgumentException("'" + s + "' has no % sign; expected " + PERCENT_HELP
                        + " (write " + s + "% if you mean " + s + " percent)");
            }
            throw new IllegalArgumentException("'" + s + "' is not a percentage; expected " + PERCENT_HELP);
        }
        BigDecimal percent = new BigDecimal(m.group(1));
        if (percent.signum() < 0) throw new IllegalArgumentException("negative percentages are not allowed: '" + s + "'; expected " + PERCENT_HELP);
        if (percent.compareTo(BigDecimal.valueOf(100)) > 0) {
            throw new IllegalArgumentException("percentages over 100% are not allowed: '" + s + "'; expected " + PERCENT_HELP);
        }
        return new Ratio(percent.movePointLeft(2));
    }

    /** {@code 200 rps}, {@code 10k rps}, {@code 2.5M rps}, {@code 500 rpm}, {@code 60 rph}, {@code 100/s}. */
    public static Rate parseRate(String text) {
        String s = text.strip();
        Matcher m = RATE.matcher(s);
        if (!m.matches()) {
            if (s.startsWith("-")) throw new IllegalArgumentException("negative rates are not allowed: '" + s + "'; expected " + RATE_HELP);
            if (s.matches("(" + NUMBER.pattern() + ")\\s*[kKM]?")) {
                throw new IllegalArgumentException("'" + s + "' has no unit; expected " + RATE_HELP);
            }
            throw new IllegalArgumentException("'" + s + "' is not a rate; expected " + RATE_HELP);
        }
        BigDecimal value = new BigDecimal(m.group(1));
        value = switch (m.group(2)) {
            case "k", "K" -> value.scaleByPowerOfTen(3);
            case "M" -> value.scaleByPowerOfTen(6);
            default -> value;
        };
        double perSecond = switch (m.group(3)) {
            case "rps", "req/s", "/s" -> value.doubleValue();
            case "rpm", "req/min", "/min", "/m" -> value.doubleValue() / 60.0;
            default -> value.doubleValue() / 3600.0;
        };
        return new Rate(perSecond);
    }

    /** {@code 512B}, {@code 64KB} (64 000), {@code 6MB}, {@code 512KiB} (524 288), {@code 2GiB}. */
    public static long parseBytes(String text) {
        String s = text.strip();
        if (s.startsWith("-")) throw new IllegalArgumentException("negative sizes are not allowed: '" + s + "'; expected " + BYTES_HELP);
        Matcher m = BYTES.matcher(s);
        if (!m.matches()) throw new IllegalArgumentException("'" + s + "' is not a size; expected " + BYTES_HELP);
        String unit = m.group(2).toLowerCase(java.util.Locale.ROOT);
        if (unit.isEmpty()) {
            if (isZero(m.group(1))) return 0;
            throw new IllegalArgumentException("'" + s + "' has no unit; expected " + BYTES_HELP);
        }
        Long factor = BYTE_UNITS.get(unit);
        if (factor == null) {
            throw new IllegalArgumentException("'" + m.group(2) + "' is not a size unit; expected " + BYTES_HELP);
        }
        try {
            return new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(factor)).longValueExact();
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("'" + s + "' is not a whole number of bytes or is too large");
        }
    }

    private static boolean isZero(String s) {
        return NUMBER.matcher(s).matches() && new BigDecimal(s).signum() == 0;
    }

    private static int indexOf(String unit) {
        for (int i = 0; i < DURATION_UNITS.length; i++) if (DURATION_UNITS[i].equals(unit)) return i;
        throw new IllegalStateException(unit);
    }
}
