package dev.vigil.slo.spec;

/**
 * Which responses count as errors. Timeouts, refused and reset connections always do.
 *
 * @param serverErrors      5xx responses (default true)
 * @param clientErrors      4xx responses other than 429 (default false)
 * @param rateLimited       429 responses (default false: shedding a tenant over its plan is not a server fault)
 */
public record ErrorDefinition(boolean serverErrors, boolean clientErrors, boolean rateLimited) {
    public static final ErrorDefinition DEFAULT = new ErrorDefinition(true, false, false);

    /** Whether a response with this status (0 = no response) counts as an error. */
    public boolean isError(int status) {
        if (status <= 0) return true;
        if (status >= 500) return serverErrors;
        if (status == 429) return rateLimited;
        if (status >= 400) return clientErrors;
        return false;
    }
}
