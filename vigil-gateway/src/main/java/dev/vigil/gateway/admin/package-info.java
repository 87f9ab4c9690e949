/** The admin plane on its own port: probes, Prometheus metrics, the SLO report and reload-from-file. */
package dev.vigil.gateway.admin;
