package dev.vigil.gateway.policy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * An RFC 9457 problem detail, the body of every error a policy produces.
 *
 * <p>Serialised as {@value #CONTENT_TYPE}; extension members (e.g. {@code violated-policies}) are
 * written after the standard members, in insertion order.
 *
 * @param type       URI reference identifying the problem type ({@code about:blank} when none applies)
 * @param title      short human summary of the problem type
 * @param status     the HTTP status code the stage must answer with
 * @param detail     human explanation specific to this occurrence
 * @param extensions extra members; values must be JSON-serialisable (strings, numbers, lists, maps)
 */
public record Problem(String type, String title, int status, String detail, Map<String, Object> extensions) {

    public static final String CONTENT_TYPE = "application/problem+json";

    private static final ObjectMapper JSON = new ObjectMapper();

    public Problem {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(detail, "detail");
        if (status < 400 || status > 599) throw new IllegalArgumentException("problem status must be 4xx or 5xx: " + status);
        extensions = Map.copyOf(extensions == null ? Map.of() : extensions);
    }

    public static Problem of(int status, String title, String detail) {
        return new Problem("about:blank", title, status, detail, Map.of());
    }

    /** The body bytes, UTF-8 JSON. */
    public byte[] toJson() {
        Map<String, Object> members = new LinkedHashMap<>();
        members.put("type", type);
        members.put("title", title);
        members.put("status", status);
        members.put("detail", detail);
        extensions.entrySet().stream()
                .sorted(Map.Entry.comparingByKey())
                .forEach(e -> members.putIfAbsent(e.getKey(), e.getValue()));
        try {
            return JSON.writeValueAsBytes(members);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("problem extensions are not serialisable: " + extensions, e);
        }
    }
}
