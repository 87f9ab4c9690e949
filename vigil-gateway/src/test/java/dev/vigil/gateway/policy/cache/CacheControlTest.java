package dev.vigil.gateway.policy.cache;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CacheControlTest {

    @Test
    void readsTheDirectivesASharedCacheActsOn() {
        CacheControl cc = CacheControl.parse("Public, MAX-AGE=60, s-maxage=\"30\", stale-while-revalidate=5, stale-if-error=600, must-revalidate");
        assertThat(cc).isEqualTo(new CacheControl(false, false, false, true, true, 60, 30, 5, 600));
        assertThat(CacheControl.parse("no-store").noStore()).isTrue();
        assertThat(CacheControl.parse("private=\"Set-Cookie\", no-cache").isPrivate()).isTrue();
        assertThat(CacheControl.parse(null)).isEqualTo(CacheControl.NONE);
    }

    @Test
    void treatsInvalidAgesAsStaleAndCapsHugeOnes() {
        assertThat(CacheControl.parse("max-age=abc").maxAge()).isZero();
        assertThat(CacheControl.parse("max-age=").maxAge()).isZero();
        assertThat(CacheControl.parse("max-age=99999999999999999999").maxAge()).isEqualTo(Integer.MAX_VALUE);
    }

    @Test
    void normalisesQueriesAndHeaderValues() {
        assertThat(CacheKeys.normaliseQuery("b=2&a=1&&a=0")).isEqualTo("a=1&a=0&b=2");
        assertThat(CacheKeys.normaliseQuery(null)).isEmpty();
        assertThat(CacheKeys.normaliseValue(" gzip ,  br ")).isEqualTo("gzip,br");
        assertThat(CacheKeys.normaliseValue("gzip,br")).isEqualTo("gzip,br");
        assertThat(CacheKeys.normaliseValue("text/html;  q=0.9\t, */*")).isEqualTo("text/html; q=0.9,*/*");
        assertThat(CacheKeys.normaliseValue("a b")).isEqualTo("a b");
        assertThat(CacheKeys.normaliseQuery("x=1")).isEqualTo("x=1");
        assertThat(CacheKeys.normaliseValue(null)).isNotEqualTo(CacheKeys.normaliseValue(""));
    }
}
