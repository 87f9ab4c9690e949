package dev.vigil.load;

import dev.vigil.load.engine.Engine;
import dev.vigil.load.scenario.Scenario;
import dev.vigil.load.stress.StressPlan;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.InstantSource;
import java.util.Objects;

/**
 * One load run: a scenario against its target, measured coordinated-omission free, optionally judged by an SLO
 * file and optionally as a stress search.
 *
 * <pre>{@code
 * Scenario scenario = ScenarioFiles.load(Path.of("checkout.yaml"));
 * RunResult result = LoadTest.of(scenario).progress(out).build().run();
 * }</pre>
 *
 * <p>{@link #run()} blocks until the run ends; {@link #interrupt()} (any thread, e.g. a Ctrl-C handler) stops it
 * early and the partial result is still returned.
 */
public final class LoadTest {
    private final Engine engine;
    private final Scenario scenario;

    private LoadTest(Scenario scenario, Engine engine) {
        this.scenario = scenario;
        this.engine = engine;
    }

    public static Builder of(Scenario scenario) {
        return new Builder(scenario);
    }

    /**
     * Checks that the target accepts TCP connections, so an unreachable target is one clear line before a run
     * rather than a run full of errors.
     *
     * @throws LoadException naming the target and what went wrong
     */
    public static void checkReachable(URI target, int timeoutMillis) throws LoadException {
        String host = target.getHost();
        if (host == null) throw new LoadException("target " + target + " has no host");
        if (host.startsWith("[")) host = host.substring(1, host.length() - 1);
        int port = target.getPort() > 0 ? target.getPort() : "https".equalsIgnoreCase(target.getScheme()) ? 443 : 80;
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), timeoutMillis);
        } catch (UnknownHostException e) {
            throw new LoadException("cannot reach " + target + ": unknown host " + host);
        } catch (java.net.SocketTimeoutException e) {
            throw new LoadException("cannot reach " + target + ": no answer within " + timeoutMillis + " ms");
        } catch (IOException e) {
            String why = e instanceof java.net.ConnectException ? "connection refused (is the server running?)"
                    : e.getMessage();
            throw new LoadException("cannot reach " + target + ": " + why);
        }
    }

    /** Runs to the end, or until {@link #interrupt()} or a failure criterion stops it. Call once. */
    public RunResult run() {
        return engine.run();
    }

    /** Stops the run early; {@link #run()} then returns the partial result marked {@code interrupted}. Thread-safe. */
    public void interrupt() {
        engine.interrupt();
    }

    public Scenario scenario() { return scenario; }

    /** Options of a run; every one has a sensible default. */
    public static final class Builder {
        private final Scenario scenario;
        private PrintWriter progress;
        private IntervalSink intervalSink = IntervalSink.NONE;
        private SloJudge judge;
        private InstantSource clock = InstantSource.system();
        private StressPlan stress;
        private int threads = Runtime.getRuntime().availableProcessors();

        private Builder(Scenario scenario) {
            this.scenario = Objects.requireNonNull(scenario, "scenario");
        }

        /** Where one progress line per second goes; none by default. */
        public Builder progress(PrintWriter out) {
            this.progress = out;
            return this;
        }

        /** Receives each second's latency histograms (for the {@code .hlog}). */
        public Builder intervalSink(IntervalSink sink) {
            this.intervalSink = Objects.requireNonNull(sink);
            return this;
        }

        /** Judges the run with an SLO file; every request is recorded into it. */
        public Builder slo(SloJudge judge) {
            this.judge = judge;
            return this;
        }

        /** Wall clock for time stamps; the system clock by default. */
        public Builder clock(InstantSource clock) {
            this.clock = Objects.requireNonNull(clock);
            return this;
        }

        /** Runs a stress search instead of the scenario's phases. */
        public Builder stress(StressPlan plan) {
            this.stress = plan;
            return this;
        }

        /** Event loops to use; one per core by default. */
        public Builder threads(int threads) {
            this.threads = threads;
            return this;
        }

        public LoadTest build() {
            return new LoadTest(scenario, new Engine(scenario,
                    new Engine.Options(progress, intervalSink, judge, clock, stress, threads)));
        }
    }
}
