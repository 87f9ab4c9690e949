package dev.vigil.gateway.policy.ratelimit;

/**
 * The state of one policy after a decision, what the {@code RateLimit} fields report.
 *
 * @param name          policy identifier in the header fields: the limit's name, {@code <route>.<name>}
 *                      for route limits, {@code global.<name>} for the global ceiling
 * @param quota         allowance per window ({@code q})
 * @param windowSeconds window ({@code w}), seconds
 * @param burst         back-to-back allowance of a rate limit; 0 for a quota
 * @param remaining     requests still admitted now ({@code r}), after this request if it was admitted
 * @param resetSeconds  seconds until the allowance is fully restored ({@code t}), rounded up; for a
 *                      policy that refused the request, seconds until it admits one again
 * @param violated      whether this policy refused the request
 */
public record PolicyState(String name, long quota, long windowSeconds, long burst, long remaining, long resetSeconds,
                          boolean violated) {
}
