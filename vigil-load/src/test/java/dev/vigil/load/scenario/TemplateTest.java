package dev.vigil.load.scenario;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TemplateTest {
    @Test
    void rendersVariablesAndHelpers() {
        Template t = Template.compile("/users/{{ id }}/{{randomInt(3, 3)}}/{{ randomString(5) }}/{{ uuid() }}");
        String out = t.render(Map.of("id", "42")::get);
        assertThat(out).matches("/users/42/3/[A-Za-z0-9]{5}/[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
        assertThat(t.variables()).containsExactly("id");
        assertThat(t.isConstant()).isFalse();
        assertThat(Template.compile("/plain").isConstant()).isTrue();
    }

    @Test
    void randomElementPicksOneOfItsArguments() {
        Template t = Template.compile("{{ randomElement(\"a\", \"b, c\") }}");
        for (int i = 0; i < 50; i++) assertThat(t.render(n -> null)).isIn("a", "b, c");
    }

    @Test
    void rejectsMalformedPlaceholdersWithAReadableMessage() {
        assertThatThrownBy(() -> Template.compile("/x/{{ id")).hasMessageContaining("unclosed '{{'");
        assertThatThrownBy(() -> Template.compile("{{ randomInt(5, 1) }}")).hasMessageContaining("a <= b");
        assertThatThrownBy(() -> Template.compile("{{ randomString(x) }}")).hasMessageContaining("not an integer");
        assertThatThrownBy(() -> Template.compile("{{ a b }}")).hasMessageContaining("not a variable name");
    }

    @Test
    void jsonTemplateEscapesRenderedValues() {
        JsonTemplate t = JsonTemplate.of(Map.of("name", "{{ v }}"));
        assertThat(t.render(Map.of("v", "say \"hi\"\n")::get)).isEqualTo("{\"name\":\"say \\\"hi\\\"\\n\"}");
    }
}
