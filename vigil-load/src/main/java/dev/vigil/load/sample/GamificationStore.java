package dev.vigil.load.sample;

import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The sample backend's in-memory state: missions, users with points, and the leaderboard.
 *
 * <p>Thread-safety: missions live in a concurrent map. Users, the ranking and the idempotency log share one
 * lock, so a points write and its re-ranking are one atomic step: a leaderboard read never sees a user twice,
 * never misses one, and totals are exact under any concurrency. The critical sections are a few tree
 * operations, far shorter than any service time the backend simulates.
 *
 * <p>Memory is bounded: the oldest missions are forgotten beyond {@code maxMissions}, the oldest idempotency
 * keys beyond {@code maxIdempotencyKeys}. Users are kept (one per distinct id a scenario sends).
 */
final class GamificationStore {
    static final int LEADERBOARD_SIZE = 100;

    record Mission(long id, String title, long points, Instant createdAt) {}

    /**
     * @param writes          point awards applied to this user
     * @param duplicateWrites awards applied although their Idempotency-Key had already been applied for this user
     */
    record User(String id, long points, long writes, long duplicateWrites, Instant updatedAt) {}

    record Ranked(int rank, String id, long points) {}

    /** Outcome of {@link #award}. */
    sealed interface Award {
        record Applied(User user, long awarded) implements Award {}

        /** The key was seen before with the same points: the first answer, not applied again. */
        record Replayed(User user, long awarded) implements Award {}

        /** The key was seen before with different points: a client bug, refused. */
        record KeyReused(long firstAwarded) implements Award {}
    }

    private final InstantSource clock;
    private final int maxMissions;
    private final int maxIdempotencyKeys;
    private final AtomicLong missionIds = new AtomicLong();
    private final ConcurrentHashMap<Long, Mission> missions = new ConcurrentHashMap<>();

    private final Object lock = new Object();
    // guarded by lock
    private final Map<String, MutableUser> users = new HashMap<>();
    // guarded by lock; ordered by points descending, then id, so the first 100 are the leaderboard
    private final TreeSet<MutableUser> ranking = new TreeSet<>(
            Comparator.comparingLong((MutableUser u) -> -u.points).thenComparing(u -> u.id));
    // guarded by lock; "userId\nkey" -> points of the first award, oldest first
    private final LinkedHashMap<String, Long> appliedKeys = new LinkedHashMap<>();

    GamificationStore(InstantSource clock, int maxMissions, int maxIdempotencyKeys) {
        this.clock = clock;
        this.maxMissions = maxMissions;
        this.maxIdempotencyKeys = maxIdempotencyKeys;
    }

    Mission createMission(String title, long points) {
        long id = missionIds.incrementAndGet();
        Mission m = new Mission(id, title, points, clock.instant());
        missions.put(id, m);
        missions.remove(id - maxMissions);
        return m;
    }

    Optional<Mission> mission(long id) {
        return Optional.ofNullable(missions.get(id));
    }

    Optional<User> user(String id) {
        synchronized (lock) {
            MutableUser u = users.get(id);
            return u == null ? Optional.empty() : Optional.of(u.snapshot());
        }
    }

    /**
     * Awards points to a user (creating the user on first award).
     *
     * @param idempotencyKey the request's Idempotency-Key, or null
     * @param honourKey      whether a repeated key replays instead of applying again
     */
    Award award(String userId, long points, String idempotencyKey, boolean honourKey) {
        synchronized (lock) {
            boolean duplicate = false;
            if (idempotencyKey != null) {
                String k = userId + '\n' + idempotencyKey;
                Long first = appliedKeys.get(k);
                if (first != null) {
                    if (honourKey) {
                        if (first != points) {
                            return new Award.KeyReused(first);
                        }
                        return new Award.Replayed(users.get(userId).snapshot(), points);
                    }
                    duplicate = true;
                } else {
                    appliedKeys.put(k, points);
                    if (appliedKeys.size() > maxIdempotencyKeys) {
                        Iterator<?> oldest = appliedKeys.keySet().iterator();
                        oldest.next();
                        oldest.remove();
                    }
                }
            }
            MutableUser u = users.get(userId);
            if (u == null) {
                u = new MutableUser(userId);
                users.put(userId, u);
            } else {
                ranking.remove(u);
            }
            u.points += points;
            u.writes++;
            if (duplicate) {
                u.duplicateWrites++;
            }
            u.updatedAt = clock.instant();
            ranking.add(u);
            return new Award.Applied(u.snapshot(), points);
        }
    }

    /** The top {@value #LEADERBOARD_SIZE} users by points (ties by id), plus the number of users. */
    Leaderboard leaderboard() {
        synchronized (lock) {
            List<Ranked> top = new ArrayList<>(Math.min(LEADERBOARD_SIZE, ranking.size()));
            int rank = 0;
            for (MutableUser u : ranking) {
                if (rank == LEADERBOARD_SIZE) {
                    break;
                }
                top.add(new Ranked(++rank, u.id, u.points));
            }
            return new Leaderboard(top, users.size());
        }
    }

    record Leaderboard(List<Ranked> top, int totalUsers) {}

    private static final class MutableUser {
        final String id;
        long points;
        long writes;
        long duplicateWrites;
        Instant updatedAt;

        MutableUser(String id) {
            this.id = id;
        }

        User snapshot() {
            return new User(id, points, writes, duplicateWrites, updatedAt);
        }
    }
}
