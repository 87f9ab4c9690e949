package dev.vigil.load.report;

import org.HdrHistogram.EncodableHistogram;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class HlogWriterTest {
    private static final Instant START = Instant.parse("2026-11-25T08:00:00.250Z");

    private static Histogram interval(int second, long... micros) {
        Histogram h = new Histogram(3_600_000_000L, 3);
        for (long v : micros) {
            h.recordValue(v);
        }
        h.setStartTimeStamp(START.toEpochMilli() + second * 1000L);
        h.setEndTimeStamp(START.toEpochMilli() + (second + 1) * 1000L);
        return h;
    }

    @Test
    void hdrHistogramsOwnReaderReadsBackTagsTimesAndValues(@TempDir Path dir) throws Exception {
        Path file = dir.resolve(HlogWriter.FILE_NAME);
        List<Histogram> written = new ArrayList<>();
        try (HlogWriter writer = HlogWriter.create(file, START)) {
            for (int s = 0; s < 3; s++) {
                Histogram step = interval(s, 4_000 + s, 5_000, 6_000, 250_000);
                Histogram total = interval(s, 4_000 + s, 5_000, 6_000, 250_000, 1_000_000);
                written.add(step.copy());
                written.add(total.copy());
                writer.onInterval("POST /users/{id}/points", step);
                writer.onInterval("total", total);
            }
        }

        try (HistogramLogReader reader = new HistogramLogReader(file.toFile())) {
            List<EncodableHistogram> read = new ArrayList<>();
            EncodableHistogram h;
            while ((h = reader.nextIntervalHistogram()) != null) {
                read.add(h);
            }
            assertThat(reader.getStartTimeSec()).isEqualTo(START.toEpochMilli() / 1000.0);
            assertThat(read).hasSize(6);
            for (int i = 0; i < read.size(); i++) {
                Histogram got = (Histogram) read.get(i);
                Histogram want = written.get(i);
                assertThat(got.getTag()).isEqualTo(i % 2 == 0 ? "POST_/users/{id}/points" : "total");
                assertThat(got.getStartTimeStamp()).isEqualTo(want.getStartTimeStamp());
                assertThat(got.getEndTimeStamp()).isEqualTo(want.getEndTimeStamp());
                assertThat(got.getTotalCount()).isEqualTo(want.getTotalCount());
                assertThat(got.getMaxValue()).isEqualTo(want.getMaxValue());
                assertThat(got.getValueAtPercentile(50)).isEqualTo(want.getValueAtPercentile(50));
                assertThat(got).isEqualTo(want);
            }
        }
        String text = Files.readString(file);
        assertThat(text).contains("#[StartTime: ", "#[BaseTime: ", "\"StartTimestamp\",\"Interval_Length\"",
                "#Tag POST_/users/{id}/points is step \"POST /users/{id}/points\"");
        // interval time stamps are relative to the run start, the max column in milliseconds
        assertThat(text).contains("Tag=total,0.000,1.000,1000.");
    }

    @Test
    void eachIntervalIsOnDiskBeforeTheLogIsClosed(@TempDir Path dir) throws Exception {
        Path file = dir.resolve(HlogWriter.FILE_NAME);
        try (HlogWriter writer = HlogWriter.create(file, START)) {
            writer.onInterval("total", interval(0, 1_000, 2_000));
            try (HistogramLogReader reader = new HistogramLogReader(file.toFile())) {
                EncodableHistogram h = reader.nextIntervalHistogram();
                assertThat(h).isNotNull();
                assertThat(((Histogram) h).getTotalCount()).isEqualTo(2);
            }
        }
    }

    @Test
    void makesEveryStepNameAValidTag() {
        assertThat(HlogWriter.safeTag("GET /missions/{{ id }}")).isEqualTo("GET_/missions/{{_id_}}");
        assertThat(HlogWriter.safeTag("a, b\tc")).isEqualTo("a_b_c");
        assertThat(HlogWriter.safeTag("  ")).isEqualTo("_");
    }
}
