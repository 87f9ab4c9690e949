package dev.vigil.gateway.config;

/** How a pool picks an endpoint for each request. */
public enum BalancePolicy {
    /** Each healthy endpoint in turn. */
    ROUND_ROBIN,
    /** Two healthy endpoints at random, the one with fewer requests in flight (Mitzenmacher's power of two choices). */
    LEAST_OUTSTANDING
}
