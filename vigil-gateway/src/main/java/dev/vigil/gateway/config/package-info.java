/** The gateway file: validated records ({@link dev.vigil.gateway.config.GatewayConfig} and its parts) and their reader. */
package dev.vigil.gateway.config;
