/**
 * The gateway: a Netty reverse proxy whose pipeline enforces limits and records every request against the SLO.
 *
 * <p>Entry point: {@link dev.vigil.gateway.Gateway#builder} with a configuration from
 * {@link dev.vigil.gateway.config.GatewayFiles#load}. The stage order is in
 * {@link dev.vigil.gateway.pipeline.GatewayPipeline}; edge policies plug into its slots through
 * {@link dev.vigil.gateway.pipeline.PolicyStages}.
 */
package dev.vigil.gateway;
