package dev.vigil.gateway.config;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PathMatchTest {
    @Test void patternMatchesOneSegmentPerParameter() {
        PathMatch p = PathMatch.Pattern.of("/items/{id}/blocks");
        assertThat(p.matches("/items/7/blocks")).isTrue();
        assertThat(p.matches("/items//blocks")).isFalse();
        assertThat(p.matches("/items/7")).isFalse();
        assertThat(p.matches("/items/7/blocks/9")).isFalse();
        assertThat(p.matches("/itemsX/7/blocks")).isFalse();
    }

    @Test void trailingDoubleStarMatchesAnyRest() {
        PathMatch p = PathMatch.Pattern.of("/static/**");
        assertThat(p.matches("/static")).isTrue();
        assertThat(p.matches("/static/a/b.css")).isTrue();
        assertThat(p.matches("/staticx")).isFalse();
        assertThat(PathMatch.Pattern.of("/**").matches("/anything")).isTrue();
        assertThat(PathMatch.Pattern.of("/").matches("/")).isTrue();
        assertThat(PathMatch.Pattern.of("/").matches("/a")).isFalse();
    }

    @Test void prefixMatchesLiterally() {
        assertThat(new PathMatch.Prefix("/api/").matches("/api/x")).isTrue();
        assertThat(new PathMatch.Prefix("/api/").matches("/apix")).isFalse();
    }

    @Test void routeMatchesWildcardSubdomainsAndMethods() {
        Route r = new Route("r", "*.example.com", java.util.Set.of("GET"), new PathMatch.Prefix("/"), "p", Limits.DEFAULTS);
        assertThat(r.matches("api.example.com", "GET", "/")).isTrue();
        assertThat(r.matches("example.com", "GET", "/")).isFalse();
        assertThat(r.matches("api.example.com", "POST", "/")).isFalse();
    }

    @Test void cidrContainsAddressesOfItsNetworkOnly() throws Exception {
        Cidr c = Cidr.parse("10.1.0.0/16");
        assertThat(c.contains(java.net.InetAddress.getByName("10.1.200.3"))).isTrue();
        assertThat(c.contains(java.net.InetAddress.getByName("10.2.0.1"))).isFalse();
        assertThat(Cidr.parse("::1").contains(java.net.InetAddress.getByName("::1"))).isTrue();
        assertThat(Cidr.parse("127.0.0.1").contains(java.net.InetAddress.getByName("::1"))).isFalse();
    }
}
