package dev.vigil.slo;

import dev.vigil.slo.spec.BudgetingMethod;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.time.Duration;

import static dev.vigil.slo.Specs.READ;
import static dev.vigil.slo.Specs.atLeast;
import static dev.vigil.slo.Specs.group;
import static dev.vigil.slo.Specs.latencyRatio;
import static dev.vigil.slo.Specs.millis;
import static dev.vigil.slo.Specs.percentile;
import static dev.vigil.slo.Specs.rolling;
import static dev.vigil.slo.Specs.tenant;
import static org.assertj.core.api.Assertions.assertThat;

class RecordAllocationTest {

    @Test
    void recordingAllocatesNothingOnceEachSeriesHasSeenTraffic() {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        TestClock clock = TestClock.at("2026-03-10T10:00:00Z");
        SloEngine engine = SloEngine.create(Specs.spec(
                percentile("p99", group(READ), "99", millis(100, 200, 500)),
                percentile("p99-gold", tenant(READ, "gold"), "99", millis(50, 100, 200)),
                latencyRatio("fast", group(READ), Duration.ofMillis(300), atLeast("99", "98", "95"), rolling(30, BudgetingMethod.EVENTS))), clock);
        String[] tenants = {"gold", "anyone", "someone-else"};
        Failure[] failures = Failure.values();
        CacheResult[] caches = CacheResult.values();
        Runnable burst = () -> {
            for (int i = 0; i < 200_000; i++) {
                engine.record(i % 2 == 0 ? READ : "unknown", tenants[i % 3], 200 + (i % 4) * 100, failures[i % 4],
                        (i * 7919L) % 5_000_000, caches[i % 5], clock.millis());
            }
        };
        burst.run();  // first touch allocates counting pages
        long id = Thread.currentThread().threadId();
        long before = threads.getThreadAllocatedBytes(id);
        burst.run();
        long allocated = threads.getThreadAllocatedBytes(id) - before;
        assertThat(allocated).as("bytes allocated by 200,000 records").isLessThan(4_096);
    }
}
