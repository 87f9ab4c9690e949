package dev.vigil.cli;

/**
 * Ctrl-C handling for commands that must finish their work (write a partial report) rather than die.
 * Uses {@code sun.misc.Signal} (jdk.unsupported) so the JVM keeps running while the command winds down; the
 * previous handler comes back afterwards, so a second Ctrl-C still ends the process at once.
 */
final class Interrupts {
    private Interrupts() {}

    /** Runs {@code action} on the first SIGINT; returns a Runnable that restores the previous handler. */
    @SuppressWarnings("removal")
    static Runnable onCtrlC(Runnable action) {
        try {
            sun.misc.Signal sigint = new sun.misc.Signal("INT");
            sun.misc.SignalHandler[] previous = new sun.misc.SignalHandler[1];
            previous[0] = sun.misc.Signal.handle(sigint, sig -> {
                sun.misc.Signal.handle(sigint, previous[0]);
                action.run();
            });
            return () -> sun.misc.Signal.handle(sigint, previous[0]);
        } catch (IllegalArgumentException | UnsupportedOperationException | LinkageError e) {
            // no signal support (e.g. some embedded JVMs): fall back to a shutdown hook that at least stops the run
            Thread hook = new Thread(action, "vigil-interrupt");
            Runtime.getRuntime().addShutdownHook(hook);
            return () -> {
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException ignored) {
                    // already shutting down
                }
            };
        }
    }
}
