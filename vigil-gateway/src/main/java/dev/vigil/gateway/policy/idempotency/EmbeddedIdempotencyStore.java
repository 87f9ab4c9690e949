package dev.vigil.gateway.policy.idempotency;

import dev.vigil.gateway.policy.idempotency.RecordCodec.Rec;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.InstantSource;
import java.util.Iterator;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;

/**
 * Idempotency records of one gateway instance, persisted in an H2 MVStore file so that a restart
 * (or a crash) loses none: a duplicate sent after the restart is replayed, not re-executed.
 *
 * <p>Durability: every state change is committed to the file before the call returns (MVStore
 * writes a new chunk; a process crash after that point loses nothing; an OS crash can lose what the
 * OS had not flushed, as MVStore does not fsync per commit). Atomicity per key: operations on one
 * key are serialised by one of 64 striped locks; MVStore itself is safe for concurrent use.
 * Expired records are treated as absent at once and removed by {@link #purgeExpired()} (the gateway
 * calls it periodically) — the file does not grow without bound.
 *
 * <p>Only one process may open a file at a time (MVStore locks it).
 */
public final class EmbeddedIdempotencyStore implements IdempotencyStore {

    private final MVStore store;
    private final MVMap<String, byte[]> records;
    private final InstantSource clock;
    private final Object[] stripes = new Object[64];

    private EmbeddedIdempotencyStore(MVStore store, InstantSource clock) {
        this.store = store;
        this.records = store.openMap("idempotency");
        this.clock = clock;
        for (int i = 0; i < stripes.length; i++) stripes[i] = new Object();
    }

    /** Opens (or creates) the store file, e.g. {@code /var/lib/vigil/idempotency.mv.db}. */
    public static EmbeddedIdempotencyStore open(Path file, InstantSource clock) {
        MVStore store = new MVStore.Builder().fileName(file.toString()).autoCommitDisabled().open();
        return new EmbeddedIdempotencyStore(store, clock);
    }

    /** A store that keeps its records in memory only ({@code state: memory}): same semantics, lost on restart. */
    public static EmbeddedIdempotencyStore inMemory(InstantSource clock) {
        return new EmbeddedIdempotencyStore(new MVStore.Builder().autoCommitDisabled().open(), clock);
    }

    @Override
    public CompletionStage<ClaimResult> claim(RecordKey key, byte[] fingerprint, long inFlightMillis) {
        return CompletableFuture.completedFuture(claimNow(key, fingerprint, inFlightMillis));
    }

    ClaimResult claimNow(RecordKey key, byte[] fingerprint, long inFlightMillis) {
        String k = key.flat();
        long now = clock.millis();
        ClaimResult result;
        synchronized (stripe(k)) {
            Rec existing = live(records.get(k), now);
            if (existing != null) return blocking(existing, fingerprint);
            String token = UUID.randomUUID().toString();
            records.put(k, RecordCodec.encode(new Rec(RecordCodec.IN_FLIGHT, fingerprint, token, now + inFlightMillis, 0, null)));
            result = new ClaimResult.Claimed(token);
        }
        store.commit();
        return result;
    }

    @Override
    public CompletionStage<ClaimResult> lookup(RecordKey key, byte[] fingerprint) {
        return CompletableFuture.completedFuture(lookupNow(key, fingerprint));
    }

    /** Synchronous lookup: no I/O once the record's page is cached. */
    public ClaimResult lookupNow(RecordKey key, byte[] fingerprint) {
        Rec r = live(records.get(key.flat()), clock.millis());
        return r == null ? ClaimResult.ABSENT : blocking(r, fingerprint);
    }

    @Override
    public CompletionStage<Boolean> complete(RecordKey key, String token, int status, StoredResponse response, long ttlMillis) {
        String k = key.flat();
        long now = clock.millis();
        synchronized (stripe(k)) {
            Rec r = live(records.get(k), now);
            if (r == null || r.state() != RecordCodec.IN_FLIGHT || !r.token().equals(token)) {
                return CompletableFuture.completedFuture(false);
            }
            byte state = response == null ? RecordCodec.NOT_REPLAYABLE : RecordCodec.COMPLETED;
            records.put(k, RecordCodec.encode(new Rec(state, r.fingerprint(), token, now + ttlMillis, status, response)));
        }
        store.commit();
        return CompletableFuture.completedFuture(true);
    }

    @Override
    public CompletionStage<Void> release(RecordKey key, String token) {
        String k = key.flat();
        boolean removed = false;
        synchronized (stripe(k)) {
            byte[] raw = records.get(k);
            if (raw != null) {
                Rec r = RecordCodec.decode(raw);
                if (r.state() == RecordCodec.IN_FLIGHT && r.token().equals(token)) {
                    records.remove(k);
                    removed = true;
                }
            }
        }
        if (removed) store.commit();
        return CompletableFuture.completedFuture(null);
    }

    /** Removes expired records and stale claims; returns how many. */
    public int purgeExpired() {
        long now = clock.millis();
        int removed = 0;
        for (Iterator<Map.Entry<String, byte[]>> it = records.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, byte[]> e = it.next();
            if (RecordCodec.decode(e.getValue()).until() <= now) {
                synchronized (stripe(e.getKey())) {
                    byte[] current = records.get(e.getKey());
                    if (current != null && RecordCodec.decode(current).until() <= now) {
                        records.remove(e.getKey());
                        removed++;
                    }
                }
            }
        }
        if (removed > 0) store.commit();
        return removed;
    }

    /** Runs {@link #purgeExpired()} every {@code interval} on {@code scheduler}; cancel the future to stop. */
    public java.util.concurrent.ScheduledFuture<?> purgeEvery(java.time.Duration interval,
                                                              java.util.concurrent.ScheduledExecutorService scheduler) {
        long millis = interval.toMillis();
        return scheduler.scheduleWithFixedDelay(this::purgeExpired, millis, millis, java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    /** Records held, including expired ones not yet purged. */
    public long size() { return records.sizeAsLong(); }

    private static Rec live(byte[] raw, long now) {
        if (raw == null) return null;
        Rec r = RecordCodec.decode(raw);
        return r.until() <= now ? null : r;
    }

    private static ClaimResult blocking(Rec r, byte[] fingerprint) {
        if (!MessageDigest.isEqual(r.fingerprint(), fingerprint)) return ClaimResult.MISMATCH;
        return switch (r.state()) {
            case RecordCodec.IN_FLIGHT -> ClaimResult.IN_FLIGHT;
            case RecordCodec.COMPLETED -> new ClaimResult.Completed(r.response());
            default -> new ClaimResult.NotReplayable(r.status());
        };
    }

    private Object stripe(String k) {
        return stripes[(k.hashCode() & 0x7fffffff) % stripes.length];
    }

    /** Commits and closes the file. */
    @Override
    public void close() {
        store.close();
    }
}
