package dev.vigil.load.scenario;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * One request of a flow.
 *
 * @param name      a name for reports; defaults to {@code METHOD path} as written
 * @param method    GET, POST, PUT, PATCH or DELETE
 * @param path      path with optional query, relative to the target, e.g. {@code /users/{{ id }}}
 * @param query     extra query parameters, appended URL-encoded
 * @param headers   request headers (Host, Content-Length and Connection are set by the engine)
 * @param timeout   how long to wait for the complete response, counted from the actual send
 * @param think     pause after this step before the flow's next one (0 for none)
 * @param location  where the step was written, for messages
 */
public record Step(String name, String method, Template path, List<NameValue> query, List<NameValue> headers,
                   Body body, StatusExpectation expect, Duration timeout, List<Capture> captures, Duration think,
                   String location) {
    public Step {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(expect, "expect");
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(think, "think");
        query = List.copyOf(query);
        headers = List.copyOf(headers);
        captures = List.copyOf(captures);
        if (timeout.isNegative() || timeout.isZero()) throw new IllegalArgumentException("timeout must be > 0");
    }

    /** True when a capture reads the response body, so the engine must keep it. */
    public boolean needsBody() {
        return captures.stream().anyMatch(c -> !(c.source() instanceof Capture.Header));
    }

    /** A header or query parameter: a literal name and a templated value. */
    public record NameValue(String name, Template value) {
        public NameValue {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(value, "value");
        }
    }
}
