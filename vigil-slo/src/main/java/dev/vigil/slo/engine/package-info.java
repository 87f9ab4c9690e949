/**
 * Internals of {@link dev.vigil.slo.SloEngine}: per-minute accumulators, minute/hour/day frames,
 * snapshots and their binary form. Not part of Vigil's API: the few public types here are public only
 * so that {@code dev.vigil.slo} can use them, and may change without notice.
 */
package dev.vigil.slo.engine;
