package dev.vigil.gateway;

import dev.vigil.gateway.admin.AdminServer;
import dev.vigil.gateway.config.GatewayConfig;
import dev.vigil.gateway.config.Listener;
import dev.vigil.gateway.config.PolicyConfig;
import dev.vigil.gateway.config.PoolConfig;
import dev.vigil.gateway.policy.FailMode;
import dev.vigil.gateway.policy.PolicyEngines;
import dev.vigil.gateway.policy.ratelimit.RateLimitRules;
import dev.vigil.gateway.pipeline.ActiveConfig;
import dev.vigil.gateway.pipeline.Exchange;
import dev.vigil.gateway.pipeline.ExchangeRecorder;
import dev.vigil.gateway.pipeline.GatewayPipeline;
import dev.vigil.gateway.pipeline.GatewayState;
import dev.vigil.gateway.pipeline.PolicyStages;
import dev.vigil.gateway.telemetry.AccessLog;
import dev.vigil.gateway.telemetry.GatewayMetrics;
import dev.vigil.gateway.telemetry.SloBinding;
import dev.vigil.gateway.upstream.HealthChecker;
import dev.vigil.gateway.upstream.Transport;
import dev.vigil.gateway.upstream.UpstreamEndpoint;
import dev.vigil.gateway.upstream.UpstreamPool;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.GlobalEventExecutor;

import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * A running gateway: client listeners, the admin listener, upstream pools with health checks, and telemetry.
 *
 * <pre>{@code
 * try (Gateway gw = Gateway.builder(GatewayFiles.load(path)).reloadFrom(() -> GatewayFiles.load(path)).start()) {
 *     gw.awaitShutdown();
 * }
 * }</pre>
 *
 * <p>Thread-safe. {@link #reload()} swaps the configuration atomically: requests in flight finish under the
 * generation they started with, connections are never dropped, and a configuration that fails to load or to
 * validate is refused while the old one keeps serving. Listener addresses cannot change without a restart.
 */
public final class Gateway implements AutoCloseable {
    /** Loads the configuration again for {@link #reload()}; its exception's message is shown to the operator. */
    @FunctionalInterface
    public interface ConfigSource {
        GatewayConfig load() throws Exception;
    }

    /** What a reload did. */
    public record ReloadResult(boolean applied, List<String> problems, List<String> warnings) {
        public ReloadResult {
            problems = List.copyOf(problems);
            warnings = List.copyOf(warnings);
        }
    }

    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();
    private final GatewayState state = new GatewayState();
    private final AtomicReference<ActiveConfig> active = new AtomicReference<>();
    private final Map<String, HealthChecker> checkers = new HashMap<>();
    private final ChannelGroup clients = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
    private final List<Channel> servers = new ArrayList<>();
    private final Builder builder;
    private final EventLoopGroup boss;
    private final EventLoopGroup workers;
    private final EventLoopGroup control;
    private final ExecutorService blocking;
    private final GatewayMetrics metrics;
    private final AccessLog accessLog;
    private volatile SloBinding slo;
    private AdminServer admin;
    /** Edge-policy engines over the file's state backend; null when the file configures no policy. */
    private PolicyEngines engines;
    private ScheduledExecutorService policyScheduler;
    private final Object reloadLock = new Object();
    private volatile boolean closed;

    private Gateway(Builder b) {
        this.builder = b;
        this.boss = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("vigil-accept"), Transport.ioHandler());
        this.workers = new MultiThreadIoEventLoopGroup(b.workerThreads, new DefaultThreadFactory("vigil-io"), Transport.ioHandler());
        this.control = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("vigil-control"), Transport.ioHandler());
        this.blocking = Executors.newSingleThreadExecutor(r -> Thread.ofPlatform().daemon().name("vigil-reload").unstarted(r));
        this.metrics = new GatewayMetrics(state, active::get);
        this.accessLog = b.config.accessLog() ? new AccessLog(b.accessLogOut) : null;
    }

    public static Builder builder(GatewayConfig config) {
        return new Builder(config);
    }

    /** Options for a gateway; only the configuration is required. */
    public static final class Builder {
        private final GatewayConfig config;
        private ConfigSource reloadSource;
        private Ticker ticker = Ticker.SYSTEM;
        private InstantSource clock = InstantSource.system();
        private PolicyStages policies = PolicyStages.NONE;
        private Function<GatewayConfig, SloBinding> slo;
        private PrintStream accessLogOut = System.out;
        private PrintStream log = System.err;
        private int workerThreads = Runtime.getRuntime().availableProcessors();

        private Builder(GatewayConfig config) {
            this.config = Objects.requireNonNull(config, "config");
        }

        /** Where {@link #reload()} and SIGHUP re-read the configuration from. */
        public Builder reloadFrom(ConfigSource source) { this.reloadSource = source; return this; }

        public Builder ticker(Ticker t) { this.ticker = Objects.requireNonNull(t); return this; }

        public Builder clock(InstantSource c) { this.clock = Objects.requireNonNull(c); return this; }

        /** Fills the rate-limit, idempotency and cache slots of the pipeline. */
        public Builder policies(PolicyStages p) { this.policies = Objects.requireNonNull(p); return this; }

        /** How the gateway attaches to the SLO file named in the configuration (default: an SLO engine on the builder's clock). */
        public Builder slo(Function<GatewayConfig, SloBinding> binder) { this.slo = Objects.requireNonNull(binder); return this; }

        public Builder accessLogTo(PrintStream out) { this.accessLogOut = Objects.requireNonNull(out); return this; }

        /** Where the gateway tells the operator what a reload did that no warning covers, one line each (default stderr). */
        public Builder logTo(PrintStream out) { this.log = Objects.requireNonNull(out); return this; }

        public Builder workerThreads(int n) {
            if (n < 1) throw new IllegalArgumentException("workerThreads must be >= 1");
            this.workerThreads = n;
            return this;
        }

        /** Binds every listener and starts health checks; on failure everything started is stopped again. */
        public Gateway start() throws InterruptedException {
            if (slo == null) {
                InstantSource c = clock;
                slo = cfg -> cfg.slo().map(spec -> SloBinding.engine(spec, c)).orElse(SloBinding.NONE);
            }
            Gateway g = new Gateway(this);
            try {
                g.startUp();
            } catch (RuntimeException | InterruptedException e) {
                g.close();
                throw e;
            }
            return g;
        }
    }

    private void startUp() throws InterruptedException {
        GatewayConfig cfg = builder.config;
        slo = builder.slo.apply(cfg);
        active.set(build(cfg, Map.of()));
        PolicyStages policies = builder.policies;
        if (policies == PolicyStages.NONE && cfg.policies().enabled()) {
            policyScheduler = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().daemon().name("vigil-policy").unstarted(r));
            var pc = cfg.policies();
            engines = PolicyEngines.create(pc.state(), rulesOf(pc), pc.cacheMaxBytes(), builder.clock, policyScheduler);
            metrics.policies(engines);
            policies = PolicyStages.of(engines);
        }
        GatewayPipeline pipeline = new GatewayPipeline(active::get, recorder(), policies, state,
                builder.ticker, builder.clock, metrics::headerTimeout);
        ServerBootstrap sb = new ServerBootstrap().group(boss, workers).channel(Transport.serverChannel())
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.AUTO_READ, false)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.ALLOCATOR, Transport.allocator())
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override protected void initChannel(SocketChannel ch) {
                        clients.add(ch);
                        ch.pipeline().addLast(pipeline);
                    }
                });
        for (Listener l : cfg.listeners()) servers.add(sb.bind(l.address(), l.port()).sync().channel());
        admin = AdminServer.start(cfg.admin().listener(), control, new AdminBackend(), blocking);
    }

    private ExchangeRecorder recorder() {
        return new ExchangeRecorder() {
            @Override public void record(Exchange ex, long latencyMicros, long epochMillis) {
                metrics.record(ex, latencyMicros);
                slo.sink().record(ex.routeGroup, ex.tenant, ex.status, ex.failure, latencyMicros, ex.cache, epochMillis);
                if (accessLog != null) accessLog.record(ex, latencyMicros, epochMillis);
            }
        };
    }

    /** The rate-limit rules to run (none configured: no plan, no limit — the stage passes such requests). */
    private static RateLimitRules rulesOf(PolicyConfig pc) {
        return pc.rateLimits() != null ? pc.rateLimits() : new RateLimitRules(Map.of(), List.of(), List.of(), FailMode.OPEN);
    }

    /** Builds a generation, reusing the live pools (health, connections) whose configuration did not change. */
    private ActiveConfig build(GatewayConfig cfg, Map<String, UpstreamPool> previous) {
        Map<String, UpstreamPool> pools = new HashMap<>();
        for (PoolConfig pc : cfg.pools().values()) {
            UpstreamPool old = previous.get(pc.name());
            if (old != null && old.sameAs(pc, cfg.retryBudget())) {
                pools.put(pc.name(), old);
                continue;
            }
            UpstreamPool pool = new UpstreamPool(pc, cfg.retryBudget(), builder.ticker);
            for (UpstreamEndpoint e : pool.endpoints()) e.observer(metrics.upstream(pool.name(), e));
            pools.put(pc.name(), pool);
        }
        ActiveConfig next = new ActiveConfig(cfg, pools, slo.routeGroups());
        // Health checkers: start for new pools, stop for pools that are gone or replaced.
        for (UpstreamPool p : pools.values()) {
            if (previous.get(p.name()) == p) continue;
            HealthChecker oldChecker = checkers.remove(p.name());
            if (oldChecker != null) oldChecker.close();
            p.config().health().ifPresent(hc -> {
                HealthChecker checker = new HealthChecker(p, hc, control.next());
                checkers.put(p.name(), checker);
                checker.start();
            });
        }
        for (String gone : previous.keySet()) {
            if (!pools.containsKey(gone)) {
                HealthChecker c = checkers.remove(gone);
                if (c != null) c.close();
            }
        }
        return next;
    }

    /** Re-reads the configuration from the {@link Builder#reloadFrom} source; never throws. */
    public ReloadResult reload() {
        if (builder.reloadSource == null) return new ReloadResult(false, List.of("this gateway was started without a configuration file"), List.of());
        synchronized (reloadLock) {
            if (closed) return new ReloadResult(false, List.of("the gateway is shutting down"), List.of());
            GatewayConfig next;
            try {
                next = builder.reloadSource.load();
            } catch (Exception e) {
                String msg = e.getMessage() == null ? e.toString() : e.getMessage();
                return new ReloadResult(false, List.of(msg.split("\n")), List.of());
            }
            ActiveConfig current = active.get();
            List<String> warnings = new ArrayList<>();
            if (!next.listeners().equals(current.config().listeners())) warnings.add("listeners changed: restart to apply");
            if (!next.admin().listener().equals(current.config().admin().listener())) warnings.add("admin listener changed: restart to apply");
            if (next.accessLog() != current.config().accessLog()) warnings.add("access-log changed: restart to apply");
            if (!next.slo().equals(current.config().slo())) slo = sloFor(next, current.config(), warnings);
            PolicyConfig newPolicies = next.policies();
            // Engines (state backend, cache size) are built at start: turning policies on, or moving their state,
            // needs a restart. Rules, tenants, keys and per-route policies apply now.
            boolean restart = engines == null ? newPolicies.enabled()
                    : newPolicies.enabled() && !newPolicies.sameEngines(current.config().policies());
            if (restart) warnings.add("policy state, state-dir, state-fsync or cache-size changed (or policies were turned on): restart to apply");
            // New limits apply to the live counters: unchanged limits keep their state (no burst handed out again).
            if (engines != null && newPolicies.enabled()) engines.rateLimiter().updateRules(rulesOf(newPolicies));
            ActiveConfig built = build(next, current.pools());
            active.set(built);
            for (UpstreamPool old : current.pools().values()) {
                if (built.pool(old.name()) != old) old.close();
            }
            return new ReloadResult(true, List.of(), warnings);
        }
    }

    /**
     * The binding for a changed SLO file. A file that records requests as the running one does (only targets,
     * tiers, budgets, maintenance … changed) keeps the running engine's measurements, so an SRE tuning a target
     * does not lose a month of data; otherwise the measurements restart, and the reload's warnings say why
     * (the {@code POST /admin/reload} answer and the log line of every reload).
     */
    private SloBinding sloFor(GatewayConfig next, GatewayConfig current, List<String> warnings) {
        if (next.slo().isPresent() && current.slo().isPresent()) {
            switch (slo.rebind(next.slo().get())) {
                case SloBinding.Rebound.Kept kept -> {
                    return kept.binding();
                }
                case SloBinding.Rebound.Restart restart -> warnings.add("SLO measurements restart: " + restart.reason());
            }
        } else if (current.slo().isPresent()) {
            warnings.add("SLO measurements dropped: the gateway file no longer names an SLO file");
        }
        return builder.slo.apply(next);
    }

    /** The configuration serving new requests now. */
    public GatewayConfig config() {
        return active.get().config();
    }

    /** The bound address of each client listener, in configuration order. */
    public List<InetSocketAddress> addresses() {
        List<InetSocketAddress> out = new ArrayList<>();
        for (Channel c : servers) out.add((InetSocketAddress) c.localAddress());
        return out;
    }

    public InetSocketAddress adminAddress() {
        return admin.address();
    }

    /** Requests being handled now. */
    public int inFlight() {
        return state.inFlight();
    }

    /** Prometheus text for the gateway's metrics (what {@code /metrics} serves). */
    public byte[] scrapeMetrics() {
        return metrics.scrape();
    }

    /**
     * Graceful shutdown: stop accepting, answer every response in flight with {@code Connection: close}, wait up
     * to {@code grace} for in-flight requests, then close everything.
     */
    public void shutdown(Duration grace) {
        synchronized (reloadLock) {
            if (closed) return;
            closed = true;
        }
        state.startDraining();
        for (Channel s : servers) s.close().syncUninterruptibly();
        long deadline = System.nanoTime() + grace.toNanos();
        while (state.inFlight() > 0 && System.nanoTime() - deadline < 0) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        clients.close().awaitUninterruptibly(1, TimeUnit.SECONDS);
        if (admin != null) admin.close();
        for (HealthChecker c : checkers.values()) c.close();
        ActiveConfig a = active.get();
        if (a != null) a.pools().values().forEach(UpstreamPool::close);
        workers.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        boss.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        control.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        blocking.shutdownNow();
        workers.terminationFuture().awaitUninterruptibly(2, TimeUnit.SECONDS);
        if (engines != null) engines.close();
        if (policyScheduler != null) policyScheduler.shutdownNow();
        if (accessLog != null) accessLog.close();
    }

    /** Blocks until {@link #shutdown} has completed (e.g. from a signal handler). */
    public void awaitTermination() throws InterruptedException {
        workers.terminationFuture().await();
        control.terminationFuture().await();
    }

    @Override public void close() {
        shutdown(builder.config.shutdownGrace());
    }

    private final class AdminBackend implements AdminServer.Backend {
        @Override public String token() { return active.get().config().admin().token(); }

        @Override public boolean ready() { return !state.draining(); }

        @Override public byte[] metrics() { return metrics.scrape(); }

        @Override public String metricsContentType() { return GatewayMetrics.contentType(); }

        @Override public java.util.Optional<byte[]> sloReportJson() { return slo.reportJson(); }

        @Override public boolean purgeCache(String host, String path) {
            PolicyEngines e = engines;
            if (e == null) return false;
            if (path == null) e.cache().purgeAll(); else e.cache().purge(host, path);
            return true;
        }

        @Override public AdminServer.ReloadOutcome reload() {
            ReloadResult r = Gateway.this.reload();
            // One line per reload over HTTP, as the vigil command prints one per SIGHUP: the log shows who changed
            // what when, and what the change cost (a restart of the SLO measurements, a setting that needs a restart).
            if (r.applied()) {
                builder.log.println("vigil gateway: reloaded (POST /admin/reload)"
                        + (r.warnings().isEmpty() ? "" : " (" + String.join("; ", r.warnings()) + ")"));
            } else {
                r.problems().forEach(builder.log::println);
                builder.log.println("vigil gateway: reload refused (POST /admin/reload); the previous configuration keeps serving");
            }
            builder.log.flush();
            var json = JSON.createObjectNode().put("applied", r.applied());
            r.problems().forEach(json.putArray("problems")::add);
            r.warnings().forEach(json.putArray("warnings")::add);
            return new AdminServer.ReloadOutcome(r.applied(), json.toPrettyString() + "\n");
        }
    }
}
