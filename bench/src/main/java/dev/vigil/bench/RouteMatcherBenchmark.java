package dev.vigil.bench;

import dev.vigil.slo.config.ConfigException;
import dev.vigil.slo.spec.RouteMatcher;
import dev.vigil.slo.spec.SloFiles;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * Cost of finding a request's route group, paid on every proxied request. {@code routes} is the number of
 * route patterns in the file; the request matches the last group (worst case for a scan in file order) or none;
 * a HEAD request takes the GET route after its own (empty) patterns miss.
 *
 * <pre>java -jar bench/target/benchmarks.jar RouteMatcherBenchmark -prof gc</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class RouteMatcherBenchmark {
    @Param({"5", "50"})
    int routes;

    RouteMatcher matcher;
    String lastPath;

    @Setup
    public void setUp() throws ConfigException {
        StringBuilder yaml = new StringBuilder("service: bench\nroutes:\n");
        for (int i = 0; i < routes; i++) {
            yaml.append("  group-").append(i).append(":\n    match: GET /api/v1/resource-").append(i).append("/{id}/items/{item}\n");
        }
        matcher = RouteMatcher.of(SloFiles.parse("bench.yaml", yaml.toString()));
        lastPath = "/api/v1/resource-" + (routes - 1) + "/12345/items/678?expand=true";
    }

    @Benchmark
    public String matchLastGroup() {
        return matcher.groupFor("GET", lastPath);
    }

    @Benchmark
    public String matchNothing() {
        return matcher.groupFor("GET", "/other/path/that/matches/nothing");
    }

    /** A HEAD request with no HEAD pattern: the HEAD trie misses, then the GET trie matches (RFC 9110 fallback). */
    @Benchmark
    public String headFallsBackToGet() {
        return matcher.groupFor("HEAD", lastPath);
    }

    @Benchmark
    public String unknownMethod() {
        return matcher.groupFor("PROPFIND", lastPath);
    }
}
