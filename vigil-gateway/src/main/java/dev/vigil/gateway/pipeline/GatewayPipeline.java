package dev.vigil.gateway.pipeline;

import dev.vigil.gateway.Ticker;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpDecoderConfig;
import dev.vigil.gateway.upstream.OneMessagePerRead;

import java.time.InstantSource;
import java.util.function.Supplier;

/**
 * The gateway's request pipeline — the one place that shows the order of the stages:
 *
 * <pre>
 *   bytes ─► connection ─► codec ─► flow ─► telemetry ─► limits ─► tenant ─► rate-limit ─► idempotency ─► cache ─► proxy
 * </pre>
 *
 * <ol>
 *   <li><b>connection</b> — first-byte timestamp, idle and header-read deadlines (slowloris → 408/close);</li>
 *   <li><b>codec</b> — HTTP/1.1 parsing with head size limits; marks ambiguous framing;</li>
 *   <li><b>flow</b> — exactly one HTTP message per read: the back-pressure every later stage relies on;</li>
 *   <li><b>telemetry</b> — opens the exchange and records it when the response's last byte is out. It is placed
 *       before the policies (not after the proxy) because Netty sends responses back towards the codec, so only
 *       here does it see every response, including rejections written by the stages behind it;</li>
 *   <li><b>limits</b> — protocol hygiene, route resolution, body size;</li>
 *   <li><b>tenant</b> — who is asking: API key → tenant and plan (401 for an unknown key), else the client address
 *       ({@link TenantStage});</li>
 *   <li><b>rate-limit</b> — plan, route and global limits; 429 with the RateLimit fields ({@link RateLimitStage});</li>
 *   <li><b>idempotency</b> — claims the key, replays stored responses, records the streamed one
 *       ({@link IdempotencyStage});</li>
 *   <li><b>cache</b> — GET/HEAD from the response cache, one upstream fetch per key, purge on writes
 *       ({@link CacheStage}). The three policy slots are empty unless {@link PolicyStages} fills them (the gateway
 *       does so when its file configures policies);</li>
 *   <li><b>proxy</b> — streams the request to an upstream endpoint and the response back.</li>
 * </ol>
 */
public final class GatewayPipeline extends ChannelInitializer<SocketChannel> {
    private static final int MAX_INITIAL_LINE_BYTES = 8 * 1024;
    private static final int MAX_CHUNK_BYTES = 64 * 1024;

    private final Supplier<ActiveConfig> active;
    private final ExchangeRecorder recorder;
    private final PolicyStages policies;
    private final GatewayState state;
    private final Ticker ticker;
    private final InstantSource clock;
    private final Runnable onHeaderTimeout;

    public GatewayPipeline(Supplier<ActiveConfig> active, ExchangeRecorder recorder, PolicyStages policies,
                           GatewayState state, Ticker ticker, InstantSource clock, Runnable onHeaderTimeout) {
        this.active = active;
        this.recorder = recorder;
        this.policies = policies;
        this.state = state;
        this.ticker = ticker;
        this.clock = clock;
        this.onHeaderTimeout = onHeaderTimeout;
    }

    @Override protected void initChannel(SocketChannel ch) {
        ActiveConfig cfg = active.get();
        var limits = cfg.config().limits();
        ClientConnection connection = new ClientConnection(ticker, limits.idleTimeout().toNanos(),
                limits.headerTimeout().toNanos(), onHeaderTimeout);
        HttpDecoderConfig decoder = new HttpDecoderConfig()
                .setMaxInitialLineLength(MAX_INITIAL_LINE_BYTES)
                .setMaxHeaderSize(limits.maxHeaderBytes())
                .setMaxChunkSize(MAX_CHUNK_BYTES)
                .setAllowDuplicateContentLengths(false)
                .setStrictLineParsing(true);

        ChannelPipeline p = ch.pipeline();
        p.addLast("connection", connection);
        p.addLast("codec", new ServerCodec(decoder));
        p.addLast("flow", new OneMessagePerRead(false));
        p.addLast("telemetry", new TelemetryStage(connection, recorder, ticker, clock, state));
        p.addLast("limits", new LimitsStage(active));
        p.addLast("tenant", new TenantStage(cfg.config().tenantHeader()));  // API keys → tenant and plan, or 401
        addPolicy(p, "rate-limit", policies.rateLimit());
        addPolicy(p, "idempotency", policies.idempotency());
        addPolicy(p, "cache", policies.cache());
        p.addLast("proxy", new ProxyStage(state, ticker));
    }

    private static void addPolicy(ChannelPipeline p, String name, Supplier<ChannelHandler> stage) {
        if (stage != null) p.addLast(name, stage.get());
    }
}
