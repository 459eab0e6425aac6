package dev.ranklab.export;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class ProgressStreamTest {

    @Test
    void reportsEveryNthLineWhateverTheChunkingAndPassesBytesThrough() throws Exception {
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        List<Long> reports = new ArrayList<>();
        try (ExportJobService.ProgressStream progress = new ExportJobService.ProgressStream(file, 2, reports::add)) {
            progress.write("{\"a\":1}\n{\"a\":2}\n{\"a\"".getBytes(StandardCharsets.UTF_8));
            progress.write(':');
            progress.write("\n\n3}\n{\"a\":4}\n\n".getBytes(StandardCharsets.UTF_8), 2, 10);
            progress.write('\n');
            progress.write("{\"a\":5}\n".getBytes(StandardCharsets.UTF_8));
        }
        assertEquals(List.of(2L, 4L), reports);
        assertEquals("{\"a\":1}\n{\"a\":2}\n{\"a\":3}\n{\"a\":4}\n{\"a\":5}\n", file.toString(StandardCharsets.UTF_8));
    }
}
