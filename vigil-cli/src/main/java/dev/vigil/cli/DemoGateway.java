package dev.vigil.cli;

import dev.vigil.gateway.Gateway;
import dev.vigil.gateway.config.AdminListener;
import dev.vigil.gateway.config.Endpoint;
import dev.vigil.gateway.config.GatewayConfig;
import dev.vigil.gateway.config.Listener;
import dev.vigil.gateway.config.PolicyConfig;
import dev.vigil.gateway.config.PoolConfig;
import dev.vigil.gateway.pipeline.RouteGroups;
import dev.vigil.gateway.policy.state.StateConfig;
import dev.vigil.gateway.telemetry.SloBinding;
import dev.vigil.gateway.telemetry.SloSink;
import dev.vigil.load.RunResult;
import dev.vigil.load.SloEngineJudge;
import dev.vigil.slo.CacheResult;
import dev.vigil.slo.Failure;
import dev.vigil.slo.SloEngine;
import dev.vigil.slo.spec.RouteMatcher;
import dev.vigil.slo.spec.SloSpec;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;

/**
 * The gateway {@code vigil demo} runs in-process between the load lab and the sample backend: a gateway file with
 * its addresses made local (free loopback ports, the upstream pointed at the backend, idempotency records in the
 * run's output directory), judged by the demo's SLO file with its own {@link SloEngine}.
 *
 * <p>The engine is replaced by a fresh one when the measured run begins ({@link #beginRun()}), so the warm-up's
 * requests — recorded in the same minute buckets — do not count in the gateway's view. Thread-safe.
 */
final class DemoGateway implements AutoCloseable {
    /** Idempotency records of this run only: a second demo must not see the first one's keys. */
    static final String STATE_DIR = "gateway-state";

    private final Gateway gateway;
    private final SloSpec spec;
    private final String sloFile;
    private final InstantSource clock;
    private volatile Recording recording;

    private DemoGateway(GatewayConfig config, SloSpec spec, String sloFile, InstantSource clock)
            throws InterruptedException {
        this.spec = spec;
        this.sloFile = sloFile;
        this.clock = clock;
        this.recording = new Recording(SloEngine.create(spec, clock), 0);
        RouteMatcher matcher = RouteMatcher.of(spec);
        SloBinding binding = new SloBinding() {
            @Override public RouteGroups routeGroups() { return RouteGroups.of(matcher); }

            @Override public SloSink sink() { return DemoGateway.this::record; }

            @Override public Optional<byte[]> reportJson() { return Optional.empty(); }
        };
        // One event loop: the backend and the load generator have one each, and the machine may have only 2 cores.
        this.gateway = Gateway.builder(config).clock(clock).workerThreads(1).slo(c -> binding).start();
    }

    /**
     * Starts the gateway of {@code config} in front of {@code backend}.
     *
     * @param outDir the run's output directory; embedded idempotency records go to {@value #STATE_DIR} in it
     */
    static DemoGateway start(GatewayConfig config, URI backend, Path outDir, SloSpec spec, String sloFile,
                             InstantSource clock) throws InterruptedException {
        return new DemoGateway(localised(config, backend, outDir.resolve(STATE_DIR)), spec, sloFile, clock);
    }

    /**
     * The file's configuration with everything that names a place replaced: client and admin listeners on free
     * loopback ports, every upstream pool sending to {@code backend}, embedded state under {@code stateDir}.
     */
    static GatewayConfig localised(GatewayConfig c, URI backend, Path stateDir) {
        Endpoint endpoint = new Endpoint(backend.getHost(), backend.getPort());
        Map<String, PoolConfig> pools = new LinkedHashMap<>();
        for (PoolConfig p : c.pools().values()) {
            pools.put(p.name(), new PoolConfig(p.name(), List.of(endpoint), p.policy(), p.maxConnections(),
                    p.idleTimeout(), p.health(), p.passive()));
        }
        PolicyConfig pc = c.policies();
        PolicyConfig policies = pc.state() instanceof StateConfig.Embedded
                ? new PolicyConfig(new StateConfig.Embedded(stateDir), pc.tenants(), pc.rateLimits(), pc.cacheMaxBytes(),
                        pc.idempotency(), pc.cache())
                : pc;
        return new GatewayConfig(c.source(), List.of(new Listener("127.0.0.1", 0)),
                new AdminListener(new Listener("127.0.0.1", 0), c.admin().token()), c.routes(), pools, c.limits(),
                c.slo(), c.trustedProxies(), c.tenantHeader(), c.accessLog(), c.retryBudget(), c.shutdownGrace(),
                policies);
    }

    URI baseUri() {
        InetSocketAddress a = gateway.addresses().getFirst();
        return URI.create("http://" + a.getAddress().getHostAddress() + ":" + a.getPort());
    }

    /** From now on only the measured run counts. */
    void beginRun() {
        recording = new Recording(SloEngine.create(spec, clock), replays());
    }

    private long replays() {
        return (long) metric(gateway.scrapeMetrics(), "vigil_gateway_idempotent_replays_total");
    }

    /** The gateway's verdict over {@code [from, to]}: the same table shape as the load lab's. */
    RunResult.SloResult verdict(Instant from, Instant to) {
        // the engine's interval is [from, to); the last request of a run completes at its end
        return SloEngineJudge.verdicts(sloFile, recording.engine.evaluate(from, to.plusMillis(1)));
    }

    /** What the gateway did during the measured run, beyond the SLO table. */
    Facts facts() {
        Recording r = recording;
        return new Facts(r.events.sum(), r.hits.sum(), r.stale.sum(), r.misses.sum(), r.tooMany.sum(),
                replays() - r.replaysBefore);
    }

    private void record(String routeGroup, String tenant, int status, Failure failure, long latencyMicros,
                        CacheResult cache, long epochMillis) {
        Recording r = recording;
        r.engine.record(routeGroup, tenant, status, failure, latencyMicros, cache, epochMillis);
        r.events.increment();
        switch (cache) {
            case HIT -> r.hits.increment();
            case STALE -> r.stale.increment();
            case MISS -> r.misses.increment();
            case NONE, BYPASS -> { }
        }
        if (status == 429) r.tooMany.increment();
    }

    /** Sum of a counter's samples in Prometheus text (0 when absent). */
    static double metric(byte[] prometheusText, String name) {
        double sum = 0;
        for (String line : new String(prometheusText, StandardCharsets.UTF_8).split("\n")) {
            if (line.startsWith(name + " ") || line.startsWith(name + "{")) {
                String value = line.substring(line.lastIndexOf(' ') + 1);
                try {
                    sum += Double.parseDouble(value);
                } catch (NumberFormatException ignored) {
                    // not a sample line of this metric
                }
            }
        }
        return sum;
    }

    @Override public void close() {
        gateway.close();
    }

    /**
     * @param events  requests the gateway answered and recorded (the load lab's count, give or take the requests of
     *                the last instant)
     * @param hits    answered from the cache; {@code stale} served stale while revalidating; {@code misses} fetched
     * @param tooMany refused with 429 by a rate limit
     * @param replays duplicates answered with the stored response ({@code Idempotent-Replayed: true})
     */
    record Facts(long events, long hits, long stale, long misses, long tooMany, long replays) {
        /** Share of cacheable requests served from the cache (fresh or stale), in [0, 1]; NaN without any. */
        double cacheHitRatio() {
            long cacheable = hits + stale + misses;
            return cacheable == 0 ? Double.NaN : (double) (hits + stale) / cacheable;
        }
    }

    private static final class Recording {
        final SloEngine engine;
        final LongAdder events = new LongAdder();
        final LongAdder hits = new LongAdder();
        final LongAdder stale = new LongAdder();
        final LongAdder misses = new LongAdder();
        final LongAdder tooMany = new LongAdder();
        /** The gateway's replay counter when this recording began. */
        final long replaysBefore;

        Recording(SloEngine engine, long replaysBefore) {
            this.engine = engine;
            this.replaysBefore = replaysBefore;
        }
    }
}
