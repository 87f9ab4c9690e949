/**
 * Shared state for the policies: {@link dev.vigil.gateway.policy.state.RedisState} (one Lettuce
 * connection, outage tracking, Lua scripts) when several gateway instances must agree; the embedded
 * alternatives live beside each policy.
 */
package dev.vigil.gateway.policy.state;
