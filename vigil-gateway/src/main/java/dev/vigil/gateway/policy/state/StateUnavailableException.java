package dev.vigil.gateway.policy.state;

/** Shared state could not be reached in time; the policy applies its fail mode. */
public final class StateUnavailableException extends RuntimeException {
    public StateUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
