package dev.ranklab.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;

class ProgressStreamTest {

    @Test
    void reportsEveryNthLineWhateverTheChunkingAndPassesBytesThrough() throws Exception {
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        List<Long> reports = new ArrayList<>();
        try (ProgressStream progress = new ProgressStream(file, 2, () -> false,
                reports::add)) {
            progress.write("{\"a\":1}\n{\"a\":2}\n{\"a\"".getBytes(StandardCharsets.UTF_8));
            progress.write(':');
            progress.write("\n\n3}\n{\"a\":4}\n\n".getBytes(StandardCharsets.UTF_8), 2, 10);
            progress.write('\n');
            progress.write("{\"a\":5}\n".getBytes(StandardCharsets.UTF_8));
        }
        assertEquals(List.of(2L, 4L), reports);
        assertEquals("{\"a\":1}\n{\"a\":2}\n{\"a\":3}\n{\"a\":4}\n{\"a\":5}\n", file.toString(StandardCharsets.UTF_8));
    }

    @Test
    void refusesToWriteOnceItsJobIsToldToStop() throws Exception {
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        AtomicBoolean stop = new AtomicBoolean();
        ProgressStream progress = new ProgressStream(file, 50_000, stop::get,
                written -> {
                });
        progress.write("{\"a\":1}\n".getBytes(StandardCharsets.UTF_8));
        stop.set(true);
        assertThrows(ExportCancelled.class,
                () -> progress.write("{\"a\":2}\n".getBytes(StandardCharsets.UTF_8)));
        assertThrows(ExportCancelled.class, () -> progress.write('x'));
        assertEquals("{\"a\":1}\n", file.toString(StandardCharsets.UTF_8));
    }
}
