package dev.vigil.slo.engine;

/**
 * One series: a route group and an attribution (a tenant named by an override, a plan with an
 * override, or {@link #REST} for everyone else). Internal to vigil-slo.
 */
public record SeriesKey(String group, String attribution) implements Comparable<SeriesKey> {
    /** Tenants no override names, neither directly nor through their plan. */
    public static final String REST = "";

    public SeriesKey {
        if (group == null || attribution == null) throw new IllegalArgumentException("group and attribution are required");
    }

    static String tenant(String name) { return "tenant:" + name; }

    static String plan(String name) { return "plan:" + name; }

    @Override public int compareTo(SeriesKey o) {
        int c = group.compareTo(o.group);
        return c != 0 ? c : attribution.compareTo(o.attribution);
    }
}
