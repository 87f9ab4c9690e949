package dev.vigil.gateway.policy.idempotency;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;
import java.util.function.Function;

/**
 * The facts of one request the idempotency engine needs.
 *
 * @param tenant     resolved tenant id
 * @param route      matched route name
 * @param method     HTTP method, upper case
 * @param target     request target (path and query) as received
 * @param key        the key header's raw value, {@code null} when absent (see {@link #keyFrom})
 * @param bodySha256 SHA-256 of the complete request body (32 bytes); stages that stream may digest
 *                   chunk by chunk, others use {@link #of}
 * @param requester  the caller's credentials as sent (Authorization and Cookie values), {@code ""} when none:
 *                   part of a derived key, so two users' identical requests never share a record (one would be
 *                   answered with the other's stored response, cookies included)
 */
public record IdempotencyRequest(String tenant, String route, String method, String target, String key, byte[] bodySha256,
                                 String requester) {

    /** A request without credentials. */
    public IdempotencyRequest(String tenant, String route, String method, String target, String key, byte[] bodySha256) {
        this(tenant, route, method, target, key, bodySha256, "");
    }

    public static final String KEY_HEADER = "Idempotency-Key";
    public static final String LEGACY_KEY_HEADER = "X-Idempotency-Key";

    public IdempotencyRequest {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(route, "route");
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(bodySha256, "bodySha256");
        Objects.requireNonNull(requester, "requester");
        if (bodySha256.length != 32) throw new IllegalArgumentException("bodySha256 must be 32 bytes");
    }

    /** Builds the request, hashing a fully read body. */
    public static IdempotencyRequest of(String tenant, String route, String method, String target, String key, byte[] body) {
        return new IdempotencyRequest(tenant, route, method, target, key, sha256().digest(body));
    }

    /** The key header value: {@code Idempotency-Key}, else {@code X-Idempotency-Key}, else {@code null}. */
    public static String keyFrom(Function<String, String> header) {
        String v = header.apply(KEY_HEADER);
        return v != null ? v : header.apply(LEGACY_KEY_HEADER);
    }

    /** SHA-256 over method, target and body digest: what must match for a replay. */
    byte[] fingerprint() {
        MessageDigest md = sha256();
        md.update(method.getBytes(StandardCharsets.US_ASCII));
        md.update((byte) '\n');
        md.update(target.getBytes(StandardCharsets.UTF_8));
        md.update((byte) '\n');
        md.update(bodySha256);
        return md.digest();
    }

    /**
     * The key of a request that sent none, on a route with {@code derive-key}: its fingerprint, and the caller's
     * credentials when it sent any (a request without them derives the key it always did).
     */
    String derivedKey() {
        byte[] fingerprint = fingerprint();
        if (requester.isEmpty()) return "derived:" + HexFormat.of().formatHex(fingerprint);
        MessageDigest md = sha256();
        md.update(fingerprint);
        md.update((byte) '\n');
        md.update(requester.getBytes(StandardCharsets.UTF_8));
        return "derived:" + HexFormat.of().formatHex(md.digest());
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime provides SHA-256", e);
        }
    }
}
