package dev.vigil.gateway.upstream;

/**
 * What happened to each attempt sent to one endpoint, as seen by the proxy: the endpoint's own view, which the
 * client-facing figures hide whenever a retry or a stale-connection replay rescued the request. The gateway binds one
 * per endpoint to its Prometheus metrics; implementations must be thread-safe and cheap (called once per attempt on
 * the event loop).
 */
public interface UpstreamObserver {
    /**
     * Why an attempt ended without a complete response. Most end before a response head; {@link #TIMEOUT} (a body
     * that stalls for the request timeout), {@link #MALFORMED} (broken chunk framing) and {@link #RESET} can also
     * follow a head already counted by {@link #responded}, so one attempt may appear in both series.
     */
    enum Failure {
        /** The connection could not be opened (refused, unreachable, connect timeout). */
        CONNECT("connect"),
        /** No response head, or no body progress, within the route's request timeout. */
        TIMEOUT("timeout"),
        /** The endpoint closed or reset the connection before a response head. */
        CLOSED("closed"),
        /** A pooled keep-alive connection turned out closed by the endpoint; replayed on a new one, not its fault. */
        STALE("stale"),
        /** The response could not be parsed (bad status line, oversized head, broken chunk framing). */
        MALFORMED("malformed"),
        /** The connection broke after the response head, mid-body. */
        RESET("reset");

        private final String label;

        Failure(String label) {
            this.label = label;
        }

        /** The metric label value. */
        public String label() { return label; }
    }

    /** A response head arrived {@code headNanos} after the request head was handed to the connection. */
    void responded(int status, long headNanos);

    void failed(Failure failure);

    UpstreamObserver NONE = new UpstreamObserver() {
        @Override public void responded(int status, long headNanos) {}

        @Override public void failed(Failure failure) {}
    };
}
