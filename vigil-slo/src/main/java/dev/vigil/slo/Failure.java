package dev.vigil.slo;

/** Why no (complete) response arrived. Every value other than {@link #NONE} always counts as an error. */
public enum Failure {
    NONE, TIMEOUT, CONNECT, RESET
}
