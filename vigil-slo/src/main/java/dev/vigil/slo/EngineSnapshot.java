package dev.vigil.slo;

import dev.vigil.slo.engine.Frames;

import java.time.Instant;

/**
 * Everything an {@link SloEngine} has counted, frozen at one instant: immutable, mergeable and serialisable.
 *
 * <p>Merging is exact: histogram cells and counters add, so evaluating {@code merge(a, b)} gives the same
 * report as one engine that recorded both engines' traffic (several gateway instances or load agents
 * combine into one view). Snapshots merge when they come from SLO files with the same precision and
 * latency thresholds.
 *
 * <p>{@link #toBytes()} is a versioned, deflate-compressed binary format (magic {@code VSLO}, version 1)
 * holding sparse varint encodings of HdrHistogram cells and counter cells. A busy series is roughly
 * 2-4 KB per retained hour.
 */
public final class EngineSnapshot {
    final Frames frames;

    EngineSnapshot(Frames frames) {
        this.frames = frames;
    }

    /** The start of the minute that was open at capture (the later one, for a merge). */
    public Instant capturedAt() {
        return Instant.ofEpochMilli(frames.capturedMinute() * 60_000);
    }

    /** @throws IllegalArgumentException when the snapshots come from incompatible SLO files */
    public static EngineSnapshot merge(EngineSnapshot a, EngineSnapshot b) {
        return new EngineSnapshot(Frames.merge(a.frames, b.frames));
    }

    /**
     * Merges any number of snapshots, e.g. one per gateway instance.
     *
     * @throws IllegalArgumentException when {@code snapshots} is empty or holds incompatible snapshots
     */
    public static EngineSnapshot mergeAll(java.util.Collection<EngineSnapshot> snapshots) {
        return snapshots.stream().reduce(EngineSnapshot::merge)
                .orElseThrow(() -> new IllegalArgumentException("nothing to merge: no snapshots"));
    }

    public byte[] toBytes() {
        return frames.toBytes();
    }

    /** @throws IllegalArgumentException when {@code bytes} is not a snapshot this version reads */
    public static EngineSnapshot fromBytes(byte[] bytes) {
        return new EngineSnapshot(Frames.fromBytes(bytes));
    }
}
