package dev.vigil.gateway.policy.tenant;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Hashing of API keys: what operators put in config instead of the key. */
public final class ApiKeys {
    private ApiKeys() {}

    /** SHA-256 of the key's UTF-8 bytes, 32 bytes. */
    public static byte[] sha256(String key) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime provides SHA-256", e);
        }
    }

    /** SHA-256 of the key as 64 lowercase hex digits, the form {@link ApiKey} expects. */
    public static String sha256Hex(String key) {
        return HexFormat.of().formatHex(sha256(key));
    }
}
