package dev.ranklab.generation;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.ranklab.items.ChatMessage;
import dev.ranklab.items.ItemLineParser;
import dev.ranklab.web.InvalidInputException;
import dev.ranklab.web.ProblemException;

/**
 * An uploaded NDJSON file of prompts for rejection sampling: one {@code {"prompt", "externalId"?}} a line, the prompt
 * by the rules of an import line. An import file can be used as it is ({@code responses}, {@code metadata} and
 * {@code gold} are ignored). Every line is checked before anything starts; errors name their line.
 */
public final class PromptFile {

    static final long MAX_BYTES = 32L * 1024 * 1024;
    static final int MAX_PROMPTS = 100_000;
    private static final int MAX_EXTERNAL_ID = 200;
    /** Lines whose errors are spelled out; the rest are counted. */
    private static final int ERRORS_LISTED = 20;
    private static final Set<String> FIELDS = Set.of("prompt", "externalId", "responses", "metadata", "gold");
    private static final ObjectMapper JSON = JsonMapper.builder().build();

    static {
        // Deeply nested input is an attack, not a prompt.
        JSON.getFactory().setStreamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64).build());
    }

    private PromptFile() {
    }

    /** A prompt to sample for: an item of the campaign, or a line of an upload. */
    public record Prompt(Long itemId, Integer line, String externalId, List<ChatMessage> messages) {

        static Prompt ofItem(long itemId, String externalId, List<ChatMessage> messages) {
            return new Prompt(itemId, null, externalId, messages);
        }

        /** How errors name it. */
        String label() {
            return itemId != null ? "item " + itemId : "line " + line;
        }

        /** Says on an output line where the prompt came from. */
        void identify(ObjectNode out) {
            if (itemId != null) {
                out.put("itemId", itemId);
            } else {
                out.put("line", line);
            }
            out.put("externalId", externalId);
        }
    }

    /** Reads and checks the whole file; a 400 lists the bad lines, and nothing is started. */
    public static List<Prompt> read(InputStream in) throws IOException {
        if (in == null) {
            throw ProblemException.badRequest("an NDJSON body of prompts is required, one {\"prompt\": ...} a line");
        }
        byte[] bytes = in.readNBytes((int) MAX_BYTES + 1);
        if (bytes.length > MAX_BYTES) {
            throw ProblemException.tooLarge("the file is larger than " + MAX_BYTES / (1024 * 1024) + " MiB");
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw ProblemException.badRequest("the file is not valid UTF-8");
        }
        List<Prompt> prompts = new ArrayList<>();
        Map<String, String> errors = new LinkedHashMap<>();
        int bad = 0;
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].endsWith("\r") ? lines[i].substring(0, lines[i].length() - 1) : lines[i];
            if (line.isBlank()) {
                continue;
            }
            try {
                prompts.add(parse(line, i + 1));
            } catch (ProblemException e) {
                if (bad++ < ERRORS_LISTED) {
                    errors.put("line " + (i + 1), e.detail());
                }
            }
            if (prompts.size() > MAX_PROMPTS) {
                throw ProblemException.tooLarge("the file holds more than " + MAX_PROMPTS + " prompts");
            }
        }
        if (bad > ERRORS_LISTED) {
            errors.put("and", (bad - ERRORS_LISTED) + " more lines with errors");
        }
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        return prompts;
    }

    private static Prompt parse(String text, int number) {
        JsonNode root;
        try {
            root = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            String why = e.getOriginalMessage();
            throw ProblemException.badRequest("not valid JSON: "
                    + (why.length() > 120 ? why.substring(0, 120) + "…" : why));
        }
        if (root == null || !root.isObject()) {
            throw ProblemException.badRequest("each line must be a JSON object {\"prompt\": ...}");
        }
        for (Iterator<String> names = root.fieldNames(); names.hasNext();) {
            String name = names.next();
            if (!FIELDS.contains(name)) {
                throw InvalidInputException.of(name.length() > 60 ? name.substring(0, 60) + "…" : name,
                        "unknown field (allowed: prompt, externalId; responses, metadata and gold are ignored)");
            }
        }
        JsonNode id = root.get("externalId");
        if (id != null && !id.isNull() && (!id.isTextual() || id.asText().isBlank()
                || id.asText().length() > MAX_EXTERNAL_ID)) {
            throw InvalidInputException.of("externalId", "must be a non-blank string of at most " + MAX_EXTERNAL_ID
                    + " characters");
        }
        List<ChatMessage> messages = ItemLineParser.promptOf(root.get("prompt"));
        return new Prompt(null, number, id == null || id.isNull() ? null : id.asText(), messages);
    }
}
