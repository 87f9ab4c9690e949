package dev.vigil.load.scenario;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FeederTest {
    private static final String CSV = "id,name\n1,\"Smith, \"\"J\"\"\"\n2,b\n";

    @Test
    void sequentialHandsOutEachRowOnceThenRunsOut() {
        Feeder f = Feeder.parse("u.csv", CSV, Feeder.Order.SEQUENTIAL);
        assertThat(f.next()).containsExactly("1", "Smith, \"J\"");
        assertThat(f.next()).containsExactly("2", "b");
        assertThat(f.next()).isNull();
    }

    @Test
    void circularStartsOverAndRandomCoversEveryRow() {
        Feeder c = Feeder.parse("u.csv", CSV, Feeder.Order.CIRCULAR);
        assertThat(new String[][]{c.next(), c.next(), c.next()}[2]).containsExactly("1", "Smith, \"J\"");
        Feeder r = Feeder.parse("u.csv", CSV, Feeder.Order.RANDOM);
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 200; i++) seen.add(r.next()[0]);
        assertThat(seen).containsExactlyInAnyOrder("1", "2");
    }

    @Test
    void rejectsRowsWithTheWrongNumberOfFields() {
        assertThatThrownBy(() -> Feeder.parse("u.csv", "a,b\n1\n", Feeder.Order.RANDOM))
                .hasMessageContaining("row 2 has 1 fields, the header has 2");
        assertThatThrownBy(() -> Feeder.parse("u.csv", "a,a\n1,2\n", Feeder.Order.RANDOM))
                .hasMessageContaining("appears twice");
    }
}
