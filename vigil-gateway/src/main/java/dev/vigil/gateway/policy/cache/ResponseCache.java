package dev.vigil.gateway.policy.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.RemovalCause;
import dev.vigil.gateway.policy.Header;
import dev.vigil.slo.CacheResult;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * A shared HTTP cache (RFC 9111) for GET and HEAD in front of the upstreams.
 *
 * <p>How a stage uses it: for every request on a cached route call {@link #handle} with a supplier
 * that fetches the complete upstream response. The supplier is called at most once per call, and
 * only when needed; it must not depend on the client connection (it may run in the background to
 * revalidate after the client already got a stale copy). Send the outcome's response as it is (it
 * carries {@code X-Cache: HIT | MISS | STALE | BYPASS} and, from the cache, {@code Age}) and record
 * {@link CacheOutcome#result()} in the SLO.
 * Unsafe methods pass through ({@code BYPASS}); a 1xx-3xx answer to POST, PUT, PATCH or DELETE purges
 * the path (RFC 9111 §4.4).
 *
 * <p>What is stored: statuses 200, 203, 204, 300, 301, 308, 404, 405, 410, 414, 501 without
 * {@code no-store}, {@code no-cache} (no conditional revalidation is done, so no-cache means "do not
 * store"), {@code private}, {@code Set-Cookie} or {@code Vary: *}, and — for requests carrying
 * {@code Authorization} — only with {@code public}, {@code s-maxage} or {@code must-revalidate}.
 * Freshness: {@code s-maxage}, else {@code max-age}, else the route TTL, minus the upstream's
 * {@code Age}. A stored {@code Vary} is honoured: a response is reused only for requests whose
 * values of the named headers match (RFC 9111 §4.1). {@code must-revalidate} disables stale serving.
 * A request's own {@code no-store} bypasses the cache; its {@code no-cache} forces a fetch.
 *
 * <p>Coalescing: concurrent misses for one key send ONE upstream request; the others wait for it
 * (and are reported MISS). If that response varies on a header whose value differs for a waiting
 * request, that request fetches for itself.
 *
 * <p>Memory: L1 is Caffeine bounded by bytes (body + headers, see weigher); entries expire after
 * their last stale window. Optional L2 ({@link CacheL2}, e.g. Redis) is consulted on L1 misses and
 * written on stores; responses with a {@code Vary} of their own stay in L1 only. Thread-safe.
 */
public final class ResponseCache {

    private static final Set<Integer> CACHEABLE = Set.of(200, 203, 204, 300, 301, 308, 404, 405, 410, 414, 501);
    private static final Set<String> NOT_STORED_HEADERS = Set.of("connection", "keep-alive", "proxy-connection",
            "transfer-encoding", "te", "trailer", "upgrade", "age", "date", "x-cache");

    /** Under the primary key when the response has its own Vary: which headers select the variant. */
    private record VaryIndex(List<String> names, long evictAt, String pathKey) {}

    /**
     * A coalesced fetch's result, with the leader's values of the response's Vary headers. Only a
     * {@code shareable} (storable) response is handed to waiting requests: a private or cookie-setting
     * answer to one caller must never reach another, so those waiters fetch for themselves.
     */
    private record Fetched(UpstreamResponse response, boolean shareable, List<String> varyNames, List<String> varyValues) {}

    private final InstantSource clock;
    private final CacheL2 l2;
    private final Cache<String, Object> l1;
    private final ConcurrentHashMap<String, CompletableFuture<Fetched>> inFlight = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Set<String>> byPath = new ConcurrentHashMap<>();
    private final AtomicLong purges = new AtomicLong();
    private final LongAdder upstreamFetches = new LongAdder();

    /**
     * @param maxBytes most bytes L1 holds (approximate: body + headers + per-entry overhead)
     * @param clock    time for freshness (injected: tests move it by hand)
     * @param l2       second level shared by instances, or {@code null}
     */
    public ResponseCache(long maxBytes, InstantSource clock, CacheL2 l2) {
        this.clock = clock;
        this.l2 = l2;
        this.l1 = Caffeine.newBuilder()
                .maximumWeight(maxBytes)
                .weigher((String k, Object v) -> v instanceof Entry e ? e.weight() + k.length() : 64 + k.length())
                .expireAfter(new Expiry<String, Object>() {
                    @Override public long expireAfterCreate(String k, Object v, long now) { return untilEvict(v); }
                    @Override public long expireAfterUpdate(String k, Object v, long now, long current) { return untilEvict(v); }
                    @Override public long expireAfterRead(String k, Object v, long now, long current) { return current; }
                })
                .ticker(() -> clock.millis() * 1_000_000L)
                .executor(Runnable::run)
                .removalListener((String k, Object v, RemovalCause cause) -> {
                    if (k != null && v != null && cause != RemovalCause.REPLACED) unindex(k, v);
                })
                .build();
    }

    /** Upstream fetches started by the cache (misses, revalidations), since start. */
    public long upstreamFetches() { return upstreamFetches.sum(); }

    /** Bytes held in L1 (weighted). */
    public long weightedSize() {
        return l1.policy().eviction().map(e -> e.weightedSize().orElse(0)).orElse(0L);
    }

    public CompletionStage<CacheOutcome> handle(CacheRequest req, CacheConfig cfg, Supplier<CompletionStage<UpstreamResponse>> upstream) {
        return decide(req, cfg, upstream)
                .thenApply(o -> new CacheOutcome(o.response().with(CacheOutcome.X_CACHE, o.xCache()), o.result()));
    }

    private CompletionStage<CacheOutcome> decide(CacheRequest req, CacheConfig cfg, Supplier<CompletionStage<UpstreamResponse>> upstream) {
        String method = req.method();
        boolean head = method.equals("HEAD");
        if (!head && !method.equals("GET")) {
            return call(upstream).thenApply(resp -> {
                if (unsafe(method) && resp.status() < 400) purge(req.host(), req.path());
                return new CacheOutcome(resp, CacheResult.BYPASS);
            });
        }
        CacheControl requestCc = CacheControl.parse(req.headers().get("Cache-Control"));
        if (requestCc.noStore()) return call(upstream).thenApply(r -> new CacheOutcome(r, CacheResult.BYPASS));
        String primary = CacheKeys.primary(req, cfg);
        return find(primary, req).thenCompose(entry -> {
            long now = clock.millis();
            if (entry != null && !requestCc.noCache() && authorizedFor(entry.response(), req)) {
                if (now < entry.freshUntil()) return done(served(entry, now, head), CacheResult.HIT);
                // A HEAD never revalidates for the cache: its upstream answer has no body, and stored under the
                // key GET shares it would serve every later GET an empty page. The next GET revalidates.
                if (now < entry.staleWhileRevalidateUntil()) {
                    if (!head) fetch(primary, req, cfg, upstream);          // background, coalesced
                    return done(served(entry, now, head), CacheResult.STALE);
                }
                if (now < entry.staleIfErrorUntil()) {
                    CompletionStage<UpstreamResponse> attempt = head ? call(upstream) : fetch(primary, req, cfg, upstream);
                    return attempt.handle((fetched, error) -> {
                        if (error != null || fetched.status() >= 500) return new CacheOutcome(served(entry, clock.millis(), head), CacheResult.STALE);
                        return new CacheOutcome(head ? fetched.withoutBody() : fetched, CacheResult.MISS);
                    });
                }
            }
            if (head) return call(upstream).thenApply(r -> new CacheOutcome(r, CacheResult.MISS));   // HEAD never fills the cache
            return fetch(primary, req, cfg, upstream).thenApply(r -> new CacheOutcome(r, CacheResult.MISS));
        });
    }

    /** Drops every stored response for this host and path (all queries, variants and tenants), in L1 and L2. */
    public void purge(String host, String path) {
        purges.incrementAndGet();
        String pathKey = CacheKeys.pathKey(host, path);
        Set<String> keys = byPath.remove(pathKey);
        if (keys != null) l1.invalidateAll(keys);
        if (l2 != null) l2.purge(pathKey);
    }

    /** Drops everything in L1 (L2 entries expire by their TTL). */
    public void purgeAll() {
        purges.incrementAndGet();
        l1.invalidateAll();
        byPath.clear();
    }

    private CompletionStage<Entry> find(String primary, CacheRequest req) {
        Object o = l1.getIfPresent(primary);
        if (o instanceof Entry e) return CompletableFuture.completedFuture(e);
        if (o instanceof VaryIndex v) {
            return CompletableFuture.completedFuture((Entry) l1.getIfPresent(CacheKeys.secondary(primary, v.names(), req)));
        }
        if (l2 == null) return CompletableFuture.completedFuture(null);
        String pathKey = CacheKeys.pathKey(req.host(), req.path());
        return l2.get(pathKey, primary).handle((bytes, error) -> {
            if (error != null || bytes == null) return null;
            Entry e = EntryCodec.decode(bytes, pathKey);
            if (e == null || e.evictAt() <= clock.millis()) return null;
            put(primary, e);
            return e;
        });
    }

    /** The single upstream fetch for this key, started now or joined if in flight; stores what may be stored. */
    private CompletableFuture<UpstreamResponse> fetch(String primary, CacheRequest req, CacheConfig cfg,
                                                      Supplier<CompletionStage<UpstreamResponse>> upstream) {
        CompletableFuture<Fetched> mine = new CompletableFuture<>();
        CompletableFuture<Fetched> leader = inFlight.putIfAbsent(primary, mine);
        if (leader != null) {
            return leader.thenCompose(f -> {
                if (f.shareable() && authorizedFor(f.response(), req)
                        && (f.varyNames().isEmpty() || values(f.varyNames(), req).equals(f.varyValues()))) {
                    return CompletableFuture.completedFuture(f.response());
                }
                return fetchAlone(primary, req, cfg, upstream);
            });
        }
        long purgesAtStart = purges.get();
        call(upstream).whenComplete((resp, error) -> {
            if (error != null) {
                inFlight.remove(primary, mine);
                mine.completeExceptionally(error);
                return;
            }
            // Store before leaving the in-flight map: in between, a request would find the old (stale) entry and no
            // fetch in flight, and start a second upstream request for the same key.
            Entry e = store(primary, req, cfg, resp, purgesAtStart);
            inFlight.remove(primary, mine);
            List<String> names = e != null ? e.varyNames() : varyNames(resp);
            mine.complete(new Fetched(resp, e != null, names, values(names, req)));
        });
        return mine.thenApply(Fetched::response);
    }

    private CompletableFuture<UpstreamResponse> fetchAlone(String primary, CacheRequest req, CacheConfig cfg,
                                                           Supplier<CompletionStage<UpstreamResponse>> upstream) {
        long purgesAtStart = purges.get();
        return call(upstream).thenApply(resp -> {
            store(primary, req, cfg, resp, purgesAtStart);
            return resp;
        });
    }

    private CompletableFuture<UpstreamResponse> call(Supplier<CompletionStage<UpstreamResponse>> upstream) {
        upstreamFetches.increment();
        try {
            return upstream.get().toCompletableFuture();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** Stores the response if RFC 9111 and the route allow; returns the entry or {@code null}. */
    private Entry store(String primary, CacheRequest req, CacheConfig cfg, UpstreamResponse resp, long purgesAtStart) {
        long now = clock.millis();
        Entry e = entry(req, cfg, resp, now);
        if (e == null) return null;
        if (purges.get() != purgesAtStart) return e;    // a purge ran while fetching: do not resurrect old content
        put(primary, e);
        if (l2 != null && e.varyNames().isEmpty()) {
            l2.put(e.pathKey(), primary, EntryCodec.encode(e), Math.max(1, e.evictAt() - now));
        }
        return e;
    }

    private void put(String primary, Entry e) {
        if (e.varyNames().isEmpty()) {
            l1.put(primary, e);
            index(e.pathKey(), primary);
        } else {
            String secondary = primary + secondaryPart(e);
            Object existing = l1.getIfPresent(primary);
            long evictAt = existing instanceof VaryIndex v && v.names().equals(e.varyNames()) ? Math.max(v.evictAt(), e.evictAt()) : e.evictAt();
            l1.put(primary, new VaryIndex(e.varyNames(), evictAt, e.pathKey()));
            l1.put(secondary, e);
            index(e.pathKey(), primary);
            index(e.pathKey(), secondary);
        }
    }

    private static String secondaryPart(Entry e) {
        StringBuilder sb = new StringBuilder().append('\u0000');
        for (int i = 0; i < e.varyNames().size(); i++) {
            sb.append('\n').append(e.varyNames().get(i)).append('=').append(e.varyValues().get(i));
        }
        return sb.toString();
    }

    private Entry entry(CacheRequest req, CacheConfig cfg, UpstreamResponse resp, long now) {
        if (!CACHEABLE.contains(resp.status()) || resp.body().length > cfg.maxEntryBytes()) return null;
        CacheControl cc = CacheControl.parse(resp.joined("Cache-Control"));
        if (cc.noStore() || cc.noCache() || cc.isPrivate() || resp.header("Set-Cookie") != null) return null;
        if (req.method().equals("HEAD")) return null;   // never the body of the key GET shares
        // A response to a request with credentials — Authorization (RFC 9111 §3.5) or a Cookie, the other usual
        // carrier of a session — is one user's unless it says it is for everyone.
        if (carriesCredentials(req) && !(cc.isPublic() || cc.sMaxAge() >= 0 || cc.mustRevalidate())) return null;
        List<String> names = varyNames(resp);
        if (names.contains("*")) return null;
        long lifetimeMillis = cc.sMaxAge() >= 0 ? cc.sMaxAge() * 1000 : cc.maxAge() >= 0 ? cc.maxAge() * 1000 : cfg.ttl().toMillis();
        lifetimeMillis -= ageSeconds(resp) * 1000;
        if (lifetimeMillis <= 0) return null;
        long swr = cc.mustRevalidate() ? 0 : cc.staleWhileRevalidate() >= 0 ? cc.staleWhileRevalidate() * 1000 : cfg.staleWhileRevalidate().toMillis();
        long sie = cc.mustRevalidate() ? 0 : cc.staleIfError() >= 0 ? cc.staleIfError() * 1000 : cfg.staleIfError().toMillis();
        List<Header> kept = new ArrayList<>(resp.headers().size());
        for (Header h : resp.headers()) if (!NOT_STORED_HEADERS.contains(h.name().toLowerCase(Locale.ROOT))) kept.add(h);
        long freshUntil = now + lifetimeMillis;
        return new Entry(new UpstreamResponse(resp.status(), kept, resp.body()), now, freshUntil, freshUntil + swr, freshUntil + sie,
                names, values(names, req), CacheKeys.pathKey(req.host(), req.path()));
    }

    /**
     * RFC 9111 §3.5: a request carrying Authorization may only be answered from a stored response
     * marked public, s-maxage or must-revalidate.
     */
    private static boolean carriesCredentials(CacheRequest req) {
        return req.headers().get("Authorization") != null || req.headers().get("Cookie") != null;
    }

    private static boolean authorizedFor(UpstreamResponse stored, CacheRequest req) {
        if (req.headers().get("Authorization") == null) return true;
        CacheControl cc = CacheControl.parse(stored.joined("Cache-Control"));
        return cc.isPublic() || cc.sMaxAge() >= 0 || cc.mustRevalidate();
    }

    private static List<String> varyNames(UpstreamResponse resp) {
        String vary = resp.joined("Vary");
        if (vary == null || vary.isBlank()) return List.of();
        return Arrays.stream(vary.split(",")).map(s -> s.trim().toLowerCase(Locale.ROOT)).filter(s -> !s.isEmpty())
                .sorted().distinct().toList();
    }

    private static List<String> values(List<String> names, CacheRequest req) {
        if (names.isEmpty()) return List.of();
        List<String> v = new ArrayList<>(names.size());
        for (String n : names) v.add(CacheKeys.normaliseValue(req.headers().get(n)));
        return v;
    }

    private static long ageSeconds(UpstreamResponse resp) {
        String age = resp.header("Age");
        if (age == null || age.isEmpty() || !age.chars().allMatch(Character::isDigit) || age.length() > 9) return 0;
        return Long.parseLong(age);
    }

    private static UpstreamResponse served(Entry e, long now, boolean head) {
        UpstreamResponse r = e.response().with("Age", Long.toString(Math.max(0, (now - e.storedAt()) / 1000)));
        return head ? r.withoutBody() : r;
    }

    private long untilEvict(Object v) {
        long evictAt = v instanceof Entry e ? e.evictAt() : ((VaryIndex) v).evictAt();
        return Math.max(0, evictAt - clock.millis()) * 1_000_000L;
    }

    private void index(String pathKey, String key) {
        byPath.computeIfAbsent(pathKey, p -> ConcurrentHashMap.newKeySet()).add(key);
    }

    private void unindex(String key, Object v) {
        String pathKey = v instanceof Entry e ? e.pathKey() : ((VaryIndex) v).pathKey();
        byPath.computeIfPresent(pathKey, (p, keys) -> {
            keys.remove(key);
            return keys.isEmpty() ? null : keys;
        });
    }

    private static boolean unsafe(String method) {
        return switch (method) {
            case "POST", "PUT", "PATCH", "DELETE" -> true;
            default -> false;
        };
    }

    private static CompletableFuture<CacheOutcome> done(UpstreamResponse r, CacheResult result) {
        return CompletableFuture.completedFuture(new CacheOutcome(Objects.requireNonNull(r), result));
    }
}
