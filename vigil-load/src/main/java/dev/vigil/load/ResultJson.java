package dev.vigil.load;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

/** Reads and writes {@code result.json}: the {@link RunResult} tree as documented in {@code docs/result-json.md}. */
public final class ResultJson {
    /** The file name inside the output directory. */
    public static final String FILE_NAME = "result.json";

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .addModule(new SimpleModule("vigil-instants")
                    .addSerializer(Instant.class, new JsonSerializer<>() {
                        @Override public void serialize(Instant value, JsonGenerator gen, SerializerProvider p)
                                throws IOException {
                            gen.writeString(value.toString());
                        }
                    })
                    .addDeserializer(Instant.class, new JsonDeserializer<>() {
                        @Override public Instant deserialize(JsonParser p, DeserializationContext ctx)
                                throws IOException {
                            return Instant.parse(p.getValueAsString());
                        }
                    }))
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private ResultJson() {}

    public static String toJson(RunResult result) {
        try {
            return MAPPER.writeValueAsString(result);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The result as a JSON tree, exactly as it would be written to {@code result.json}. */
    public static JsonNode toTree(RunResult result) {
        return MAPPER.valueToTree(result);
    }

    /** Writes {@code result.json} into {@code outDir} (created if missing) and returns its path. */
    public static Path write(RunResult result, Path outDir) throws IOException {
        Files.createDirectories(outDir);
        Path file = outDir.resolve(FILE_NAME);
        Files.writeString(file, toJson(result) + "\n");
        return file;
    }

    public static RunResult read(Path file) throws IOException {
        return MAPPER.readValue(file.toFile(), RunResult.class);
    }

    public static RunResult fromJson(String json) throws IOException {
        return MAPPER.readValue(json, RunResult.class);
    }
}
