package dev.vigil.slo.spec;

import dev.vigil.slo.config.ConfigException;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The complete files shown in docs/slo-file.md must be valid, so the reference never drifts from the reader. */
class DocsExamplesTest {
    private static final Path DOC = Path.of("..", "docs", "slo-file.md");

    @Test
    void everyCompleteFileInTheReferenceIsValid() throws IOException {
        Matcher m = Pattern.compile("```yaml\\n(.*?)```", Pattern.DOTALL).matcher(Files.readString(DOC));
        List<String> complete = new ArrayList<>();
        while (m.find()) if (m.group(1).contains("service:")) complete.add(m.group(1));
        assertThat(complete).isNotEmpty();
        for (String yaml : complete) {
            try {
                SloSpec spec = SloFiles.parse("docs/slo-file.md", yaml);
                assertThat(spec.objectives()).isNotEmpty();
            } catch (ConfigException e) {
                throw new AssertionError("docs/slo-file.md example is invalid:\n" + yaml + "\n" + e.getMessage(), e);
            }
        }
    }

    @Test
    void everyFragmentParsesInsideAMinimalFile() throws IOException {
        // Fragments show one section; wrap each in a file with a service and the groups the fragments name.
        Matcher m = Pattern.compile("```yaml\\n(.*?)```", Pattern.DOTALL).matcher(Files.readString(DOC));
        int checked = 0;
        while (m.find()) {
            String block = m.group(1);
            if (block.contains("service:")) continue;
            String wrapped = wrap(block);
            if (wrapped == null) continue;
            try {
                SloFiles.parse("fragment.yaml", wrapped);
                checked++;
            } catch (ConfigException e) {
                throw new AssertionError("docs/slo-file.md fragment is invalid:\n" + wrapped + "\n" + e.getMessage(), e);
            }
        }
        assertThat(checked).isGreaterThanOrEqualTo(6);
    }

    /** A fragment as a file: alternative forms of one key ("p99: ..." twice) are checked one line at a time. */
    private static String wrap(String block) {
        String first = block.lines().filter(l -> !l.isBlank() && !l.startsWith("#")).findFirst().orElse("");
        String key = first.contains(":") ? first.substring(0, first.indexOf(':')).strip() : "";
        String groups = "routes:\n  landing-page-read:\n    match: GET /landing-pages/{id}\n  checkout:\n    match: GET /checkout\n";
        return switch (key) {
            case "routes", "budget", "maintenance" -> "service: s\n" + block;
            case "tenants" -> "service: s\n" + groups + block;
            case "errors", "availability", "throughput", "error-rate", "cache-hit-ratio" -> "service: s\n" + lastForm(block, key);
            case "latency" -> "service: s\n" + block;
            default -> null;
        };
    }

    /** Blocks that show alternatives of one key keep the last (the fullest) form. */
    private static String lastForm(String block, String key) {
        int last = block.lastIndexOf("\n" + key + ":");
        return last < 0 ? block : block.substring(last + 1);
    }
}
