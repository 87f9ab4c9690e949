package dev.vigil.slo.spec;

import dev.vigil.slo.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class RouteMatcherTest {
    private static final RouteMatcher MATCHER;

    static {
        try {
            MATCHER = RouteMatcher.of(SloFiles.parse("routes.yaml", """
                    service: s
                    routes:
                      page-special:
                        match: GET /landing-pages/featured
                      page-read:
                        match:
                          - GET /landing-pages/{id}
                          - GET /landing-pages/{id}/blocks/{block}
                      page-write:
                        match:
                          - POST /landing-pages
                          - PUT|PATCH /landing-pages/{id}
                      static:
                        match: GET|HEAD /static/**
                      any-health:
                        match: "* /health"
                      wild:
                        match: GET /files/*/meta
                      root:
                        match: GET /
                      rest:
                        default: true
                    """));
        } catch (ConfigException e) {
            throw new AssertionError(e.getMessage(), e);
        }
    }

    @ParameterizedTest(name = "{0} {1} -> {2}")
    @CsvSource({
            // literal before parameter because it comes first in the file
            "GET, /landing-pages/featured, page-special",
            "GET, /landing-pages/42, page-read",
            "GET, /landing-pages/42/, page-read",
            "GET, /landing-pages/42?preview=true, page-read",
            "GET, /landing-pages/42#top, page-read",
            "GET, /landing-pages/42/blocks/7, page-read",
            "GET, /landing-pages/42/blocks, rest",
            "GET, /landing-pages, rest",
            "GET, /landing-pages/, rest",
            "GET, /landing-pages//blocks/7, rest",
            "POST, /landing-pages, page-write",
            "POST, /landing-pages?x=1, page-write",
            "PATCH, /landing-pages/9, page-write",
            "DELETE, /landing-pages/9, rest",
            "get, /landing-pages/42, rest",
            "GET, /static, static",
            "GET, /static/, static",
            "HEAD, /static/css/site.css, static",
            // HEAD is GET without the content: GET routes apply when no HEAD or any-method pattern matches
            "HEAD, /landing-pages/42, page-read",
            "HEAD, /landing-pages/featured, page-special",
            "HEAD, /files/a/meta, wild",
            "HEAD, /, root",
            "HEAD, /health, any-health",
            "HEAD, /coffee, rest",
            "GET, /staticfiles, rest",
            "POST, /static/x, rest",
            "GET, /health, any-health",
            "OPTIONS, /health, any-health",
            "BREW, /health, any-health",
            "BREW, /coffee, rest",
            "GET, /files/a/meta, wild",
            "GET, /files/a/b/meta, rest",
            "GET, /, root",
            "GET, /?q=1, root",
            "GET, http://example.com/landing-pages/42?x, page-read",
            "GET, https://example.com, root",
            "GET, *, rest",
            "GET, '', rest",
    })
    void matchesTheFirstGroupInFileOrderElseTheDefault(String method, String path, String group) {
        assertThat(MATCHER.groupFor(method, path)).isEqualTo(group);
    }

    @Test
    void returnsTheDefaultForMissingMethodOrPath() {
        assertThat(MATCHER.groupFor(null, "/health")).isEqualTo("rest");
        assertThat(MATCHER.groupFor("GET", null)).isEqualTo("rest");
        assertThat(MATCHER.defaultGroup()).isEqualTo("rest");
    }

    @Test
    void returnsTheVeryGroupNameStringOfTheSpec() throws ConfigException {
        SloSpec spec = SloFiles.parse("f.yaml", "service: s\nroutes:\n  api:\n    match: GET /a\n");
        String name = spec.routeGroups().getFirst().name();
        assertThat(RouteMatcher.of(spec).groupFor("GET", "/a")).isSameAs(name);
    }

    @Test
    void headRequestsUseGetRoutesUnlessAHeadOrAnyMethodPatternMatches() {
        RouteMatcher m = RouteMatcher.of(List.of(
                new RouteGroup("read", List.of(new RoutePattern("GET", "/items/{id}"), new RoutePattern("GET", "/probe")), false, SourceLocation.UNKNOWN),
                new RouteGroup("head-only", List.of(new RoutePattern("HEAD", "/items/{id}")), false, SourceLocation.UNKNOWN),
                new RouteGroup("anything", List.of(new RoutePattern("*", "/probe")), false, SourceLocation.UNKNOWN),
                new RouteGroup("write", List.of(new RoutePattern("POST", "/orders")), false, SourceLocation.UNKNOWN),
                new RouteGroup("default", List.of(), true, SourceLocation.UNKNOWN)));
        // An explicit HEAD pattern wins, even when a GET pattern for the same path comes earlier in the file.
        assertThat(m.groupFor("HEAD", "/items/7")).isEqualTo("head-only");
        // An any-method pattern matches HEAD on its own, so the GET route is not consulted.
        assertThat(m.groupFor("HEAD", "/probe")).isEqualTo("anything");
        assertThat(m.groupFor("GET", "/probe")).isEqualTo("read");
        // HEAD mirrors GET only: a POST route does not take HEAD requests.
        assertThat(m.groupFor("HEAD", "/orders")).isEqualTo("default");
        // The fallback is for HEAD alone: other methods do not borrow GET routes.
        assertThat(m.groupFor("OPTIONS", "/items/7")).isEqualTo("default");

        RouteMatcher getOnly = RouteMatcher.of(List.of(
                new RouteGroup("read", List.of(new RoutePattern("GET", "/items/{id}")), false, SourceLocation.UNKNOWN),
                new RouteGroup("default", List.of(), true, SourceLocation.UNKNOWN)));
        assertThat(getOnly.groupFor("HEAD", "/items/7?x=1")).isEqualTo("read");
        assertThat(getOnly.groupFor("HEAD", "/items")).isEqualTo("default");
    }

    @Test
    void aCatchAllPatternMatchesEveryPath() {
        RouteMatcher m = RouteMatcher.of(List.of(
                new RouteGroup("everything", List.of(new RoutePattern("*", "/**")), false, SourceLocation.UNKNOWN),
                new RouteGroup("default", List.of(), true, SourceLocation.UNKNOWN)));
        assertThat(m.groupFor("GET", "/")).isEqualTo("everything");
        assertThat(m.groupFor("PUT", "/a/b/c")).isEqualTo("everything");
        assertThat(m.groupFor("PUT", "nope")).isEqualTo("default");
    }

    @Test
    void agreesWithAReferenceRegexMatcherOnRandomPaths() {
        // Reference model: each pattern as a regex, first match wins.
        List<String[]> table = List.of(
                new String[]{"page-special", "GET", "/landing-pages/featured/?"},
                new String[]{"page-read", "GET", "/landing-pages/[^/]+/?"},
                new String[]{"page-read", "GET", "/landing-pages/[^/]+/blocks/[^/]+/?"},
                new String[]{"page-write", "POST", "/landing-pages/?"},
                new String[]{"page-write", "PUT|PATCH", "/landing-pages/[^/]+/?"},
                new String[]{"static", "GET|HEAD", "/static(/.*)?"},
                new String[]{"any-health", ".*", "/health/?"},
                new String[]{"wild", "GET", "/files/[^/]+/meta/?"},
                new String[]{"root", "GET", "/?"});
        String[] methods = {"GET", "POST", "PUT", "PATCH", "HEAD", "DELETE"};
        String[] parts = {"landing-pages", "featured", "42", "blocks", "static", "health", "files", "meta", "x", ""};
        java.util.Random random = new java.util.Random(7);
        for (int i = 0; i < 20_000; i++) {
            StringBuilder p = new StringBuilder();
            int n = random.nextInt(5);
            for (int j = 0; j < n; j++) p.append('/').append(parts[random.nextInt(parts.length)]);
            if (p.isEmpty()) p.append('/');
            String method = methods[random.nextInt(methods.length)];
            String path = p.toString();
            String expected = null;
            for (String[] row : table) {
                if (method.matches(row[1]) && path.matches(row[2])) {
                    expected = row[0];
                    break;
                }
            }
            // HEAD falls back to GET routes (RFC 9110).
            for (int k = 0; expected == null && method.equals("HEAD") && k < table.size(); k++) {
                String[] row = table.get(k);
                if ("GET".matches(row[1]) && path.matches(row[2])) expected = row[0];
            }
            if (expected == null) expected = "rest";
            assertThat(MATCHER.groupFor(method, path)).as(method + " " + path).isEqualTo(expected);
        }
    }

    @Test
    void agreesWithTheReferenceModelOnRandomPatternSets() {
        // Random files: literal, {param}, * and /** segments in random order, so file order decides between
        // overlapping patterns; every matcher answer is checked against a first-match regex scan.
        java.util.Random random = new java.util.Random(11);
        String[] words = {"a", "b", "c", "ab"};
        String[] methods = {"GET", "POST", "*"};
        for (int file = 0; file < 300; file++) {
            List<RouteGroup> groups = new java.util.ArrayList<>();
            List<String[]> reference = new java.util.ArrayList<>();
            int n = 1 + random.nextInt(8);
            for (int g = 0; g < n; g++) {
                StringBuilder path = new StringBuilder();
                StringBuilder regex = new StringBuilder();
                int depth = random.nextInt(4);
                for (int d = 0; d < depth; d++) {
                    int kind = random.nextInt(5);
                    if (kind == 0) { path.append("/{p").append(d).append('}'); regex.append("/[^/]+"); }
                    else if (kind == 1) { path.append("/*"); regex.append("/[^/]+"); }
                    else { String w = words[random.nextInt(words.length)]; path.append('/').append(w); regex.append('/').append(w); }
                }
                if (random.nextInt(4) == 0) { path.append("/**"); regex.append("(/.*)?"); }
                else regex.append("/?");
                String p = path.isEmpty() ? "/" : path.toString();
                String re = path.isEmpty() && !regex.toString().startsWith("(") ? "/?" : regex.toString();
                if (p.equals("/**")) re = "(/.*)?";
                String method = methods[random.nextInt(methods.length)];
                groups.add(new RouteGroup("g" + g, List.of(new RoutePattern(method, p)), false, SourceLocation.UNKNOWN));
                reference.add(new String[]{"g" + g, method.equals("*") ? ".*" : method, re});
            }
            groups.add(new RouteGroup("default", List.of(), true, SourceLocation.UNKNOWN));
            RouteMatcher m = RouteMatcher.of(groups);
            for (int r = 0; r < 200; r++) {
                StringBuilder path = new StringBuilder();
                int depth = random.nextInt(5);
                for (int d = 0; d < depth; d++) path.append('/').append(words[random.nextInt(words.length)]);
                if (random.nextInt(6) == 0) path.append('/');
                String p = path.isEmpty() ? "/" : path.toString();
                String method = random.nextBoolean() ? "GET" : "POST";
                String expected = "default";
                for (String[] row : reference) {
                    if (method.matches(row[1]) && p.matches(row[2])) { expected = row[0]; break; }
                }
                assertThat(m.groupFor(method, p)).as("%s %s in %s", method, p, groups).isEqualTo(expected);
            }
        }
    }
}
