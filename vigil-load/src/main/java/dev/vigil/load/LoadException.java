package dev.vigil.load;

/** A run could not start (the target is unreachable, the scenario cannot be run); the message is one line for people. */
public final class LoadException extends Exception {
    public LoadException(String message) {
        super(message);
    }

    public LoadException(String message, Throwable cause) {
        super(message, cause);
    }
}
