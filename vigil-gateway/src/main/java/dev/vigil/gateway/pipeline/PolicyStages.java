package dev.vigil.gateway.pipeline;

import io.netty.channel.ChannelHandler;

import java.util.function.Supplier;

/**
 * The edge-policy slots between the tenant stage and the proxy: rate limit, idempotency, cache — in that order, as
 * {@link GatewayPipeline} installs them. Each supplier makes one handler per client connection; null leaves the
 * slot empty.
 *
 * <p>Contract for a policy handler (an inbound handler; the channel has AUTO_READ off):
 * <ul>
 *   <li>the request arrives as one {@code HttpRequest}, then {@code HttpContent}s up to a {@code LastHttpContent},
 *       one message per {@code read()}; the current {@link Exchange} is {@code channel.attr(Exchange.CURRENT)}, with
 *       the route, tenant and request id already set — a policy may set {@link Exchange#tenant} and
 *       {@link Exchange#cache};</li>
 *   <li>to pass the request on, fire every message onward unchanged (or changed);</li>
 *   <li>to answer it itself (429, a cache hit, an idempotent replay), write a complete response — e.g. with
 *       {@link Responses#problem} — release the request's messages, read and release the rest of the request up to
 *       its {@code LastHttpContent}, and then call {@code ctx.read()} for the next request (or close the connection
 *       if the body was not consumed). Telemetry records the response whichever stage wrote it.</li>
 * </ul>
 */
public record PolicyStages(Supplier<ChannelHandler> rateLimit, Supplier<ChannelHandler> idempotency,
                           Supplier<ChannelHandler> cache) {
    public static final PolicyStages NONE = new PolicyStages(null, null, null);
}
