package dev.ranklab.datasets;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.ranklab.items.ChatMessage;

/**
 * Anthropic's HH-RLHF lines ({@code {"chosen": transcript, "rejected": transcript}}) as K = 2 items. The two
 * transcripts share everything up to the last "\n\nAssistant:"; that prefix becomes the prompt's messages, and the
 * two final replies the responses, in an order drawn from a hash of the prompt (so the chosen one is not always r1,
 * and a rerun gives the same file). The one ranking puts the chosen reply first.
 */
public final class HhRlhf {

    private static final String HUMAN = "\n\nHuman:";
    private static final String ASSISTANT = "\n\nAssistant:";

    private HhRlhf() {
    }

    /** The converted items, and the lines left out with the reason for each ("line 859: ..."). */
    public record Converted(List<LabeledItem> items, List<String> skipped) {
    }

    /**
     * Converts every line; a line whose two transcripts do not share the dialogue before the final reply (two of
     * the 1,168 in the shared file, where a reply has a Human turn written into it), or whose reply is empty (two more) is skipped and reported.
     */
    public static Converted read(BufferedReader reader) throws IOException {
        ObjectMapper json = new ObjectMapper();
        List<LabeledItem> items = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        String line;
        int number = 0;
        while ((line = reader.readLine()) != null) {
            number++;
            if (line.isBlank()) {
                continue;
            }
            JsonNode node = json.readTree(line);
            String chosen = text(node, "chosen", number);
            String rejected = text(node, "rejected", number);
            try {
                items.add(convert(chosen, rejected, number));
            } catch (IllegalArgumentException e) {
                skipped.add(e.getMessage());
            }
        }
        return new Converted(items, skipped);
    }

    private static String text(JsonNode node, String field, int line) {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual()) {
            throw new IllegalArgumentException("line " + line + ": \"" + field + "\" must be a string");
        }
        return value.asText();
    }

    static LabeledItem convert(String chosen, String rejected, int line) {
        int cut = chosen.lastIndexOf(ASSISTANT);
        int otherCut = rejected.lastIndexOf(ASSISTANT);
        if (cut < 0 || otherCut != cut || !chosen.substring(0, cut).equals(rejected.substring(0, cut))) {
            throw new IllegalArgumentException(
                    "line " + line + ": chosen and rejected must share the dialogue up to the last Assistant turn");
        }
        String prefix = chosen.substring(0, cut);
        List<ChatMessage> prompt = messages(prefix, line);
        String chosenReply = chosen.substring(cut + ASSISTANT.length()).strip();
        String rejectedReply = rejected.substring(cut + ASSISTANT.length()).strip();
        if (chosenReply.isEmpty() || rejectedReply.isEmpty()) {
            throw new IllegalArgumentException("line " + line + ": the " + (chosenReply.isEmpty()
                    ? "chosen"
                    : "rejected") + " reply is empty, and Ranklab does not import empty responses");
        }
        String hash = sha256(prefix);
        boolean chosenFirst = Character.digit(hash.charAt(hash.length() - 1), 16) % 2 == 0;
        List<String> responses = chosenFirst
                ? List.of(chosenReply, rejectedReply)
                : List.of(rejectedReply, chosenReply);
        List<List<String>> ranking = chosenFirst
                ? List.of(List.of("r1"), List.of("r2"))
                : List.of(List.of("r2"), List.of("r1"));
        return new LabeledItem("hh-" + hash.substring(0, 16) + "-" + line, prompt, responses, List.of(ranking));
    }

    /** "\n\nHuman: a\n\nAssistant: b\n\nHuman: c" as user, assistant, user messages. */
    static List<ChatMessage> messages(String transcript, int line) {
        List<ChatMessage> messages = new ArrayList<>();
        int at = 0;
        while (at < transcript.length()) {
            boolean human = transcript.startsWith(HUMAN, at);
            boolean assistant = transcript.startsWith(ASSISTANT, at);
            if (!human && !assistant) {
                throw new IllegalArgumentException("line " + line + ": expected a Human: or Assistant: turn at "
                        + "character " + at);
            }
            int start = at + (human ? HUMAN.length() : ASSISTANT.length());
            int nextHuman = transcript.indexOf(HUMAN, start);
            int nextAssistant = transcript.indexOf(ASSISTANT, start);
            int end = transcript.length();
            if (nextHuman >= 0) {
                end = Math.min(end, nextHuman);
            }
            if (nextAssistant >= 0) {
                end = Math.min(end, nextAssistant);
            }
            messages.add(new ChatMessage(human ? "user" : "assistant", transcript.substring(start, end).strip()));
            at = end;
        }
        if (messages.isEmpty() || !messages.get(messages.size() - 1).role().equals("user")) {
            throw new IllegalArgumentException("line " + line + ": the dialogue must end with a Human turn");
        }
        return messages;
    }

    static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(
                    MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
