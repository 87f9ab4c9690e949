/**
 * Who is calling: an API key header mapped to a tenant and {@link dev.vigil.gateway.policy.tenant.Plan},
 * or the client address when no key is sent. Only SHA-256 hashes of keys are ever held.
 */
package dev.vigil.gateway.policy.tenant;
