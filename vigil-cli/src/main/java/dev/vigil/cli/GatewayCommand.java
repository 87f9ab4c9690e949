package dev.vigil.cli;

import dev.vigil.gateway.Gateway;
import dev.vigil.gateway.config.GatewayConfig;
import dev.vigil.gateway.config.GatewayFiles;
import dev.vigil.slo.config.ConfigException;
import dev.vigil.slo.config.Problem;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;

/**
 * {@code vigil gateway --config FILE}: runs the gateway until SIGTERM/SIGINT (graceful: drains requests in flight up
 * to {@code shutdown-grace}). SIGHUP re-reads the file; a file with problems is refused and the running
 * configuration keeps serving. {@code --check} only validates the file. Exit 0 on a clean stop, 2 when the file is
 * wrong or a listener cannot bind; never a stack trace.
 */
@Command(name = "gateway", mixinStandardHelpOptions = true,
        description = "Run the gateway: a reverse proxy that measures every request against the SLO (see docs/gateway-file.md).")
final class GatewayCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--config", required = true, paramLabel = "FILE", description = "the gateway file (YAML), e.g. examples/gateway.yaml")
    Path config;

    @Option(names = "--check", description = "validate FILE (and the SLO file it names) and exit")
    boolean check;

    /** Counted down to stop a running gateway: by the shutdown hook, or by tests. */
    final CountDownLatch stop = new CountDownLatch(1);
    volatile Gateway running;

    @Override public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        GatewayConfig cfg;
        try {
            cfg = GatewayFiles.load(config);
        } catch (ConfigException e) {
            for (Problem p : e.problems()) err.println(p);
            err.println(e.problems().size() + (e.problems().size() == 1 ? " problem" : " problems") + " in " + config
                    + "; see docs/gateway-file.md for the format");
            err.flush();
            return Vigil.USAGE;
        }
        if (check) {
            out.println("OK: " + cfg.listeners().size() + " listener(s), " + cfg.routes().size() + " route(s), "
                    + cfg.pools().size() + " upstream pool(s)" + cfg.slo().map(s -> ", SLO for " + s.service()).orElse("")
                    + " (" + config + ")");
            out.flush();
            return Vigil.OK;
        }
        Gateway gateway;
        try {
            gateway = Gateway.builder(cfg).reloadFrom(() -> GatewayFiles.load(config)).start();
        } catch (Exception e) {
            // Typically a port in use or an address this host does not have.
            err.println("vigil gateway: cannot start: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
            err.flush();
            return Vigil.USAGE;
        }
        running = gateway;
        out.println("vigil gateway: listening on " + gateway.addresses().stream().map(GatewayCommand::show).collect(Collectors.joining(", "))
                + "; admin on " + show(gateway.adminAddress()) + "; " + cfg.routes().size() + " route(s), "
                + cfg.pools().size() + " pool(s); " + dev.vigil.gateway.upstream.Transport.name() + " transport");
        out.flush();
        Thread hook = new Thread(() -> {
            stop.countDown();
            gateway.close();
        }, "vigil-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        Signals.onHangup(() -> {
            Gateway.ReloadResult r = gateway.reload();
            if (r.applied()) {
                err.println("vigil gateway: reloaded " + config + (r.warnings().isEmpty() ? "" : " (" + String.join("; ", r.warnings()) + ")"));
            } else {
                r.problems().forEach(err::println);
                err.println("vigil gateway: reload refused; the previous configuration keeps serving");
            }
            err.flush();
        });
        stop.await();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
            gateway.close(); // stopped by a test, not by a signal
        } catch (IllegalStateException shuttingDown) {
            gateway.awaitTermination(); // the hook is closing it
        }
        out.println("vigil gateway: stopped");
        out.flush();
        return Vigil.OK;
    }

    private static String show(InetSocketAddress a) {
        return a.getAddress().getHostAddress() + ":" + a.getPort();
    }
}
