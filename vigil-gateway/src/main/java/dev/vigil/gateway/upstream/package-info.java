/** Upstream pools: endpoints with health (active checks, passive ejection), balancing, keep-alive connections, retry budget. */
package dev.vigil.gateway.upstream;
