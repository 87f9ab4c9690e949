package dev.vigil.bench;

import dev.vigil.slo.CacheResult;
import dev.vigil.slo.Failure;
import dev.vigil.slo.SloEngine;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.InstantSource;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.CyclicBarrier;

/**
 * {@code record()} throughput per CPU-second of the recording threads: what "records per second per
 * core" means, and far steadier than wall-clock throughput when the machine is shared (a thread that is
 * descheduled is not charged). Same requests and spec as {@link RecordBenchmark} ({@code tenants=mixed}).
 *
 * <pre>java -cp bench/target/benchmarks.jar dev.vigil.bench.RecordCpuTime [threads] [rounds]</pre>
 */
public final class RecordCpuTime {
    private static final int SAMPLES = 4096;
    private static final int PER_ROUND = 20_000_000;

    public static void main(String[] args) throws Exception {
        int threads = args.length > 0 ? Integer.parseInt(args[0]) : 1;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        SloEngine engine = SloEngine.create(RecordBenchmark.spec(), InstantSource.system());
        long epochMillis = System.currentTimeMillis();
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        CyclicBarrier barrier = new CyclicBarrier(threads);
        double[][] rates = new double[threads][rounds];
        Thread[] workers = new Thread[threads];
        for (int t = 0; t < threads; t++) {
            int id = t;
            workers[t] = new Thread(() -> {
                String[] names = {"bigco", "smallco", "anon-1", "anon-2", "anon-3", "freeloader"};
                SplittableRandom random = new SplittableRandom(id);
                String[] groups = new String[SAMPLES], tenants = new String[SAMPLES];
                int[] statuses = new int[SAMPLES];
                long[] latencies = new long[SAMPLES];
                CacheResult[] caches = new CacheResult[SAMPLES];
                for (int i = 0; i < SAMPLES; i++) {
                    groups[i] = random.nextBoolean() ? "read" : "write";
                    tenants[i] = names[random.nextInt(names.length)];
                    statuses[i] = random.nextInt(100) == 0 ? 503 : 200;
                    latencies[i] = (long) Math.exp(Math.log(20_000) + random.nextGaussian());
                    caches[i] = random.nextBoolean() ? CacheResult.NONE : random.nextInt(4) == 0 ? CacheResult.MISS : CacheResult.HIT;
                }
                try {
                    for (int r = -3; r < rounds; r++) {  // three warm-up rounds
                        barrier.await();
                        long cpu = mx.getCurrentThreadCpuTime();
                        for (int i = 0; i < PER_ROUND; i++) {
                            int k = i & (SAMPLES - 1);
                            engine.record(groups[k], tenants[k], statuses[k], Failure.NONE, latencies[k], caches[k], epochMillis);
                        }
                        cpu = mx.getCurrentThreadCpuTime() - cpu;
                        if (r >= 0) rates[id][r] = PER_ROUND / (cpu / 1e9);
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            workers[t].start();
        }
        for (Thread w : workers) w.join();
        for (int t = 0; t < threads; t++) {
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "thread %d of %d: records per CPU-second:", t + 1, threads));
            for (double rate : rates[t]) line.append(String.format(Locale.ROOT, " %.1fM", rate / 1e6));
            System.out.println(line);
        }
    }
}
