package dev.vigil.load.scenario;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JsonPathTest {
    private final ObjectMapper json = new ObjectMapper();

    @Test
    void readsFieldsIndexesAndQuotedNames() throws Exception {
        var doc = json.readTree("{\"a\":{\"b\":[{\"id\":7},{\"id\":8}],\"odd key\":true,\"o\":{\"x\":1}}}");
        assertThat(JsonPath.compile("$.a.b[0].id").read(doc)).contains("7");
        assertThat(JsonPath.compile("$.a.b[-1].id").read(doc)).contains("8");
        assertThat(JsonPath.compile("$.a['odd key']").read(doc)).contains("true");
        assertThat(JsonPath.compile("$.a.o").read(doc)).contains("{\"x\":1}");
        assertThat(JsonPath.compile("$.a.missing").read(doc)).isEmpty();
        assertThat(JsonPath.compile("$.a.b[5]").read(doc)).isEmpty();
    }

    @Test
    void rejectsPathsItCannotRead() {
        assertThatThrownBy(() -> JsonPath.compile("a.b")).hasMessageContaining("starts with '$'");
        assertThatThrownBy(() -> JsonPath.compile("$.a[x]")).hasMessageContaining("neither an index");
        assertThatThrownBy(() -> JsonPath.compile("$.a[0")).hasMessageContaining("unclosed '['");
    }
}
