package dev.vigil.load;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Prints a finished run for people: the per-step table, the SLO verdict, the stress curve, why it stopped. */
public final class Summary {
    private Summary() {}

    public static void print(RunResult r, PrintWriter out) {
        out.println();
        if (r.interrupted()) out.println("Run interrupted after " + fmt(r.durationSeconds()) + " s; results are partial.");
        out.printf(Locale.ROOT, "%s -> %s, %s model, %s s%n", r.scenarioFile(), r.target(), r.model().json(),
                fmt(r.durationSeconds()));
        out.println("Latency from each request's intended send time (coordinated-omission free), in ms:");
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[]{"step", "count", "rps", "p50", "p90", "p95", "p99", "p99.9", "max", "4xx", "5xx",
                "timeout", "refused", "reset", "unexpected", "late"});
        for (RunResult.StepResult s : r.steps()) rows.add(row(s.name(), s.stats()));
        rows.add(row("total", r.totals()));
        table(rows, out);
        RunResult.Percentiles svc = r.totals().serviceTimeMs();
        out.printf(Locale.ROOT, "Service time (from the actual send), total: p50 %s  p99 %s  max %s ms%n",
                fmt(svc.p50()), fmt(svc.p99()), fmt(svc.max()));
        if (r.totals().late() > 0) {
            out.printf(Locale.ROOT, "%d requests were sent %d ms or more after their intended time (connection cap "
                    + "reached, or the load generator fell behind); their wait counts in the latency above.%n",
                    r.totals().late(), LoadDefaults.LATE_THRESHOLD_MILLIS);
        }
        long captureFailed = r.totals().errors().byCause().captureFailed();
        if (captureFailed > 0) out.printf(Locale.ROOT, "%d responses lacked a value a capture asked for.%n", captureFailed);
        if (r.stress() != null) stress(r.stress(), out);
        if (r.slo() != null) {
            slo(r.slo(), r.gatewaySlo() == null ? "SLO " + r.slo().file() + ":"
                    : "Load lab's view (client side, latency from each request's intended send time), SLO "
                    + r.slo().file() + ":", out);
        }
        if (r.gatewaySlo() != null) {
            slo(r.gatewaySlo(), "Gateway's view (the gateway's own SLO engine over the run, latency from first byte in"
                    + " to last byte out), SLO " + r.gatewaySlo().file() + ":", out);
        }
        if (r.abortReason() != null) out.println("Stopped early: " + r.abortReason());
        out.flush();
    }

    private static String[] row(String name, RunResult.Stats s) {
        RunResult.Percentiles l = s.latencyMs();
        RunResult.ByCause c = s.errors().byCause();
        return new String[]{name, Long.toString(s.count()), fmt(s.rps()), fmt(l.p50()), fmt(l.p90()), fmt(l.p95()),
                fmt(l.p99()), fmt(l.p999()), fmt(l.max()), Long.toString(s.errors().byStatusClass().clientErrors()),
                Long.toString(s.errors().byStatusClass().serverErrors()), Long.toString(c.timeout()),
                Long.toString(c.refused()), Long.toString(c.reset()), Long.toString(c.unexpectedStatus()),
                Long.toString(s.late())};
    }

    private static void stress(RunResult.StressResult s, PrintWriter out) {
        out.println();
        out.println("Stress: latency vs throughput");
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[]{"rate/s", "achieved/s", "p50 ms", "p99 ms", "errors", "verdict"});
        for (RunResult.StressStep st : s.steps()) {
            rows.add(new String[]{fmt(st.rps()), fmt(st.achievedRps()), fmt(st.p50Ms()), fmt(st.p99Ms()),
                    String.format(Locale.ROOT, "%.2f%%", st.errorRate() * 100), st.passed() ? "pass" : "FAIL: " + st.reason()});
        }
        table(rows, out);
        if (s.highestPassingRps() == null) {
            out.println("Breaking point: even the first rate failed.");
        } else if (s.breakingPointRps() == null) {
            out.printf(Locale.ROOT, "No breaking point up to %s/s: every rate passed.%n", fmt(s.highestPassingRps()));
        } else {
            out.printf(Locale.ROOT, "Breaking point: passed at %s/s, broke at %s/s.%n", fmt(s.highestPassingRps()),
                    fmt(s.breakingPointRps()));
        }
    }

    private static void slo(RunResult.SloResult slo, String title, PrintWriter out) {
        out.println();
        out.println(title);
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[]{"Objective", "Target", "Acceptable", "Critical", "Actual", "Status"});
        for (RunResult.ObjectiveVerdict o : slo.objectives()) {
            rows.add(new String[]{o.id(), nz(o.target()), nz(o.acceptable()), nz(o.critical()), nz(o.actual()),
                    o.tier().name()});
        }
        table(rows, out);
        if (slo.passes()) {
            out.println("PASS: every objective meets at least its acceptable tier.");
        } else {
            out.println("FAIL: breached " + String.join(", ", slo.objectives().stream()
                    .filter(o -> !o.tier().passes()).map(o -> o.id() + " (" + nz(o.actual()) + ")").toList()));
        }
    }

    private static String nz(String s) { return s == null ? "-" : s; }

    private static void table(List<String[]> rows, PrintWriter out) {
        int cols = rows.get(0).length;
        int[] width = new int[cols];
        for (String[] r : rows) for (int i = 0; i < cols; i++) width[i] = Math.max(width[i], r[i].length());
        for (String[] r : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < cols; i++) {
                if (i > 0) line.append("  ");
                String cell = r[i];
                if (i == 0 || i == cols - 1 && cell.startsWith("FAIL")) {
                    line.append(cell).append(" ".repeat(width[i] - cell.length()));
                } else {
                    line.append(" ".repeat(width[i] - cell.length())).append(cell);
                }
            }
            out.println(line.toString().stripTrailing());
        }
    }

    private static String fmt(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e12) return Long.toString((long) v);
        return String.format(Locale.ROOT, Math.abs(v) >= 100 ? "%.1f" : "%.2f", v);
    }
}
