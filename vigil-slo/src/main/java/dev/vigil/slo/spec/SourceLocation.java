package dev.vigil.slo.spec;

/** Where something was written: file, 1-based line and column, and the dotted field path. */
public record SourceLocation(String file, int line, int column, String field) {
    public static final SourceLocation UNKNOWN = new SourceLocation("<unknown>", 0, 0, "");

    @Override public String toString() {
        return file + ":" + line + ":" + column + (field.isEmpty() ? "" : " (" + field + ")");
    }
}
