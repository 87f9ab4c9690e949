package dev.vigil.gateway.telemetry;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.slo.Budget;
import dev.vigil.slo.BurnRate;
import dev.vigil.slo.ObjectiveResult;
import dev.vigil.slo.SloReport;
import dev.vigil.slo.spec.TenantSelector;

/**
 * {@code /api/slo}: every objective's measured value, tier, budget and burn rates, as JSON.
 * Numbers that are undefined (no traffic) are written as {@code null}, never as NaN (not JSON).
 */
final class SloReportJson {
    private static final ObjectMapper JSON = new ObjectMapper();

    private SloReportJson() {}

    static byte[] write(String service, SloReport report) {
        ObjectNode root = JSON.createObjectNode();
        root.put("service", service);
        root.put("at", report.at().toString());
        root.put("passes", report.passes());
        root.put("alert", report.alert().name());
        ArrayNode objectives = root.putArray("objectives");
        for (ObjectiveResult r : report.results()) {
            ObjectNode o = objectives.addObject();
            o.put("id", r.objective().id());
            o.put("kind", kind(r.objective().getClass().getSimpleName()));
            o.put("routeGroup", r.objective().scope().routeGroup());
            o.put("tenant", tenant(r.objective().scope().tenant()));
            o.put("window", r.window().label());
            o.put("measured", r.measured());
            number(o, "measuredValue", r.measuredValue());
            o.put("tier", r.tier().name());
            o.put("events", r.events());
            o.put("alert", r.alert().name());
            r.budget().ifPresent(b -> budget(o.putObject("budget"), b));
            ArrayNode burns = o.putArray("burnRates");
            for (BurnRate br : r.burnRates()) {
                ObjectNode n = burns.addObject();
                n.put("severity", br.severity().name());
                n.put("longWindow", br.longWindow().label());
                n.put("shortWindow", br.shortWindow().label());
                n.put("threshold", br.threshold());
                number(n, "longBurn", br.longBurn());
                number(n, "shortBurn", br.shortBurn());
                n.put("firing", br.firing());
            }
        }
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(root);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree always serialises", e);
        }
    }

    private static void budget(ObjectNode n, Budget b) {
        n.put("periodStart", b.periodStart().toString());
        n.put("periodEnd", b.periodEnd().toString());
        n.put("fraction", b.fraction().fraction());
        n.put("method", b.method().name());
        n.put("eligible", b.eligible());
        n.put("bad", b.bad());
        number(n, "total", b.total());
        number(n, "consumed", b.consumed());
        number(n, "remaining", b.remaining());
        b.totalTime().ifPresent(d -> n.put("totalTime", d.toString()));
        b.consumedTime().ifPresent(d -> n.put("consumedTime", d.toString()));
        b.remainingTime().ifPresent(d -> n.put("remainingTime", d.toString()));
    }

    private static void number(ObjectNode n, String field, double v) {
        if (Double.isFinite(v)) n.put(field, v); else n.putNull(field);
    }

    private static String tenant(TenantSelector t) {
        return switch (t) {
            case TenantSelector.All a -> "*";
            case TenantSelector.Tenant x -> "tenant:" + x.name();
            case TenantSelector.Plan p -> "plan:" + p.name();
        };
    }

    /** {@code LatencyPercentile} → {@code latency-percentile}. */
    private static String kind(String simpleName) {
        return simpleName.replaceAll("([a-z])([A-Z])", "$1-$2").toLowerCase(java.util.Locale.ROOT);
    }
}
