package dev.vigil.gateway.policy.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class RateLimitHttpTest {

    @Test
    void escapesPolicyNamesAsStructuredFieldStrings() {
        var d = new RateLimitDecision(true, 0, List.of(new PolicyState("say \"hi\"\\é", 5, 60, 0, 4, 60, false)), false);
        assertThat(RateLimitHttp.policyField(d)).isEqualTo("\"say \\\"hi\\\"\\\\?\";q=5;w=60");
        assertThat(RateLimitHttp.rateLimitField(d)).isEqualTo("\"say \\\"hi\\\"\\\\?\";r=4;t=60");
    }

    @Test
    void listsEveryResponseHeaderTheDecisionCallsFor() {
        var refused = new RateLimitDecision(false, 7, List.of(new PolicyState("minute", 5, 60, 0, 0, 7, true)), false);
        assertThat(RateLimitHttp.responseHeaders(refused)).containsExactly(
                new dev.vigil.gateway.policy.Header("RateLimit-Policy", "\"minute\";q=5;w=60"),
                new dev.vigil.gateway.policy.Header("RateLimit", "\"minute\";r=0;t=7"),
                new dev.vigil.gateway.policy.Header("Retry-After", "7"));
        assertThat(RateLimitHttp.responseHeaders(RateLimitDecision.UNLIMITED)).isEmpty();
        assertThat(RateLimitHttp.responseHeaders(RateLimitDecision.FAILED_CLOSED))
                .containsExactly(new dev.vigil.gateway.policy.Header("Retry-After", "1"));
    }

    @Test
    void sendsNoFieldsWhenNoPolicyAppliedAndNoProblemWhenAllowed() {
        assertThat(RateLimitHttp.policyField(RateLimitDecision.UNLIMITED)).isNull();
        assertThat(RateLimitHttp.rateLimitField(RateLimitDecision.FAILED_OPEN)).isNull();
        assertThatThrownBy(() -> RateLimitHttp.problem(RateLimitDecision.UNLIMITED)).isInstanceOf(IllegalArgumentException.class);
        assertThat(RateLimitHttp.problem(RateLimitDecision.FAILED_CLOSED).status()).isEqualTo(503);
        assertThat(RateLimitHttp.retryAfter(RateLimitDecision.FAILED_CLOSED)).isEqualTo("1");
    }
}
