package dev.vigil.load.sample;

import java.time.Duration;
import java.util.Locale;
import java.util.random.RandomGenerator;

/**
 * How long the sample backend takes to answer a request: its service-time distribution.
 *
 * <p>Samples are in microseconds. The backend never sleeps: it schedules the response that many
 * microseconds after the request arrived, so one event loop serves many slow requests at once.
 *
 * <p>Text form (the {@code --latency} option): {@code 5ms} or {@code fixed:5ms},
 * {@code uniform:min=2ms,max=8ms}, {@code lognormal:median=5ms,p99=40ms}; units {@code us}, {@code ms}, {@code s}.
 */
public sealed interface ServiceTime permits ServiceTime.Fixed, ServiceTime.Uniform, ServiceTime.LogNormal {

    /** One service time in microseconds, never negative. */
    long sampleMicros(RandomGenerator random);

    /** Answers as fast as possible. */
    static ServiceTime none() {
        return new Fixed(Duration.ZERO);
    }

    /** Every request takes exactly {@code duration}. */
    record Fixed(Duration duration) implements ServiceTime {
        public Fixed {
            requireNonNegative("duration", duration);
        }

        @Override
        public long sampleMicros(RandomGenerator random) {
            return micros(duration);
        }

        @Override
        public String toString() {
            return "fixed:" + format(duration);
        }
    }

    /** Uniformly distributed between {@code min} and {@code max}, both inclusive. */
    record Uniform(Duration min, Duration max) implements ServiceTime {
        public Uniform {
            requireNonNegative("min", min);
            requireNonNegative("max", max);
            if (max.compareTo(min) < 0) {
                throw new IllegalArgumentException("uniform service time: max (" + format(max)
                        + ") must not be below min (" + format(min) + ")");
            }
        }

        @Override
        public long sampleMicros(RandomGenerator random) {
            long lo = micros(min);
            long hi = micros(max);
            return lo == hi ? lo : random.nextLong(lo, hi + 1);
        }

        @Override
        public String toString() {
            return "uniform:min=" + format(min) + ",max=" + format(max);
        }
    }

    /**
     * Log-normal, the usual shape of real service times: most requests near the median, a long right tail.
     * Parameterised by the two figures people know about their service, the median and the p99:
     * {@code mu = ln(median)}, {@code sigma = ln(p99 / median) / z(0.99)}.
     *
     * <p>Samples are capped at {@link #CAP_FACTOR} × p99, so one unlucky draw cannot hold a response for
     * minutes; the cap sits far beyond p99.99 for any sensible median/p99 pair and does not move the
     * quantiles a load test reports.
     */
    record LogNormal(Duration median, Duration p99) implements ServiceTime {
        /** z-score of the 99th percentile of the standard normal distribution. */
        static final double Z_99 = 2.3263478740408408;
        static final long CAP_FACTOR = 10;

        public LogNormal {
            requireNonNegative("median", median);
            requireNonNegative("p99", p99);
            if (median.isZero() || p99.compareTo(median) <= 0) {
                throw new IllegalArgumentException("lognormal service time: need 0 < median < p99, got median="
                        + format(median) + " p99=" + format(p99));
            }
        }

        @Override
        public long sampleMicros(RandomGenerator random) {
            double mu = Math.log(micros(median));
            double sigma = Math.log((double) micros(p99) / micros(median)) / Z_99;
            long sample = Math.round(Math.exp(mu + sigma * random.nextGaussian()));
            return Math.min(sample, micros(p99) * CAP_FACTOR);
        }

        @Override
        public String toString() {
            return "lognormal:median=" + format(median) + ",p99=" + format(p99);
        }
    }

    /**
     * Parses the text form; {@link IllegalArgumentException} with a message saying what is allowed.
     */
    static ServiceTime parse(String text) {
        String spec = text.strip().toLowerCase(Locale.ROOT);
        int colon = spec.indexOf(':');
        if (colon < 0) {
            return new Fixed(parseDuration(spec, "latency"));
        }
        String kind = spec.substring(0, colon);
        String args = spec.substring(colon + 1);
        return switch (kind) {
            case "fixed" -> new Fixed(parseDuration(args, "fixed"));
            case "uniform" -> {
                var p = ServiceTimeParams.parse(text, args, "min", "max");
                yield new Uniform(p.duration("min"), p.duration("max"));
            }
            case "lognormal" -> {
                var p = ServiceTimeParams.parse(text, args, "median", "p99");
                yield new LogNormal(p.duration("median"), p.duration("p99"));
            }
            default -> throw new IllegalArgumentException("unknown latency distribution '" + kind + "' in '" + text
                    + "'; use 5ms, fixed:5ms, uniform:min=2ms,max=8ms or lognormal:median=5ms,p99=40ms");
        };
    }

    /** Parses {@code 250us}, {@code 5ms}, {@code 1.5ms}, {@code 2s}. */
    static Duration parseDuration(String text, String field) {
        String t = text.strip().toLowerCase(Locale.ROOT);
        String number;
        long microsPerUnit;
        if (t.endsWith("us")) {
            number = t.substring(0, t.length() - 2);
            microsPerUnit = 1;
        } else if (t.endsWith("ms")) {
            number = t.substring(0, t.length() - 2);
            microsPerUnit = 1_000;
        } else if (t.endsWith("s")) {
            number = t.substring(0, t.length() - 1);
            microsPerUnit = 1_000_000;
        } else {
            throw new IllegalArgumentException(field + ": '" + text + "' needs a unit: us, ms or s (e.g. 5ms)");
        }
        double value;
        try {
            value = Double.parseDouble(number.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(field + ": '" + text + "' is not a duration (e.g. 5ms, 250us, 1.5s)");
        }
        if (!(value >= 0) || Double.isInfinite(value) || value * microsPerUnit > 3_600_000_000d) {
            throw new IllegalArgumentException(field + ": '" + text + "' must be between 0 and 1h");
        }
        return Duration.ofNanos(Math.round(value * microsPerUnit * 1_000));
    }

    private static long micros(Duration d) {
        return d.toNanos() / 1_000;
    }

    private static void requireNonNegative(String field, Duration d) {
        if (d == null || d.isNegative()) {
            throw new IllegalArgumentException(field + " must be a non-negative duration, got " + d);
        }
    }

    private static String format(Duration d) {
        long micros = micros(d);
        if (micros % 1_000_000 == 0 && micros != 0) {
            return micros / 1_000_000 + "s";
        }
        if (micros % 1_000 == 0) {
            return micros / 1_000 + "ms";
        }
        return micros + "us";
    }
}

/** {@code name=value} pairs of one distribution, all required, nothing else allowed. */
record ServiceTimeParams(String text, java.util.Map<String, String> values) {
    static ServiceTimeParams parse(String text, String args, String... names) {
        var values = new java.util.LinkedHashMap<String, String>();
        for (String part : args.split(",")) {
            int eq = part.indexOf('=');
            String name = eq < 0 ? part.strip() : part.substring(0, eq).strip();
            if (eq < 0 || !java.util.List.of(names).contains(name)) {
                throw new IllegalArgumentException("'" + part.strip() + "' in '" + text + "': expected "
                        + String.join(" and ", java.util.Arrays.stream(names).map(n -> n + "=<duration>").toList()));
            }
            values.put(name, part.substring(eq + 1));
        }
        for (String name : names) {
            if (!values.containsKey(name)) {
                throw new IllegalArgumentException("'" + text + "' is missing " + name + "=<duration>");
            }
        }
        return new ServiceTimeParams(text, values);
    }

    Duration duration(String name) {
        return ServiceTime.parseDuration(values.get(name), name);
    }
}
