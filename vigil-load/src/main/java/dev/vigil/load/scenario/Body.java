package dev.vigil.load.scenario;

/** What a step sends after its headers. */
public sealed interface Body permits Body.None, Body.Json, Body.Raw {
    None NONE = new None();

    /** No body. */
    record None() implements Body {}

    /**
     * A JSON document: {@code template} renders to JSON text (placeholders inside strings are JSON-escaped);
     * sent with {@code Content-Type: application/json} unless the step sets one.
     */
    record Json(JsonTemplate template) implements Body {}

    /** Text sent as written (after rendering placeholders), with the step's own {@code Content-Type}. */
    record Raw(Template template) implements Body {}
}
