package dev.ranklab.rewardmodel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.ranklab.rewardmodel.SentenceEncoder.Truncation;

class SentenceEncoderTest {

    @TempDir
    static Path directory;
    static SentenceEncoder encoder;

    @BeforeAll
    static void open() throws Exception {
        encoder = SentenceEncoder.open(directory, 2);
    }

    @AfterAll
    static void close() {
        encoder.close();
    }

    /** Reference values from the same ONNX file run by Python's onnxruntime with the tokenizers package. */
    @Test
    void matchesAnIndependentRunOfTheModel() {
        var result = encoder.encode(List.of("The cat sat on the mat.", "Ranklab ranks model outputs."),
                Truncation.HEAD);
        assertArrayEquals(new float[]{0.13024f, -0.01577f, -0.03672f, 0.05799f},
                java.util.Arrays.copyOf(result.vectors()[0], 4), 2e-4f);
        assertArrayEquals(new float[]{0.0051f, -0.07246f, -0.03674f, 0.01778f},
                java.util.Arrays.copyOf(result.vectors()[1], 4), 2e-4f);
        assertEquals(0, result.truncatedCount());
    }

    @Test
    void batchingAndPaddingDoNotChangeAVector() {
        String shortText = "Short.";
        String longer = "A much longer sentence that will be padded against in its batch, with many more tokens.";
        float[] alone = encoder.encode(List.of(shortText), Truncation.HEAD).vectors()[0];
        float[] padded = encoder.encode(List.of(longer, shortText, longer), Truncation.HEAD).vectors()[1];
        assertArrayEquals(alone, padded, 1e-5f);
    }

    @Test
    void cutsLongTextsAndCountsThem() {
        String longText = "word ".repeat(400);
        var result = encoder.encode(List.of(longText, "short"), Truncation.TAIL);
        assertEquals(1, result.truncatedCount());
        double norm = 0;
        for (float v : result.vectors()[0]) {
            norm += v * v;
        }
        assertEquals(1.0, norm, 1e-4);
    }

    @Test
    void headKeepsTheStartAndTailTheEndWithTheSpecialTokens() {
        long[] ids = new long[300];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = i;
        }
        long[] head = SentenceEncoder.cut(ids, Truncation.HEAD);
        long[] tail = SentenceEncoder.cut(ids, Truncation.TAIL);
        assertEquals(SentenceEncoder.MAX_TOKENS, head.length);
        assertEquals(0, head[0]);
        assertEquals(1, head[1]);
        assertEquals(299, head[255]);
        assertEquals(0, tail[0]);
        assertEquals(299 - 254, tail[1]);
        assertEquals(299, tail[255]);
    }
}
