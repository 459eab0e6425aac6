package dev.ranklab.items;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class NdjsonLineReaderTest {

    private static List<String> lines(String text, int maxLine) throws IOException {
        NdjsonLineReader reader = new NdjsonLineReader(
                new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), maxLine, Long.MAX_VALUE);
        List<String> lines = new ArrayList<>();
        while (reader.next()) {
            lines.add(reader.lineNumber() + ":" + (reader.lineTooLong()
                    ? "<too long>"
                    : new String(reader.bytes(), 0, reader.length(), StandardCharsets.UTF_8)));
        }
        return lines;
    }

    @Test
    void splitsOnNewlinesAndKeepsLineNumbers() throws IOException {
        assertEquals(List.of("1:a", "2:", "3:bc"), lines("a\n\nbc\n", 100));
        assertEquals(List.of("1:a", "2:last"), lines("a\nlast", 100));
        assertEquals(List.of("1:crlf", "2:x"), lines("crlf\r\nx\r\n", 100));
        assertEquals(List.of(), lines("", 100));
    }

    @Test
    void skipsTooLongLinesWithoutLosingTheNext() throws IOException {
        assertEquals(List.of("1:ok", "2:<too long>", "3:fine"), lines("ok\n" + "z".repeat(500) + "\nfine\n", 100));
    }

    @Test
    void linesSpanningManyReadsAreJoined() throws IOException {
        String big = "q".repeat(200_000);
        assertEquals(List.of("1:" + big, "2:end"), lines(big + "\nend", 300_000));
    }

    @Test
    void stopsAtTheTotalSizeLimit() {
        InputStream in = new ByteArrayInputStream("x\n".repeat(100_000).getBytes(StandardCharsets.UTF_8));
        NdjsonLineReader reader = new NdjsonLineReader(in, 100, 50_000);
        assertThrows(NdjsonLineReader.TooLarge.class, () -> {
            while (reader.next()) {
                assertTrue(reader.length() <= 1);
            }
        });
    }

    @Test
    void blankMeansOnlySpacesAndTabs() throws IOException {
        NdjsonLineReader reader = new NdjsonLineReader(new ByteArrayInputStream(" \t\nx\n".getBytes()), 10, 100);
        assertTrue(reader.next());
        assertTrue(reader.isBlank());
        assertTrue(reader.next());
        assertFalse(reader.isBlank());
    }
}
