/** The gateway: a Netty reverse proxy whose pipeline enforces limits and records every request. */
package dev.vigil.gateway;
