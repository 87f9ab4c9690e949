package dev.vigil.load.sample;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/** The store against a sequential reference model, with writers and leaderboard readers racing. */
class GamificationStoreTest {
    private final GamificationStore store = new GamificationStore(InstantSource.fixed(Instant.EPOCH), 10, 100);

    @Test
    void concurrentAwardsMatchASequentialModelAndReadersNeverSeeABrokenLeaderboard() throws Exception {
        int writers = 4;
        int awardsPerWriter = 20_000;
        int users = 150;
        AtomicBoolean writing = new AtomicBoolean(true);
        ConcurrentLinkedQueue<String> readerProblems = new ConcurrentLinkedQueue<>();
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            int seed = w;
            threads.add(Thread.ofPlatform().start(() -> {
                await(start);
                for (int i = 0; i < awardsPerWriter; i++) {
                    store.award("u" + ((i * 7 + seed) % users), 1 + (i + seed) % 5, null, false);
                }
            }));
        }
        Thread reader = Thread.ofPlatform().start(() -> {
            await(start);
            while (writing.get()) {
                var board = store.leaderboard();
                Set<String> seen = new HashSet<>();
                for (int i = 0; i < board.top().size(); i++) {
                    var r = board.top().get(i);
                    if (!seen.add(r.id())) readerProblems.add("user twice: " + r.id());
                    if (r.rank() != i + 1) readerProblems.add("rank gap at " + i);
                    if (i > 0 && r.points() > board.top().get(i - 1).points()) readerProblems.add("not sorted at " + i);
                }
                if (board.top().size() > GamificationStore.LEADERBOARD_SIZE) readerProblems.add("too long");
            }
        });
        start.countDown();
        for (Thread t : threads) t.join();
        writing.set(false);
        reader.join();

        // the reference model: the same awards applied one after another
        Map<String, Long> expected = new HashMap<>();
        for (int w = 0; w < writers; w++) {
            for (int i = 0; i < awardsPerWriter; i++) {
                expected.merge("u" + ((i * 7 + w) % users), (long) (1 + (i + w) % 5), Long::sum);
            }
        }
        assertThat(readerProblems).isEmpty();
        for (var e : expected.entrySet()) {
            assertThat(store.user(e.getKey()).orElseThrow().points()).as(e.getKey()).isEqualTo(e.getValue());
        }
        List<String> expectedTop = expected.entrySet().stream()
                .sorted(Comparator.comparing((Map.Entry<String, Long> e) -> -e.getValue()).thenComparing(Map.Entry::getKey))
                .limit(100).map(Map.Entry::getKey).toList();
        assertThat(store.leaderboard().top()).extracting(GamificationStore.Ranked::id).containsExactlyElementsOf(expectedTop);
        assertThat(store.leaderboard().totalUsers()).isEqualTo(users);
    }

    @Test
    void forgetsTheOldestMissionsAndKeysBeyondTheirBounds() {
        for (int i = 0; i < 15; i++) {
            store.createMission("m" + i, i);
        }
        assertThat(store.mission(1)).isEmpty();
        assertThat(store.mission(5)).isEmpty();
        assertThat(store.mission(6)).isPresent();
        assertThat(store.mission(15)).isPresent();

        store.award("a", 1, "k-0", true);
        for (int i = 1; i <= 100; i++) {
            store.award("b", 1, "k-" + i, true);
        }
        // k-0 was evicted (101 keys, bound 100), so repeating it applies again; a recent key still replays
        assertThat(store.award("a", 1, "k-0", true)).isInstanceOf(GamificationStore.Award.Applied.class);
        assertThat(store.award("b", 1, "k-100", true)).isInstanceOf(GamificationStore.Award.Replayed.class);
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
