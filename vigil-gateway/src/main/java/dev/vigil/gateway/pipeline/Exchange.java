package dev.vigil.gateway.pipeline;

import dev.vigil.gateway.config.Route;
import dev.vigil.slo.CacheResult;
import dev.vigil.slo.Failure;
import io.netty.util.AttributeKey;

/**
 * What the pipeline knows about one request while it is handled: each stage fills in its part and the telemetry
 * stage records it once the last byte of the response is written (or the connection dies).
 *
 * <p>A plain mutable class rather than a record: one exists per request and lives on the client connection's event
 * loop only, so it needs no synchronisation and is never shared across threads.
 */
public final class Exchange {
    /** The exchange in progress on a client connection; set by the telemetry stage when a request head arrives. */
    public static final AttributeKey<Exchange> CURRENT = AttributeKey.valueOf("vigil.exchange");

    /** The configuration generation this request is handled under (set by the limits stage). */
    public ActiveConfig config;
    /** The client spoke HTTP/1.0 (keep-alive must then be explicit). */
    public boolean http10;
    /** {@link System#nanoTime()}-style ticker reading when the first byte of the request arrived. */
    public long startNanos;
    public String method;
    /** Origin-form path, without the query. */
    public String path;
    /** Origin-form request target (path and query) as sent upstream. */
    public String target;
    /** Host header, lower case, without port. */
    public String host;
    public String requestId;
    /** The gateway route that matched; null until the limits stage resolved it (or when none did). */
    public Route route;
    /** The SLO file's route group for this request. */
    public String routeGroup = "default";
    public String tenant = "anonymous";
    /** The tenant's plan when API keys and plans are configured; null otherwise (no rate limit then). */
    public String plan;
    /** The tenant came from an API key (a bounded set, so it may label metrics); false for address tenants. */
    public boolean keyedTenant;
    /** Fields a policy adds to whatever response is sent (RateLimit, RateLimit-Policy); null when none. */
    public java.util.List<dev.vigil.gateway.policy.Header> responseHeaders;
    /** Refused by a rate limit (429): counted per tenant, and not a server error. */
    public boolean rateLimited;
    /** The request head was written to an upstream (it may have acted on it). */
    public boolean upstreamReached;
    /** The response being sent came from an upstream, not from the gateway itself. */
    public boolean upstreamResponded;
    public String clientAddress;
    /** Status sent to the client; 0 while none was sent. */
    public int status;
    public Failure failure = Failure.NONE;
    /** The endpoint that produced the response ({@code host:port}); empty when none did. */
    public String upstream = "";
    /** The last attempt's upstream response time (request head handed over → response head decoded); -1 when none. */
    public long upstreamHeadNanos = -1;
    public CacheResult cache = CacheResult.NONE;
    public long requestBodyBytes;
    public long responseBodyBytes;
    public int attempts;
    public boolean keepAlive = true;
    /**
     * A stage reads the upstream's response as Netty HTTP objects (the idempotency stage records it), so the proxy
     * must not forward it as bytes ({@link ResponseBytes}).
     */
    public boolean responseObjects;
    /** The response head was written; nothing but body bytes or a close may follow. */
    public boolean responseStarted;
    /** Telemetry recorded this exchange; later events must not record it again. */
    boolean recorded;

    public String routeName() { return route == null ? "-" : route.name(); }
}
