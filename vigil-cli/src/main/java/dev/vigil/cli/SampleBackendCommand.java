package dev.vigil.cli;

import dev.vigil.load.sample.SampleBackend;
import dev.vigil.load.sample.SampleBackendConfig;
import dev.vigil.load.sample.ServiceTime;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** {@code vigil sample-backend}: runs the sample gamification API until Ctrl-C. */
@Command(name = "sample-backend", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Run a small in-memory gamification API to practise load tests on, until Ctrl-C.",
                "Routes: POST /missions, GET /missions/{id}, POST /users/{id}/points, GET /users/{id},"
                        + " GET /leaderboard, GET /healthz."})
public final class SampleBackendCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Option(names = "--port", defaultValue = "8080", paramLabel = "P", description = "TCP port (0 = any free port). Default: ${DEFAULT-VALUE}.")
    private int port;

    @Option(names = "--host", defaultValue = "127.0.0.1", paramLabel = "HOST", description = "Address to bind. Default: ${DEFAULT-VALUE}.")
    private String host;

    @Option(names = "--latency", defaultValue = "0ms", converter = ServiceTimeConverter.class, paramLabel = "DIST",
            description = {"Service time of every API request: 5ms | fixed:5ms | uniform:min=2ms,max=8ms"
                    + " | lognormal:median=5ms,p99=40ms. Default: ${DEFAULT-VALUE}."})
    private ServiceTime latency;

    @Option(names = "--error-rate", defaultValue = "0%", converter = ErrorRateConverter.class, paramLabel = "RATE",
            description = "Share of API requests failed with an injected 500 or 503 (state unchanged), e.g. 1%%."
                    + " Default: ${DEFAULT-VALUE}.")
    private double errorRate;

    @Option(names = "--honour-idempotency-key",
            description = "Replay a repeated Idempotency-Key on POST /users/{id}/points instead of applying it again.")
    private boolean honourIdempotencyKey;

    @Option(names = "--threads", paramLabel = "N", description = "Event-loop threads. Default: one per core.")
    private Integer threads;

    private final CountDownLatch stopped = new CountDownLatch(1);
    private final CountDownLatch finished = new CountDownLatch(1);

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        SampleBackendConfig config;
        try {
            config = SampleBackendConfig.defaults().withHost(host).withPort(port).withServiceTime(latency)
                    .withErrorRate(errorRate).withHonourIdempotencyKey(honourIdempotencyKey);
            if (threads != null) {
                config = config.withEventLoopThreads(threads);
            }
        } catch (IllegalArgumentException e) {
            err.println("vigil sample-backend: " + e.getMessage());
            return Vigil.USAGE;
        }
        SampleBackend backend;
        try {
            backend = SampleBackend.start(config);
        } catch (IOException e) {
            err.println("vigil sample-backend: " + e.getMessage());
            return Vigil.USAGE;
        }
        // Ctrl-C: wake call() and let it close the server and say so before the JVM exits.
        Thread hook = new Thread(() -> {
            stop();
            try {
                finished.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "vigil-sample-backend-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        out.printf("sample backend listening on %s (service time %s, error rate %s%%, idempotency keys %s); Ctrl-C to stop%n",
                backend.baseUri(), latency, trim(errorRate * 100), honourIdempotencyKey ? "honoured" : "not honoured");
        out.flush();
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            backend.close();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the JVM is already exiting because of Ctrl-C: the hook is what woke us
            }
        }
        out.println("sample backend stopped");
        out.flush();
        finished.countDown();
        return Vigil.OK;
    }

    /** Stops a running {@link #call()}; what Ctrl-C does. */
    void stop() {
        stopped.countDown();
    }

    private static String trim(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }

    static final class ServiceTimeConverter implements CommandLine.ITypeConverter<ServiceTime> {
        @Override
        public ServiceTime convert(String value) {
            try {
                return ServiceTime.parse(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }

    static final class ErrorRateConverter implements CommandLine.ITypeConverter<Double> {
        @Override
        public Double convert(String value) {
            try {
                return SampleBackendConfig.parseErrorRate(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }
}
