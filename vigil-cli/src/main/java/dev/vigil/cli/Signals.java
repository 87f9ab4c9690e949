package dev.vigil.cli;

/**
 * SIGHUP handling. The JDK has no public API for signals; {@code sun.misc.Signal} (module jdk.unsupported) is the
 * supported-in-practice way, used by many servers. Where it is unavailable (Windows has no SIGHUP) reloading stays
 * available through {@code POST /admin/reload}.
 */
final class Signals {
    private Signals() {}

    /** Runs {@code action} on every SIGHUP; returns false when this platform has no SIGHUP. */
    @SuppressWarnings("removal")
    static boolean onHangup(Runnable action) {
        try {
            sun.misc.Signal.handle(new sun.misc.Signal("HUP"), s -> action.run());
            return true;
        } catch (IllegalArgumentException | UnsupportedOperationException e) {
            return false;
        }
    }
}
