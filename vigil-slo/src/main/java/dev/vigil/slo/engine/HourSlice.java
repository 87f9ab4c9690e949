package dev.vigil.slo.engine;

/**
 * One closed (or, in a snapshot, the open) hour of one series.
 *
 * @param hist    sparse histogram encoding ({@link LongPages#encode()}) of every request in the hour
 * @param minutes per-minute counter cells: for each minute with traffic, ascending,
 *                {@code minuteOfHour, cellCount, (cellDelta, count)×cellCount} as varints
 */
record HourSlice(byte[] hist, byte[] minutes) {}
