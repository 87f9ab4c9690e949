/**
 * The per-connection request pipeline: one small handler per job, composed in
 * {@link dev.vigil.gateway.pipeline.GatewayPipeline}. The per-request state every stage shares is
 * {@link dev.vigil.gateway.pipeline.Exchange}.
 */
package dev.vigil.gateway.pipeline;
