package dev.vigil.gateway.policy.tenant;

import dev.vigil.gateway.policy.Problem;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Resolves the tenant of a request from its API key header value and client address.
 *
 * <p>Security notes: only SHA-256 hashes of keys are held. The presented key is hashed, the first
 * 8 bytes of the digest select a bucket, and every candidate in the bucket is compared over the full
 * 32 bytes with {@link MessageDigest#isEqual} (constant time). Timing can therefore reveal at most
 * whether the presented key's hash prefix exists — which reveals nothing an attacker can use, since
 * they cannot choose hash prefixes.
 *
 * <p>Immutable and thread-safe; build a new one on config reload.
 */
public final class TenantResolver {

    /** Type URI of the problem returned for a missing or unknown key. */
    public static final String UNAUTHORIZED_TYPE = "https://vigil.dev/problems/unknown-api-key";

    private final TenantConfig config;
    private final Map<Long, List<Entry>> byPrefix;
    private final Plan anonymousPlan;

    private record Entry(byte[] hash, Tenant tenant) {}

    public TenantResolver(TenantConfig config) {
        this.config = config;
        Map<Long, List<Entry>> index = new HashMap<>();
        for (ApiKey k : config.keys()) {
            byte[] hash = HexFormat.of().parseHex(k.sha256Hex());
            Tenant t = new Tenant(k.tenant(), config.plans().get(k.plan()), Tenant.Source.API_KEY);
            index.computeIfAbsent(prefix(hash), p -> new java.util.ArrayList<>()).add(new Entry(hash, t));
        }
        index.replaceAll((p, l) -> List.copyOf(l));
        this.byPrefix = Map.copyOf(index);
        this.anonymousPlan = config.anonymousPlan() == null ? null : config.plans().get(config.anonymousPlan());
    }

    /** The header the stage reads the key from. */
    public String keyHeader() { return config.keyHeader(); }

    /**
     * @param apiKey        the key header's value, {@code null} when absent
     * @param clientAddress the client's address (after trusted-proxy processing), e.g. {@code 192.0.2.7}
     * @return the tenant, or empty when the stage must answer 401 with {@link #unauthorized(boolean)}:
     *         a key was sent but is unknown, or no key was sent and anonymous access is off
     */
    public Optional<Tenant> resolve(String apiKey, String clientAddress) {
        if (apiKey == null || apiKey.isEmpty()) {
            if (anonymousPlan == null) return Optional.empty();
            return Optional.of(new Tenant("addr:" + clientAddress, anonymousPlan, Tenant.Source.CLIENT_ADDRESS));
        }
        byte[] hash = ApiKeys.sha256(apiKey);
        List<Entry> bucket = byPrefix.get(prefix(hash));
        Tenant found = null;
        if (bucket != null) {
            for (Entry e : bucket) {
                if (MessageDigest.isEqual(e.hash, hash)) found = e.tenant;
            }
        }
        return Optional.ofNullable(found);
    }

    /** The 401 body: never echoes the key. */
    public Problem unauthorized(boolean keyWasSent) {
        return new Problem(UNAUTHORIZED_TYPE, "Unknown API key", 401,
                keyWasSent ? "The API key in " + config.keyHeader() + " is not recognised."
                           : "This API requires a key in the " + config.keyHeader() + " header.",
                Map.of());
    }

    private static long prefix(byte[] hash) {
        long p = 0;
        for (int i = 0; i < 8; i++) p = (p << 8) | (hash[i] & 0xff);
        return p;
    }
}
