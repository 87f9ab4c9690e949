/** Where finished requests go: the SLO engine, Prometheus metrics and the JSON access log. */
package dev.vigil.gateway.telemetry;
