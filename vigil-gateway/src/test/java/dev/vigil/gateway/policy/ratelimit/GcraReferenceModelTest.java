package dev.vigil.gateway.policy.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.gateway.policy.FailMode;
import dev.vigil.gateway.policy.TestClock;
import dev.vigil.gateway.policy.tenant.Plan;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The embedded limiter against two obviously-correct reference models over random arrivals:
 * a token bucket (capacity = burst, one token per emission interval, kept as integer "credit"
 * nanoseconds so the comparison is exact) and a per-window counter map for quotas.
 */
class GcraReferenceModelTest {

    /** Token bucket in integer nanoseconds of credit: a token is T ns of credit, capacity burst·T. */
    static final class TokenBucket {
        final long t, capacity;
        long credit, last;

        TokenBucket(long t, long burst, long start) { this.t = t; this.capacity = t * burst; this.credit = capacity; this.last = start; }

        boolean admit(long now) {
            credit = Math.min(capacity, credit + (now - last));
            last = now;
            if (credit < t) return false;
            credit -= t;
            return true;
        }
    }

    @Test
    void agreesWithATokenBucketAndAWindowCounterOnRandomArrivals() {
        TestClock clock = TestClock.at("2026-03-01T12:00:00Z");
        Limit.Rate rate = new Limit.Rate("rate", 7, Duration.ofSeconds(3), 4);      // T = 428571428 ns
        Limit.Quota quota = new Limit.Quota("minute", 50, Duration.ofMinutes(1));
        var limiter = new EmbeddedRateLimiter(new RateLimitRules(
                Map.of("p", new Plan("p", List.of(rate, quota))), List.of(), List.of(), FailMode.OPEN), clock);
        long start = EmbeddedRateLimiter.nanos(clock.instant());
        TokenBucket bucket = new TokenBucket(rate.emissionIntervalNanos(), rate.burst(), start);
        Map<Long, Long> windows = new HashMap<>();
        SplittableRandom random = new SplittableRandom(42);
        int admitted = 0;
        for (int i = 0; i < 20_000; i++) {
            clock.advance(Duration.ofNanos(random.nextLong(0, 900_000_000L)));
            long now = EmbeddedRateLimiter.nanos(clock.instant());
            long window = now / quota.windowNanos();
            // the request is admitted only if both admit, and then both consume
            TokenBucket probe = new TokenBucket(bucket.t, rate.burst(), bucket.last);
            probe.credit = bucket.credit;
            boolean rateOk = probe.admit(now);
            boolean quotaOk = windows.getOrDefault(window, 0L) < quota.count();
            boolean expected = rateOk && quotaOk;
            if (expected) {
                bucket.admit(now);
                windows.merge(window, 1L, Long::sum);
            } else {
                bucket.credit = Math.min(bucket.capacity, bucket.credit + (now - bucket.last));
                bucket.last = now;
            }
            RateLimitDecision d = limiter.decideNow("t", "p", null);
            assertThat(d.allowed()).as("arrival %d", i).isEqualTo(expected);
            assertThat(d.policies().get(0).violated()).isEqualTo(!rateOk);
            assertThat(d.policies().get(1).violated()).isEqualTo(!quotaOk);
            if (expected) admitted++;
        }
        assertThat(admitted).isBetween(5_000, 19_000);    // the sequence exercised both outcomes
    }
}
