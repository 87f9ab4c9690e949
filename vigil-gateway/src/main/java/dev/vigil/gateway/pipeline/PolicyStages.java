package dev.vigil.gateway.pipeline;

import io.netty.channel.ChannelHandler;

import java.util.function.Supplier;

/**
 * The edge-policy slots between the tenant stage and the proxy: rate limit, idempotency, cache — in that order, as
 * {@link GatewayPipeline} installs them. Each supplier makes one handler per client connection; null leaves the
 * slot empty. A policy reads and fills the connection's {@link Exchange} (tenant, cache result) and may answer a
 * request itself instead of passing it on.
 */
public record PolicyStages(Supplier<ChannelHandler> rateLimit, Supplier<ChannelHandler> idempotency,
                           Supplier<ChannelHandler> cache) {
    public static final PolicyStages NONE = new PolicyStages(null, null, null);
}
