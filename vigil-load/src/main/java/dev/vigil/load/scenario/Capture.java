package dev.vigil.load.scenario;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Takes a value from a response into a variable that later steps of the same flow can use as {@code {{ name }}}.
 *
 * @param variable the variable's name
 * @param source   where the value comes from
 */
public record Capture(String variable, Source source) {
    public Capture {
        Objects.requireNonNull(variable, "variable");
        Objects.requireNonNull(source, "source");
    }

    /** Where a captured value comes from. */
    public sealed interface Source permits Json, Header, Regex {}

    /** A JSON path into the response body, e.g. {@code $.data.id}. */
    public record Json(JsonPath path) implements Source {}

    /** A response header, matched case-insensitively. */
    public record Header(String name) implements Source {}

    /** A regular expression over the response body; the value is {@code group} of the first match. */
    public record Regex(Pattern pattern, int group) implements Source {
        public Regex {
            if (group < 0 || group > pattern.matcher("").groupCount()) {
                throw new IllegalArgumentException("group " + group + " does not exist in /" + pattern + "/");
            }
        }
    }
}
