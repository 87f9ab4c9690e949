package dev.vigil.gateway.telemetry;

import dev.vigil.gateway.policy.PolicyEngines;
import dev.vigil.gateway.pipeline.ActiveConfig;
import dev.vigil.gateway.pipeline.Exchange;
import dev.vigil.gateway.pipeline.GatewayState;
import dev.vigil.gateway.upstream.UpstreamEndpoint;
import dev.vigil.gateway.upstream.UpstreamObserver;
import dev.vigil.gateway.upstream.UpstreamPool;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Supplier;

/**
 * The gateway's Prometheus metrics, in a registry of its own (never the JVM-global default one):
 * <ul>
 *   <li>{@code vigil_gateway_requests_total{route,status}} and {@code vigil_gateway_request_duration_seconds{route,status}}
 *       (first byte in → last byte out);</li>
 *   <li>{@code vigil_gateway_in_flight_requests};</li>
 *   <li>{@code vigil_gateway_upstream_healthy{pool,endpoint}} (1 taking traffic, 0 unhealthy or ejected),
 *       {@code vigil_gateway_upstream_in_flight_requests}, {@code vigil_gateway_upstream_open_connections},
 *       {@code vigil_gateway_upstream_ejections_total};</li>
 *   <li>per attempt, the endpoint's own view (retries and stale-connection replays hide it from the client-facing
 *       figures): {@code vigil_gateway_upstream_responses_total{pool,endpoint,status}},
 *       {@code vigil_gateway_upstream_response_head_seconds{pool,endpoint}} (request head handed to the connection →
 *       response head decoded) and {@code vigil_gateway_upstream_failures_total{pool,endpoint,reason}} (connect,
 *       timeout, closed, stale, malformed, reset);</li>
 *   <li>{@code vigil_gateway_rate_limited_total{tenant}} (429s; tenants from API keys by name, address-based ones as
 *       {@code anonymous}), {@code vigil_gateway_cache_requests_total{route,result}} (HIT, MISS, STALE, BYPASS),
 *       {@code vigil_gateway_cache_bytes}, {@code vigil_gateway_cache_upstream_fetches_total},
 *       {@code vigil_gateway_state_available}, {@code vigil_gateway_state_failures_total},
 *       {@code vigil_gateway_state_outages_total} (Redis), {@code vigil_gateway_idempotency_store_failures_total};</li>
 *   <li>{@code vigil_gateway_retries_total{route}}, {@code vigil_gateway_client_resets_total{route}},
 *       {@code vigil_gateway_header_timeouts_total}.</li>
 * </ul>
 * Label values come from configuration (route names, pools, endpoints) and status codes, never from raw request
 * data, so cardinality stays bounded by the gateway file.
 */
public final class GatewayMetrics {
    private static final double[] LATENCY_BUCKETS_SECONDS = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1,
            0.25, 0.5, 1, 2.5, 5, 10, 30};

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final Counter requests;
    private final Histogram duration;
    private final Counter retries;
    private final Counter resets;
    private final Counter headerTimeouts;
    private final Counter rateLimited;
    private final Counter cacheResults;
    private final Counter upstreamResponses;
    private final Histogram upstreamHead;
    private final Counter upstreamFailures;
    private volatile PolicyEngines engines;
    /** route → status (0..599) → data points, so the hot path does no label lookups after the first request. */
    private final ConcurrentHashMap<String, AtomicReferenceArray<CounterDataPoint>> requestPoints = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, AtomicReferenceArray<DistributionDataPoint>> durationPoints = new ConcurrentHashMap<>();

    public GatewayMetrics(GatewayState state, Supplier<ActiveConfig> active) {
        requests = Counter.builder().name("vigil_gateway_requests_total")
                .help("Requests answered, by gateway route and HTTP status (0: no response was sent)")
                .labelNames("route", "status").register(registry);
        duration = Histogram.builder().name("vigil_gateway_request_duration_seconds")
                .help("Request latency from first byte in to last byte out")
                .classicOnly().classicUpperBounds(LATENCY_BUCKETS_SECONDS)
                .labelNames("route", "status").register(registry);
        retries = Counter.builder().name("vigil_gateway_retries_total")
                .help("Upstream attempts beyond the first, by route").labelNames("route").register(registry);
        resets = Counter.builder().name("vigil_gateway_client_resets_total")
                .help("Exchanges cut before the response completed, by route").labelNames("route").register(registry);
        upstreamResponses = Counter.builder().name("vigil_gateway_upstream_responses_total")
                .help("Response heads received from the endpoint, per attempt, by status")
                .labelNames("pool", "endpoint", "status").register(registry);
        upstreamHead = Histogram.builder().name("vigil_gateway_upstream_response_head_seconds")
                .help("Time from the request head handed to the upstream connection to the response head decoded")
                .classicOnly().classicUpperBounds(LATENCY_BUCKETS_SECONDS)
                .labelNames("pool", "endpoint").register(registry);
        upstreamFailures = Counter.builder().name("vigil_gateway_upstream_failures_total")
                .help("Attempts that ended without a complete response, by reason (connect, timeout, closed, stale, "
                        + "malformed, reset); stale = a pooled connection the endpoint had closed, replayed on a new one")
                .labelNames("pool", "endpoint", "reason").register(registry);
        headerTimeouts = Counter.builder().name("vigil_gateway_header_timeouts_total")
                .help("Connections closed with 408 because the request head did not arrive in time").register(registry);
        rateLimited = Counter.builder().name("vigil_gateway_rate_limited_total")
                .help("Requests refused with 429 by a rate limit, by tenant (address-based tenants count as anonymous)")
                .labelNames("tenant").register(registry);
        cacheResults = Counter.builder().name("vigil_gateway_cache_requests_total")
                .help("Requests on cached routes by cache result (HIT, MISS, STALE, BYPASS)")
                .labelNames("route", "result").register(registry);
        GaugeWithCallback.builder().name("vigil_gateway_cache_bytes")
                .help("Bytes held by the in-process response cache")
                .callback(cb -> { PolicyEngines e = engines; if (e != null) cb.call(e.cache().weightedSize()); }).register(registry);
        CounterWithCallback.builder().name("vigil_gateway_cache_upstream_fetches")
                .help("Upstream requests sent by the response cache (misses after coalescing, revalidations)")
                .callback(cb -> { PolicyEngines e = engines; if (e != null) cb.call(e.cache().upstreamFetches()); }).register(registry);
        CounterWithCallback.builder().name("vigil_gateway_idempotency_store_failures")
                .help("Idempotency store operations that failed (the route's fail mode decided)")
                .callback(cb -> { PolicyEngines e = engines; if (e != null) cb.call(e.idempotency().storeFailures()); }).register(registry);
        CounterWithCallback.builder().name("vigil_gateway_idempotent_replays")
                .help("Duplicate requests answered with the stored response (Idempotent-Replayed: true)")
                .callback(cb -> { PolicyEngines e = engines; if (e != null) cb.call(e.idempotency().replays()); }).register(registry);
        GaugeWithCallback.builder().name("vigil_gateway_state_available")
                .help("1 while the shared state (Redis) answers, 0 during an outage").labelNames("address")
                .callback(cb -> { PolicyEngines e = engines; if (e != null) e.redis().ifPresent(r -> cb.call(r.available() ? 1 : 0, r.address())); })
                .register(registry);
        CounterWithCallback.builder().name("vigil_gateway_state_failures")
                .help("Shared-state (Redis) commands that failed or timed out").labelNames("address")
                .callback(cb -> { PolicyEngines e = engines; if (e != null) e.redis().ifPresent(r -> cb.call(r.failures(), r.address())); })
                .register(registry);
        CounterWithCallback.builder().name("vigil_gateway_state_outages")
                .help("Transitions of the shared state (Redis) from available to unavailable").labelNames("address")
                .callback(cb -> { PolicyEngines e = engines; if (e != null) e.redis().ifPresent(r -> cb.call(r.outages(), r.address())); })
                .register(registry);
        GaugeWithCallback.builder().name("vigil_gateway_in_flight_requests")
                .help("Requests being handled now").callback(cb -> cb.call(state.inFlight())).register(registry);
        GaugeWithCallback.builder().name("vigil_gateway_upstream_healthy")
                .help("1 when the endpoint takes traffic, 0 when its health check fails or it is ejected")
                .labelNames("pool", "endpoint")
                .callback(cb -> forEachEndpoint(active, (p, e) -> cb.call(e.available() ? 1 : 0, p.name(), e.address().toString())))
                .register(registry);
        GaugeWithCallback.builder().name("vigil_gateway_upstream_in_flight_requests")
                .help("Requests in flight to the endpoint").labelNames("pool", "endpoint")
                .callback(cb -> forEachEndpoint(active, (p, e) -> cb.call(e.outstanding(), p.name(), e.address().toString())))
                .register(registry);
        GaugeWithCallback.builder().name("vigil_gateway_upstream_open_connections")
                .help("Open connections to the endpoint, idle and in use").labelNames("pool", "endpoint")
                .callback(cb -> forEachEndpoint(active, (p, e) -> cb.call(e.connections().open(), p.name(), e.address().toString())))
                .register(registry);
        CounterWithCallback.builder().name("vigil_gateway_upstream_ejections_total")
                .help("Passive ejections of the endpoint (consecutive failures)").labelNames("pool", "endpoint")
                .callback(cb -> forEachEndpoint(active, (p, e) -> cb.call(e.ejections(), p.name(), e.address().toString())))
                .register(registry);
    }

    private interface EndpointVisitor {
        void visit(UpstreamPool pool, UpstreamEndpoint endpoint);
    }

    private static void forEachEndpoint(Supplier<ActiveConfig> active, EndpointVisitor v) {
        ActiveConfig cfg = active.get();
        if (cfg == null) return;
        cfg.pools().values().stream().sorted((a, b) -> a.name().compareTo(b.name()))
                .forEach(p -> p.endpoints().forEach(e -> v.visit(p, e)));
    }

    /** Records one finished exchange. Thread-safe. */
    public void record(Exchange ex, long latencyMicros) {
        String route = ex.routeName();
        int status = ex.status >= 0 && ex.status < 600 ? ex.status : 0;
        AtomicReferenceArray<CounterDataPoint> rp = requestPoints.computeIfAbsent(route, r -> new AtomicReferenceArray<>(600));
        CounterDataPoint c = rp.get(status);
        if (c == null) {
            c = requests.labelValues(route, Integer.toString(status));
            rp.set(status, c);
        }
        c.inc();
        AtomicReferenceArray<DistributionDataPoint> dp = durationPoints.computeIfAbsent(route, r -> new AtomicReferenceArray<>(600));
        DistributionDataPoint d = dp.get(status);
        if (d == null) {
            d = duration.labelValues(route, Integer.toString(status));
            dp.set(status, d);
        }
        d.observe(latencyMicros / 1_000_000.0);
        if (ex.attempts > 1) retries.labelValues(route).inc(ex.attempts - 1);
        if (ex.failure != dev.vigil.slo.Failure.NONE) resets.labelValues(route).inc();
        if (ex.rateLimited) rateLimited.labelValues(ex.keyedTenant ? ex.tenant : "anonymous").inc();
        if (ex.cache != dev.vigil.slo.CacheResult.NONE) cacheResults.labelValues(route, ex.cache.name()).inc();
    }

    /**
     * The observer to bind to {@code endpoint} of {@code pool}: its data points are resolved here, once, and per
     * status on first use, so an attempt costs a couple of increments and no label lookup. A pool rebuilt by a reload
     * gets the same series back (same labels), so its counters carry on.
     */
    public UpstreamObserver upstream(String pool, UpstreamEndpoint endpoint) {
        String address = endpoint.toString();
        DistributionDataPoint head = upstreamHead.labelValues(pool, address);
        AtomicReferenceArray<CounterDataPoint> byStatus = new AtomicReferenceArray<>(600);
        CounterDataPoint[] byFailure = new CounterDataPoint[UpstreamObserver.Failure.values().length];
        for (UpstreamObserver.Failure f : UpstreamObserver.Failure.values()) {
            byFailure[f.ordinal()] = upstreamFailures.labelValues(pool, address, f.label());
        }
        return new UpstreamObserver() {
            @Override public void responded(int status, long headNanos) {
                int s = status >= 0 && status < 600 ? status : 0;
                CounterDataPoint c = byStatus.get(s);
                if (c == null) {
                    c = upstreamResponses.labelValues(pool, address, Integer.toString(s));
                    byStatus.set(s, c);
                }
                c.inc();
                head.observe(Math.max(0, headNanos) / 1e9);
            }

            @Override public void failed(UpstreamObserver.Failure failure) {
                byFailure[failure.ordinal()].inc();
            }
        };
    }

    /** Exposes the policy engines' own counters (Redis state, cache size). */
    public void policies(PolicyEngines e) {
        this.engines = e;
    }

    public void headerTimeout() {
        headerTimeouts.inc();
    }

    /** The Prometheus text exposition format (version 0.0.4). */
    public byte[] scrape() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(8192);
        try {
            PrometheusTextFormatWriter.create().write(out, registry.scrape(),
                    io.prometheus.metrics.config.EscapingScheme.ALLOW_UTF8);
        } catch (IOException e) {
            throw new IllegalStateException("writing to memory cannot fail", e);
        }
        return out.toByteArray();
    }

    public static String contentType() {
        return PrometheusTextFormatWriter.CONTENT_TYPE;
    }
}
