package dev.vigil.slo;

/** What the response cache did with one request; {@link #NONE} when the route has no cache. */
public enum CacheResult {
    NONE, HIT, MISS, STALE, BYPASS;

    /** Whether the response came from the cache (a stale copy served while revalidating counts as a hit). */
    public boolean servedFromCache() { return this == HIT || this == STALE; }

    /** Whether the request took part in the hit ratio. */
    public boolean isLookup() { return this == HIT || this == MISS || this == STALE; }
}
