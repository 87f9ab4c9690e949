package dev.vigil.gateway.policy.state;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** A Lua script with its SHA-1, run with EVALSHA through {@link RedisState#eval}. */
public record Script(byte[] source, String sha1) {

    public static Script of(String source) {
        byte[] bytes = source.getBytes(StandardCharsets.UTF_8);
        try {
            return new Script(bytes, HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(bytes)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime provides SHA-1", e);
        }
    }

    /** Loads a script stored as a class-path resource beside {@code owner}. */
    public static Script resource(Class<?> owner, String name) {
        try (InputStream in = owner.getResourceAsStream(name)) {
            if (in == null) throw new IllegalStateException("missing script resource " + name + " beside " + owner.getName());
            return of(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
