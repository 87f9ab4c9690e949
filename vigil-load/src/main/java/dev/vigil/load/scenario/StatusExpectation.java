package dev.vigil.load.scenario;

import java.util.BitSet;

/**
 * Which response statuses count as success for a step. Without {@code expect:} any status below 400 does;
 * {@code expect: 201} or {@code expect: [200, 404]} or {@code expect: 2xx} narrow it.
 */
public final class StatusExpectation {
    /** Any status in [100, 399]. */
    public static final StatusExpectation DEFAULT = range(100, 399, "1xx-3xx");

    private final BitSet allowed;
    private final String description;

    private StatusExpectation(BitSet allowed, String description) {
        this.allowed = allowed;
        this.description = description;
    }

    static StatusExpectation range(int from, int to, String description) {
        BitSet b = new BitSet(600);
        b.set(from, to + 1);
        return new StatusExpectation(b, description);
    }

    /**
     * @param specs each a status ({@code 201}) or a class ({@code 2xx})
     * @throws IllegalArgumentException naming the bad entry
     */
    public static StatusExpectation of(java.util.List<String> specs) {
        if (specs.isEmpty()) throw new IllegalArgumentException("expect needs at least one status");
        BitSet b = new BitSet(600);
        for (String raw : specs) {
            String s = raw.strip().toLowerCase(java.util.Locale.ROOT);
            if (s.length() == 3 && s.endsWith("xx") && s.charAt(0) >= '1' && s.charAt(0) <= '5') {
                int base = (s.charAt(0) - '0') * 100;
                b.set(base, base + 100);
            } else {
                int status;
                try {
                    status = Integer.parseInt(s);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("'" + raw + "' is not a status; write e.g. 201, [200, 404] or 2xx");
                }
                if (status < 100 || status > 599) {
                    throw new IllegalArgumentException("status " + status + " is outside 100-599");
                }
                b.set(status);
            }
        }
        return new StatusExpectation(b, String.join(", ", specs));
    }

    public boolean accepts(int status) {
        return status >= 0 && allowed.get(status);
    }

    @Override public String toString() { return description; }
}
