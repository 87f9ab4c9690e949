/**
 * The load engine: Netty event loops sending scenario requests at their intended times (open model) or for a fixed
 * set of users (closed model), measuring latency from the intended time and service time from the actual send into
 * HdrHistogram recorders. Internal: use {@link dev.vigil.load.LoadTest}.
 */
package dev.vigil.load.engine;
