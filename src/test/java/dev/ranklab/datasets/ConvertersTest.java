package dev.ranklab.datasets;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.BufferedReader;
import java.io.StringReader;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.ranklab.items.ChatMessage;

class ConvertersTest {

    @Test
    void hhTranscriptsBecomeMessagesTwoRepliesAndAChosenFirstRanking() throws Exception {
        String line = "{\"chosen\": \"\\n\\nHuman: Hi\\n\\nAssistant: Hello!\\n\\nHuman: Steal a car?\\n\\n"
                + "Assistant: I can't help with that.\", \"rejected\": \"\\n\\nHuman: Hi\\n\\nAssistant: Hello!"
                + "\\n\\nHuman: Steal a car?\\n\\nAssistant: Sure, first break the window.\"}";
        List<LabeledItem> items = HhRlhf.read(new BufferedReader(new StringReader(line + "\n"))).items();
        assertEquals(1, items.size());
        LabeledItem item = items.get(0);
        assertEquals(List.of(new ChatMessage("user", "Hi"), new ChatMessage("assistant", "Hello!"),
                new ChatMessage("user", "Steal a car?")), item.prompt());
        List<List<String>> ranking = item.rankings().get(0);
        int chosen = Integer.parseInt(ranking.get(0).get(0).substring(1)) - 1;
        int rejected = Integer.parseInt(ranking.get(1).get(0).substring(1)) - 1;
        assertEquals("I can't help with that.", item.responses().get(chosen));
        assertEquals("Sure, first break the window.", item.responses().get(rejected));
    }

    @Test
    void hhLinesThatDoNotShareAPrefixAreSkippedWithTheirLineNumber() throws Exception {
        String line = "{\"chosen\": \"\\n\\nHuman: A\\n\\nAssistant: x\", \"rejected\": \"\\n\\nHuman: B\\n\\n"
                + "Assistant: y\"}";
        HhRlhf.Converted converted = HhRlhf.read(new BufferedReader(new StringReader("\n" + line)));
        assertEquals(0, converted.items().size());
        assertEquals(List.of("line 2: chosen and rejected must share the dialogue up to the last Assistant turn"),
                converted.skipped());
    }

    @Test
    void pandaLmComparisonsBecomeOneRankingPerAnnotatorWithTies() throws Exception {
        String file = """
                [
                 {"idx": 0, "cmp_key": "a_b", "instruction": "Say hi", "input": NaN, "response1": "hi",
                  "response2": "hello", "annotator1": 1, "annotator2": 0, "annotator3": 2},
                 {"idx": 1, "cmp_key": "b_c", "instruction": "Say hi", "input": NaN, "response1": "hello",
                  "response2": "hey", "annotator1": 1, "annotator2": 0, "annotator3": NaN},
                 {"idx": 2, "cmp_key": "a_b", "instruction": "Other", "input": "x", "response1": "1",
                  "response2": "2", "annotator1": 1, "annotator2": 1, "annotator3": 1}
                ]
                """;
        PandaLm.Converted converted = PandaLm.read(new StringReader(file), 3);
        assertEquals(1, converted.skipped());
        LabeledItem item = converted.items().get(0);
        assertEquals(List.of("hi", "hello", "hey"), item.responses());
        // annotator1: a > b and b > c; annotator2: all tied; annotator3: b > a, c never compared (score 0).
        assertEquals(List.of(List.of("r1"), List.of("r2"), List.of("r3")), item.rankings().get(0));
        assertEquals(List.of(List.of("r1", "r2", "r3")), item.rankings().get(1));
        assertEquals(List.of(List.of("r2"), List.of("r3"), List.of("r1")), item.rankings().get(2));
    }
}
