package dev.vigil.gateway.policy.idempotency;

import dev.vigil.gateway.policy.idempotency.RecordCodec.Rec;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;

/**
 * Idempotency records of one gateway instance, persisted in an H2 MVStore file so that a restart
 * (or a crash of the gateway process) loses none: a duplicate sent after the restart is replayed,
 * not re-executed.
 *
 * <p>Design: group commit (as in database write-ahead logs, e.g. PostgreSQL's {@code commit_delay},
 * MySQL's binlog group commit). An operation changes the in-memory map at once, under one of 64
 * striped locks, so a concurrent duplicate sees the claim immediately and exactly one of many
 * concurrent claims wins. One thread of this store ({@code vigil-idempotency-commit}) then commits
 * everything changed since its previous commit in one {@link MVStore#commit()} — a batch — and only
 * after that commit completes the {@link CompletionStage} of each operation it contains. While a
 * commit runs, new operations queue up and go into the next one, so under load the number of commits
 * per second stays roughly constant while the operations per commit grow; idle, a single operation is
 * committed at once (no timer, no added delay).
 *
 * <p>Durability guarantee: a stage completes (its result is acknowledged) only after the MVStore
 * commit containing the change it reports has written its chunk to the file. That includes reads:
 * a claim, lookup or completion whose answer reflects another request's change not yet committed
 * waits for that commit too, so no caller is ever told something that a process crash could take back.
 * {@code MVStore.commit()} writes the chunk with {@code FileChannel.write} but does not call
 * {@code FileChannel.force} (fsync) — H2 2.3 syncs only on {@link MVStore#sync()}, compaction and a
 * clean close. So by default an acknowledged record survives a crash or kill of the gateway process
 * ({@code kill -9}, {@code Runtime.halt}, an OOM kill), because the data is in the operating system's
 * page cache; it survives an operating-system crash or power loss only when the store is opened with
 * {@code fsync = true} (the gateway file's {@code state-fsync: true}), which forces the file to the device
 * once per batch before acknowledging. A failed commit fails every operation of its batch (the
 * engine's fail mode decides those requests) and every later one.
 *
 * <p>Threads: the map operations run on the caller's thread and do no file I/O unless a record's page
 * is not cached (reads only; writes go to the file on the commit thread). Stages complete on the
 * commit thread: keep continuations short or hop to another executor.
 * Expired records are treated as absent at once and removed by {@link #purgeExpired()} (the gateway
 * calls it periodically) — the file does not grow without bound.
 *
 * <p>Only one process may open a file at a time (MVStore locks it).
 */
public final class EmbeddedIdempotencyStore implements IdempotencyStore {

    private static final int STRIPES = 64;

    private final MVStore store;
    private final MVMap<String, byte[]> records;
    private final InstantSource clock;
    private final boolean fsync;
    private final Runnable beforeCommit;
    private final Object[] stripes = new Object[STRIPES];
    /** Sequence number of the last change made under each stripe; guarded by that stripe's lock. */
    private final long[] stripeSeq = new long[STRIPES];

    private final Object queueLock = new Object();
    /** Changes made so far; each change takes the next number after its map update. Guarded by queueLock. */
    private long changeSeq;
    /** Every change numbered up to this is in a committed chunk. Written under queueLock. */
    private volatile long committedSeq;
    /** Stages to complete once {@code committedSeq >= seq}; in increasing seq order. Guarded by queueLock. */
    private final ArrayDeque<Pending<?>> pending = new ArrayDeque<>();
    private boolean closing;                       // guarded by queueLock
    /** The first commit failure: from then on every operation fails (the file's state is unknown). */
    private volatile Throwable broken;
    private long commits;                          // commits run; guarded by queueLock
    private final Thread committer;

    private record Pending<T>(long seq, CompletableFuture<T> stage, T value) {
        void succeed() { stage.complete(value); }
    }

    private EmbeddedIdempotencyStore(MVStore store, InstantSource clock, boolean fsync, Runnable beforeCommit) {
        this.store = store;
        this.records = store.openMap("idempotency");
        this.clock = clock;
        this.fsync = fsync;
        this.beforeCommit = beforeCommit;
        for (int i = 0; i < stripes.length; i++) stripes[i] = new Object();
        this.committer = Thread.ofPlatform().daemon().name("vigil-idempotency-commit").start(this::commitLoop);
    }

    /**
     * Opens (or creates) the store file, e.g. {@code /var/lib/vigil/idempotency.mv.db}, without fsync:
     * acknowledged records survive a process crash, not an OS crash or power loss (see the class doc).
     */
    public static EmbeddedIdempotencyStore open(Path file, InstantSource clock) {
        return open(file, clock, false);
    }

    /**
     * @param fsync force the file to the device after each batch commit, before acknowledging it, so
     *              acknowledged records also survive an OS crash or power loss (costs one fsync per batch)
     */
    public static EmbeddedIdempotencyStore open(Path file, InstantSource clock, boolean fsync) {
        return open(file, clock, fsync, () -> { });
    }

    /** For tests: {@code beforeCommit} runs on the commit thread before each commit takes its batch. */
    static EmbeddedIdempotencyStore open(Path file, InstantSource clock, boolean fsync, Runnable beforeCommit) {
        MVStore store = new MVStore.Builder().fileName(file.toString()).autoCommitDisabled().open();
        return new EmbeddedIdempotencyStore(store, clock, fsync, beforeCommit);
    }

    /** A store that keeps its records in memory only ({@code state: memory}): same semantics, lost on restart. */
    public static EmbeddedIdempotencyStore inMemory(InstantSource clock) {
        return new EmbeddedIdempotencyStore(new MVStore.Builder().autoCommitDisabled().open(), clock, false, () -> { });
    }

    @Override
    public CompletionStage<ClaimResult> claim(RecordKey key, byte[] fingerprint, long inFlightMillis) {
        String k = key.flat();
        int s = stripeOf(k);
        long now = clock.millis();
        synchronized (stripes[s]) {
            Rec existing = live(records.get(k), now);
            if (existing != null) return afterCommitOf(stripeSeq[s], blocking(existing, fingerprint));
            String token = UUID.randomUUID().toString();
            records.put(k, RecordCodec.encode(new Rec(RecordCodec.IN_FLIGHT, fingerprint, token, now + inFlightMillis, 0, null)));
            return changed(s, new ClaimResult.Claimed(token));
        }
    }

    @Override
    public CompletionStage<ClaimResult> lookup(RecordKey key, byte[] fingerprint) {
        String k = key.flat();
        int s = stripeOf(k);
        long now = clock.millis();
        synchronized (stripes[s]) {
            Rec r = live(records.get(k), now);
            return afterCommitOf(stripeSeq[s], r == null ? ClaimResult.ABSENT : blocking(r, fingerprint));
        }
    }

    /**
     * The record as it is in memory now, without waiting for durability: it may reflect a change not yet
     * committed. No I/O once the record's page is cached. For measurements and diagnostics, not for answers.
     */
    public ClaimResult lookupNow(RecordKey key, byte[] fingerprint) {
        Rec r = live(records.get(key.flat()), clock.millis());
        return r == null ? ClaimResult.ABSENT : blocking(r, fingerprint);
    }

    @Override
    public CompletionStage<Boolean> complete(RecordKey key, String token, int status, StoredResponse response, long ttlMillis) {
        String k = key.flat();
        int s = stripeOf(k);
        long now = clock.millis();
        synchronized (stripes[s]) {
            Rec r = live(records.get(k), now);
            if (r == null || r.state() != RecordCodec.IN_FLIGHT || !r.token().equals(token)) {
                return afterCommitOf(stripeSeq[s], false);
            }
            byte state = response == null ? RecordCodec.NOT_REPLAYABLE : RecordCodec.COMPLETED;
            records.put(k, RecordCodec.encode(new Rec(state, r.fingerprint(), token, now + ttlMillis, status, response)));
            return changed(s, true);
        }
    }

    @Override
    public CompletionStage<Void> release(RecordKey key, String token) {
        String k = key.flat();
        int s = stripeOf(k);
        synchronized (stripes[s]) {
            byte[] raw = records.get(k);
            if (raw != null) {
                Rec r = RecordCodec.decode(raw);
                if (r.state() == RecordCodec.IN_FLIGHT && r.token().equals(token)) {
                    records.remove(k);
                    return changed(s, null);
                }
            }
            return afterCommitOf(stripeSeq[s], null);
        }
    }

    /** Removes expired records and stale claims; returns how many. The removals go into the next commit. */
    public int purgeExpired() {
        long now = clock.millis();
        int removed = 0;
        for (Iterator<Map.Entry<String, byte[]>> it = records.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, byte[]> e = it.next();
            if (RecordCodec.decode(e.getValue()).until() <= now) {
                int s = stripeOf(e.getKey());
                synchronized (stripes[s]) {
                    byte[] current = records.get(e.getKey());
                    if (current != null && RecordCodec.decode(current).until() <= now) {
                        records.remove(e.getKey());
                        changed(s, null);
                        removed++;
                    }
                }
            }
        }
        return removed;
    }

    /** Runs {@link #purgeExpired()} every {@code interval} on {@code scheduler}; cancel the future to stop. */
    public ScheduledFuture<?> purgeEvery(Duration interval, ScheduledExecutorService scheduler) {
        long millis = interval.toMillis();
        return scheduler.scheduleWithFixedDelay(this::purgeExpired, millis, millis, TimeUnit.MILLISECONDS);
    }

    /** Records held, including expired ones not yet purged. */
    public long size() { return records.sizeAsLong(); }

    /** Batch commits run so far (each one covers every change queued since the previous one). */
    long commits() {
        synchronized (queueLock) { return commits; }
    }

    /**
     * Numbers a change just made to the map under stripe {@code s} (caller holds its lock) and returns a
     * stage that completes with {@code value} after the commit that contains it.
     */
    private <T> CompletionStage<T> changed(int s, T value) {
        CompletableFuture<T> stage = new CompletableFuture<>();
        synchronized (queueLock) {
            if (broken != null) return CompletableFuture.failedFuture(broken);
            if (closing) return CompletableFuture.failedFuture(new IllegalStateException("idempotency store closed"));
            long seq = ++changeSeq;   // after the map update: a commit that sees this number contains the update
            stripeSeq[s] = seq;
            pending.addLast(new Pending<>(seq, stage, value));
            queueLock.notifyAll();
        }
        return stage;
    }

    /**
     * A result read under a stripe whose last change is {@code seq}: immediate when that change is
     * committed, else after the next commit (the reader may have seen the uncommitted change).
     */
    private <T> CompletionStage<T> afterCommitOf(long seq, T value) {
        if (broken != null) return CompletableFuture.failedFuture(broken);
        if (seq <= committedSeq) return CompletableFuture.completedFuture(value);
        CompletableFuture<T> stage = new CompletableFuture<>();
        synchronized (queueLock) {
            if (seq <= committedSeq) return CompletableFuture.completedFuture(value);
            // Numbered as the newest change so the queue stays ordered; costs at most waiting for a commit already due.
            pending.addLast(new Pending<>(changeSeq, stage, value));
        }
        return stage;
    }

    private void commitLoop() {
        List<Pending<?>> batch = new ArrayList<>();
        while (true) {
            synchronized (queueLock) {
                while (changeSeq == committedSeq && !closing) {
                    try {
                        queueLock.wait();
                    } catch (InterruptedException e) {
                        // only close() stops this thread
                    }
                }
                if (changeSeq == committedSeq) return;   // closing, nothing left
            }
            beforeCommit.run();
            long upTo;
            synchronized (queueLock) { upTo = changeSeq; }
            Throwable failure = null;
            try {
                store.commit();
                if (fsync) store.sync();
            } catch (RuntimeException | Error e) {
                failure = e;
            }
            synchronized (queueLock) {
                commits++;
                if (failure != null && broken == null) broken = failure;
                committedSeq = upTo;
                while (!pending.isEmpty() && pending.peekFirst().seq() <= upTo) batch.add(pending.pollFirst());
            }
            for (Pending<?> p : batch) {
                if (failure == null) p.succeed(); else p.stage().completeExceptionally(failure);
            }
            batch.clear();
        }
    }

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

    private static int stripeOf(String k) {
        return (k.hashCode() & 0x7fffffff) % STRIPES;
    }

    /** Commits what is queued (acknowledging it), stops the commit thread, then closes the file. */
    @Override
    public void close() {
        synchronized (queueLock) {
            closing = true;
            queueLock.notifyAll();
        }
        try {
            committer.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        store.close();
    }
}
